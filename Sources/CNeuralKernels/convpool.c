#include "internal.h"
#include <string.h>

/* A ReLU convolution with few input channels followed by max pooling, one sample at a time per
   OpenMP thread, so that the convolution's output (the widest activation of a small CNN) stays in
   the core's cache instead of travelling to memory and back four times per step. oneDNN's
   kernels reach ~30 GFLOP/s on one input channel; these direct loops (vector extensions, eight
   filters per vector; filters a multiple of 16) do better and skip that traffic.
   The training forward records each window's argmax, or one of 8 spare slots past the sample's
   activations where the maximum is 0 (the ReLU passes no gradient there: the backward pass
   scatters into those slots without a branch, which a random sign would mispredict; 8 of them,
   by filter, so that consecutive additions do not wait on one another), and the backward pass
   rebuilds the sample's pre-activation gradient from it in cache. */

typedef float v8 __attribute__((vector_size(32)));
/* Eight floats at any float's address (macros: a function passing v8 by value would change ABI
   between the AVX2 and the baseline copies). */
typedef float v8_unaligned __attribute__((vector_size(32), aligned(4), may_alias));
#define LOAD8(address) (*(const v8_unaligned *)(address))
#define STORE8(address, value) (*(v8_unaligned *)(address) = (value))

struct nk_conv_pool {
    nk_conv_geometry conv, pool;
    int has_bias;
    int64_t pixels, taps, padded_h, padded_w;
    int32_t *pixel_offset; /* per output pixel: its window's corner in the padded input */
    int32_t *tap_offset;   /* per (ky, kx, ci), HWIO order: its offset from that corner */
    int32_t *argmax;       /* per pooled value: its pixel · filters + filter within the sample, or a spare slot */
    float *scratch;        /* per chunk: `stride` floats */
    int64_t stride;
    int scratch_chunks;
};

int nk_conv_pool_supports(const nk_conv_geometry *conv) {
    return conv->channels <= 4 && conv->filters % 16 == 0 && conv->groups <= 1
        && conv->dilate_y == 0 && conv->dilate_x == 0;
}

int nk_conv_pool_create(nk_conv_pool **plan, const nk_conv_geometry *conv, const nk_conv_geometry *pool, int has_bias) {
    *plan = NULL;
    if (!nk_conv_pool_supports(conv)) return (int)dnnl_unimplemented;
    nk_conv_pool *p = calloc(1, sizeof *p);
    if (!p) return (int)dnnl_out_of_memory;
    p->conv = *conv;
    p->pool = *pool;
    p->has_bias = has_bias;
    p->pixels = conv->out_h * conv->out_w;
    p->taps = conv->kernel_h * conv->kernel_w * conv->channels;
    p->padded_h = (conv->out_h - 1) * conv->stride_y + conv->kernel_h;
    p->padded_w = (conv->out_w - 1) * conv->stride_x + conv->kernel_w;
    p->pixel_offset = malloc((size_t)p->pixels * sizeof(int32_t));
    p->tap_offset = malloc((size_t)p->taps * sizeof(int32_t));
    p->argmax = malloc((size_t)(pool->batch * pool->out_h * pool->out_w * pool->channels) * sizeof(int32_t));
    if (!p->pixel_offset || !p->tap_offset || !p->argmax) { nk_conv_pool_destroy(p); return (int)dnnl_out_of_memory; }
    const int64_t c = conv->channels;
    for (int64_t i = 0; i < p->pixels; i++)
        p->pixel_offset[i] = (int32_t)(((i / conv->out_w) * conv->stride_y * p->padded_w + (i % conv->out_w) * conv->stride_x) * c);
    for (int64_t t = 0; t < p->taps; t++) {
        int64_t ky = t / (conv->kernel_w * c), kx = t / c % conv->kernel_w;
        p->tap_offset[t] = (int32_t)((ky * p->padded_w + kx) * c + t % c);
    }
    /* Per chunk: the padded input (rounded to 64 bytes), the convolution's output or its
       gradient and the 8 spare slots, the kernel and bias gradient partials;
       the whole rounded to 64 bytes. */
    int64_t padded = (p->padded_h * p->padded_w * c + 15) / 16 * 16;
    int64_t values = p->pixels * conv->filters + 8, sums = (p->taps + 1) * conv->filters;
    p->stride = (padded + values + sums + 15) / 16 * 16;
    *plan = p;
    return 0;
}

void nk_conv_pool_destroy(nk_conv_pool *p) {
    if (!p) return;
    free(p->pixel_offset);
    free(p->tap_offset);
    free(p->argmax);
    free(p->scratch);
    free(p);
}

static int reserve_scratch(nk_conv_pool *p, int chunks) {
    if (chunks <= p->scratch_chunks) return 0;
    free(p->scratch);
    p->scratch = nk_alloc((size_t)(p->stride * chunks) * sizeof(float));
    p->scratch_chunks = p->scratch ? chunks : 0;
    return p->scratch ? 0 : (int)dnnl_out_of_memory;
}

