#include "internal.h"
#include <stdlib.h>
#include <string.h>

/* Max pooling on the OpenMP threads (nk_parallel_for), in plain C loops
   that the compiler vectorises over the channels (compiled twice, the AVX2
   copy picked at run time where the CPU has it: NK_DISPATCH): oneDNN 2.6's
   NHWC max pooling measured 10x slower than this on the course models' shapes. */


struct nk_pool {
    nk_conv_geometry g;
    int32_t *argmax; /* per output value: its input's offset within the sample */
    int chunks;
};

int nk_pool_create(nk_pool **plan, const nk_conv_geometry *g) {
    nk_pool *p = calloc(1, sizeof *p);
    size_t outputs = (size_t)(g->batch * g->out_h * g->out_w * g->channels);
    if (p) p->argmax = malloc(outputs * sizeof(int32_t));
    if (!p || !p->argmax) { nk_pool_destroy(p); *plan = NULL; return 1; }
    p->g = *g;
    *plan = p;
    return 0;
}

void nk_pool_destroy(nk_pool *p) {
    if (!p) return;
    free(p->argmax);
    free(p);
}

typedef struct forward_job {
    const nk_conv_geometry *g;
    const float *src;
    float *dst;
    int32_t *argmax;
} forward_job;

/* Rows `begin..<end` of batch·out_h output rows. */
NK_VECTORISED void forward_rows_body(void *context, int64_t begin, int64_t end) {
    const forward_job *j = context;
    const nk_conv_geometry *g = j->g;
    const int64_t c = g->channels, sample = g->height * g->width * c;
    for (int64_t row = begin; row < end; row++) {
        int64_t n = row / g->out_h, oy = row % g->out_h;
        const float *in = j->src + n * sample;
        for (int64_t ox = 0; ox < g->out_w; ox++) {
            int64_t o = (row * g->out_w + ox) * c;
            nk_pool_window(g, in, oy, ox, j->dst + o, j->argmax ? j->argmax + o : NULL);
        }
    }
}
NK_DISPATCH(forward_rows)


int nk_pool_forward(nk_pool *p, const float *src, float *dst, int training, int chunks) {
    forward_job j = {&p->g, src, dst, training ? p->argmax : NULL};
    nk_parallel_for(p->g.batch * p->g.out_h, chunks, forward_rows, &j);
    return 0;
}

typedef struct backward_job {
    const nk_conv_geometry *g;
    const float *diff_dst;
    float *diff_src;
    const int32_t *argmax;
    const float *mask_src;
} backward_job;

/* Overlapping windows: samples `begin..<end`, zeroed then scattered into. */
static void backward_samples(void *context, int64_t begin, int64_t end) {
    const backward_job *j = context;
    const nk_conv_geometry *g = j->g;
    int64_t in_size = g->height * g->width * g->channels, out_size = g->out_h * g->out_w * g->channels;
    for (int64_t n = begin; n < end; n++) {
        float *restrict dx = j->diff_src + n * in_size;
        const float *dy = j->diff_dst + n * out_size;
        const int32_t *arg = j->argmax + n * out_size;
        memset(dx, 0, (size_t)in_size * sizeof(float));
        if (j->mask_src) {
            const float *x = j->mask_src + n * in_size;
            for (int64_t i = 0; i < out_size; i++) dx[arg[i]] += x[arg[i]] > 0 ? dy[i] : 0;
        } else {
            for (int64_t i = 0; i < out_size; i++) dx[arg[i]] += dy[i];
        }
    }
}

/* Disjoint windows (strides ≥ pool size): every input value belongs to at
   most one window, so each is written once, in order, from its window's
   gradient: input rows `begin..<end` of batch·height. */
NK_VECTORISED void backward_disjoint_rows_body(void *context, int64_t begin, int64_t end) {
    const backward_job *j = context;
    const nk_conv_geometry *g = j->g;
    const int32_t c = (int32_t)g->channels;
    const int64_t row_size = g->width * c;
    for (int64_t row = begin; row < end; row++) {
        int64_t n = row / g->height, y = row % g->height;
        float *restrict dx = j->diff_src + row * row_size;
        int64_t oy = (y + g->pad_top) / g->stride_y, ky = (y + g->pad_top) % g->stride_y;
        if (ky >= g->kernel_h || oy >= g->out_h) {
            memset(dx, 0, (size_t)row_size * sizeof(float));
            continue;
        }
        const float *restrict x = j->mask_src ? j->mask_src + row * row_size : NULL;
        for (int64_t px = 0; px < g->width; px++) {
            int64_t ox = (px + g->pad_left) / g->stride_x, kx = (px + g->pad_left) % g->stride_x;
            float *restrict d = dx + px * c;
            if (kx >= g->kernel_w || ox >= g->out_w) {
                memset(d, 0, (size_t)c * sizeof(float));
                continue;
            }
            int64_t o = ((n * g->out_h + oy) * g->out_w + ox) * c;
            const float *restrict dy = j->diff_dst + o;
            const int32_t *restrict arg = j->argmax + o;
            int32_t base = (int32_t)((y * g->width + px) * c);
            if (x) {
                const float *restrict v = x + px * c;
                for (int32_t k = 0; k < c; k++) d[k] = arg[k] == base + k && v[k] > 0 ? dy[k] : 0.0f;
            } else {
                for (int32_t k = 0; k < c; k++) d[k] = arg[k] == base + k ? dy[k] : 0.0f;
            }
        }
    }
}
NK_DISPATCH(backward_disjoint_rows)


int nk_pool_backward(nk_pool *p, const float *diff_dst, float *diff_src, const float *mask_src, int chunks) {
    backward_job j = {&p->g, diff_dst, diff_src, p->argmax, mask_src};
    if (p->g.stride_y >= p->g.kernel_h && p->g.stride_x >= p->g.kernel_w)
        nk_parallel_for(p->g.batch * p->g.height, chunks, backward_disjoint_rows, &j);
    else
        nk_parallel_for(p->g.batch, chunks, backward_samples, &j);
    return 0;
}