/* Chunk `chunk`'s padded input, activations (or their gradient) and partials. */
static float *padded_input(const nk_conv_pool *p, int64_t chunk) { return p->scratch + chunk * p->stride; }
static float *activations(const nk_conv_pool *p, int64_t chunk) {
    return padded_input(p, chunk) + (p->padded_h * p->padded_w * p->conv.channels + 15) / 16 * 16;
}
static float *partials(const nk_conv_pool *p, int64_t chunk) {
    return activations(p, chunk) + p->pixels * p->conv.filters + 8;
}

typedef struct job {
    nk_conv_pool *p;
    const float *src, *kernel, *bias, *diff_dst;
    float *dst;
    int training, chunks;
} job;

/* Copies sample n into `padded`, zeros around it. */
static void pad_sample(const nk_conv_pool *p, const float *src, int64_t n, float *padded) {
    const nk_conv_geometry *g = &p->conv;
    const int64_t c = g->channels, row = p->padded_w * c;
    memset(padded, 0, (size_t)(p->padded_h * row) * sizeof(float));
    const float *in = src + n * g->height * g->width * c;
    for (int64_t y = 0; y < p->padded_h; y++) {
        int64_t iy = y - g->pad_top;
        if (iy < 0 || iy >= g->height) continue;
        int64_t x0 = g->pad_left, x1 = g->pad_left + g->width;
        if (x1 > p->padded_w) x1 = p->padded_w;
        memcpy(padded + y * row + x0 * c, in + iy * g->width * c, (size_t)((x1 - x0) * c) * sizeof(float));
    }
}

/* out[pixel · filters + f] = relu(bias + Σ_t padded[corner + tap t] · kernel[t · filters + f]),
   four pixels by sixteen filters at a time (eight sums, and the four inputs and two weight
   vectors they need per tap, fit the 16 AVX registers; the last group repeats the last pixel). */
NK_VECTORISED void convolve_sample(const nk_conv_pool *p, const float *padded, const float *kernel,
                                   const float *bias, float *out) {
    const int64_t filters = p->conv.filters, taps = p->taps, pixels = p->pixels;
    for (int64_t first = 0; first < pixels; first += 4) {
        int64_t pixel[4];
        const float *corner[4];
        for (int i = 0; i < 4; i++) {
            pixel[i] = first + i < pixels ? first + i : pixels - 1;
            corner[i] = padded + p->pixel_offset[pixel[i]];
        }
        for (int64_t f = 0; f < filters; f += 16) {
            v8 acc[4][2];
            for (int i = 0; i < 4; i++)
                for (int h = 0; h < 2; h++) acc[i][h] = bias ? LOAD8(bias + f + 8 * h) : (v8){0};
            for (int64_t t = 0; t < taps; t++) {
                v8 w0 = LOAD8(kernel + t * filters + f), w1 = LOAD8(kernel + t * filters + f + 8);
                int32_t tap = p->tap_offset[t];
                for (int i = 0; i < 4; i++) {
                    float x = corner[i][tap];
                    acc[i][0] += x * w0;
                    acc[i][1] += x * w1;
                }
            }
            for (int i = 0; i < 4; i++)
                for (int h = 0; h < 2; h++)
                    STORE8(out + pixel[i] * filters + f + 8 * h, __builtin_elementwise_max(acc[i][h], (v8){0}));
        }
    }
}

/* Max pooling of one sample's convolution output; with `arg`, each window's first maximum,
   or `spare` + filter % 8 where it is 0. */
NK_VECTORISED void pool_sample(const nk_conv_geometry *g, const float *in, float *out, int32_t *arg, int32_t spare) {
    const int64_t c = g->channels;
    for (int64_t oy = 0; oy < g->out_h; oy++) {
        for (int64_t ox = 0; ox < g->out_w; ox++) {
            float *restrict o = out + (oy * g->out_w + ox) * c;
            int32_t *restrict a = arg ? arg + (oy * g->out_w + ox) * c : NULL;
            nk_pool_window(g, in, oy, ox, o, a);
            if (a) for (int32_t k = 0; k < (int32_t)c; k++) a[k] = o[k] > 0 ? a[k] : spare + (k & 7);
        }
    }
}

/* Chunks `begin..<end`, each convolving and pooling its share of the batch. */
NK_VECTORISED void forward_chunks_body(void *context, int64_t begin, int64_t end) {
    const job *j = context;
    const nk_conv_pool *p = j->p;
    const int64_t batch = p->conv.batch, pooled = p->pool.out_h * p->pool.out_w * p->pool.channels;
    for (int64_t chunk = begin; chunk < end; chunk++) {
        float *padded = padded_input(p, chunk), *conv = activations(p, chunk);
        for (int64_t n = batch * chunk / j->chunks; n < batch * (chunk + 1) / j->chunks; n++) {
            pad_sample(p, j->src, n, padded);
            convolve_sample(p, padded, j->kernel, j->bias, conv);
            pool_sample(&p->pool, conv, j->dst + n * pooled, j->training ? p->argmax + n * pooled : NULL,
                        (int32_t)(p->pixels * p->conv.filters));
        }
    }
}
NK_DISPATCH(forward_chunks)

int nk_conv_pool_forward(nk_conv_pool *p, const float *src, const float *kernel, const float *bias, float *dst,
                         int training, int chunks) {
    if (chunks > p->conv.batch) chunks = (int)p->conv.batch;
    if (chunks < 1) chunks = 1;
    NK_TRY(reserve_scratch(p, chunks));
    job j = {p, src, kernel, p->has_bias ? bias : NULL, NULL, dst, training, chunks};
    nk_parallel_for(chunks, chunks, forward_chunks, &j);
    return 0;
}

/* partial[t · filters + f] += Σ_pixel padded[corner + tap t] · grad[pixel · filters + f]:
   three taps by three pixel phases (nine sums) per eight filters. */
NK_VECTORISED void weight_gradient_sample(const nk_conv_pool *p, const float *padded, const float *grad, float *partial) {
    const int64_t filters = p->conv.filters, taps = p->taps, pixels = p->pixels;
    for (int64_t f = 0; f < filters; f += 8) {
        for (int64_t t0 = 0; t0 < taps; t0 += 3) {
            int32_t tap[3];
            for (int j = 0; j < 3; j++) tap[j] = p->tap_offset[t0 + j < taps ? t0 + j : taps - 1];
            v8 acc[3][3] = {{{0}}};
            int64_t q = 0;
            for (; q + 3 <= pixels; q += 3) {
                for (int k = 0; k < 3; k++) {
                    v8 d = LOAD8(grad + (q + k) * filters + f);
                    const float *corner = padded + p->pixel_offset[q + k];
                    for (int j = 0; j < 3; j++) acc[j][k] += corner[tap[j]] * d;
                }
            }
            for (; q < pixels; q++) {
                v8 d = LOAD8(grad + q * filters + f);
                const float *corner = padded + p->pixel_offset[q];
                for (int j = 0; j < 3; j++) acc[j][0] += corner[tap[j]] * d;
            }
            for (int j = 0; j < 3 && t0 + j < taps; j++) {
                float *w = partial + (t0 + j) * filters + f;
                STORE8(w, LOAD8(w) + (acc[j][0] + acc[j][1] + acc[j][2]));
            }
        }
    }
}

/* Chunks `begin..<end`: each sums its samples' kernel and bias gradients into its partials. */
NK_VECTORISED void backward_chunks_body(void *context, int64_t begin, int64_t end) {
    const job *j = context;
    const nk_conv_pool *p = j->p;
    const int64_t batch = p->conv.batch, filters = p->conv.filters;
    const int64_t pooled = p->pool.out_h * p->pool.out_w * filters, values = p->pixels * filters;
    for (int64_t chunk = begin; chunk < end; chunk++) {
        float *padded = padded_input(p, chunk), *grad = activations(p, chunk), *partial = partials(p, chunk);
        float *bias = partial + p->taps * filters;
        memset(partial, 0, (size_t)((p->taps + 1) * filters) * sizeof(float));
        for (int64_t n = batch * chunk / j->chunks; n < batch * (chunk + 1) / j->chunks; n++) {
            const int32_t *restrict arg = p->argmax + n * pooled;
            const float *restrict dy = j->diff_dst + n * pooled;
            memset(grad, 0, (size_t)(values + 8) * sizeof(float));
            for (int64_t i = 0; i < pooled; i++) grad[arg[i]] += dy[i];
            for (int64_t i = 0; i < pooled; i += filters)
                for (int64_t f = 0; f < filters; f++) bias[f] += arg[i + f] < values ? dy[i + f] : 0.0f;
            pad_sample(p, j->src, n, padded);
            weight_gradient_sample(p, padded, grad, partial);
        }
    }
}
NK_DISPATCH(backward_chunks)

int nk_conv_pool_backward_weights(nk_conv_pool *p, const float *src, const float *diff_dst,
                                  float *diff_kernel, float *diff_bias, int chunks) {
    if (chunks > p->conv.batch) chunks = (int)p->conv.batch;
    if (chunks < 1) chunks = 1;
    NK_TRY(reserve_scratch(p, chunks));
    job j = {p, src, NULL, NULL, diff_dst, NULL, 1, chunks};
    nk_parallel_for(chunks, chunks, backward_chunks, &j);
    /* The partials are added in chunk order: the result depends on the thread count only. */
    const int64_t filters = p->conv.filters, weights = p->taps * filters;
    for (int chunk = 0; chunk < chunks; chunk++) {
        const float *partial = partials(p, chunk);
        for (int64_t i = 0; i < weights; i++) diff_kernel[i] = chunk ? diff_kernel[i] + partial[i] : partial[i];
        if (!diff_bias) continue;
        for (int64_t f = 0; f < filters; f++) diff_bias[f] = chunk ? diff_bias[f] + partial[weights + f] : partial[weights + f];
    }
    return 0;
}
