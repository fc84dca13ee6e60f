#include "internal.h"
#include "winograd.h"
#include <stdatomic.h>

/* Winograd F(4x4, 3x3) (Lavin and Gray, 2016) with points 0, +-1, +-2 and infinity, as oneDNN's
   AVX-512 kernel uses: an output tile Y (4x4) = A^T [(G g G^T) . (B^T d B)] A, summed over the
   channels, where d is the 6x6 input window and g the 3x3 kernel. Per block of BLOCK tiles, the
   input windows are transformed (36 positions x tiles x channels), multiplied per position by the
   transformed kernel (channels x filters) and transformed back, all in cache (the running thread's
   scratch buffers, nk_scratch). The kernel gradient
   is the same product transposed: G^T [sum over tiles (A dY A^T) . (B^T d B)] G. The input
   gradient is a forward pass of the output gradient with the rotated kernel (conv.c).

   Hand-written because oneDNN's only f32 Winograd needs AVX-512 (see winograd.h). On an AVX2
   EPYC its direct kernels ran at ~35 GFLOP/s a core, the sgemm peak; Winograd does 4x fewer
   multiplications in the products. */

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>
#define AVX2 __attribute__((target("avx2,fma")))
#define INLINE static inline __attribute__((always_inline, target("avx2,fma")))

enum { ALPHA = 6, POSITIONS = 36, BLOCK = 12, ROWS = 6 };

int nk_winograd_avx2_available(void) { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }

static int64_t tiles_across(int64_t extent) { return (extent + 3) / 4; }
static int64_t tiles_per_image(const nk_winograd_shape *s) { return tiles_across(s->out_h) * tiles_across(s->out_w); }

/* ---- The transforms of one tile, 8 channels at a time ---- */

/* B^T d for a column of 6 input values. */
INLINE void input_1d(const __m256 d[6], __m256 o[6]) {
    const __m256 four = _mm256_set1_ps(4), five = _mm256_set1_ps(-5), two = _mm256_set1_ps(2), minus4 = _mm256_set1_ps(-4);
    o[0] = _mm256_fmadd_ps(four, d[0], _mm256_fmadd_ps(five, d[2], d[4]));
    o[1] = _mm256_fmadd_ps(minus4, _mm256_add_ps(d[1], d[2]), _mm256_add_ps(d[3], d[4]));
    o[2] = _mm256_fmadd_ps(four, _mm256_sub_ps(d[1], d[2]), _mm256_sub_ps(d[4], d[3]));
    o[3] = _mm256_fmadd_ps(two, _mm256_sub_ps(d[3], d[1]), _mm256_sub_ps(d[4], d[2]));
    o[4] = _mm256_fmadd_ps(two, _mm256_sub_ps(d[1], d[3]), _mm256_sub_ps(d[4], d[2]));
    o[5] = _mm256_fmadd_ps(four, d[1], _mm256_fmadd_ps(five, d[3], d[5]));
}

/* A^T m: 6 transformed values to 4 outputs. */
INLINE void output_1d(const __m256 m[6], __m256 o[4]) {
    const __m256 s12 = _mm256_add_ps(m[1], m[2]), d12 = _mm256_sub_ps(m[1], m[2]);
    const __m256 s34 = _mm256_add_ps(m[3], m[4]), d34 = _mm256_sub_ps(m[3], m[4]);
    o[0] = _mm256_add_ps(_mm256_add_ps(m[0], s12), s34);
    o[1] = _mm256_fmadd_ps(_mm256_set1_ps(2), d34, d12);
    o[2] = _mm256_fmadd_ps(_mm256_set1_ps(4), s34, s12);
    o[3] = _mm256_add_ps(_mm256_fmadd_ps(_mm256_set1_ps(8), d34, d12), m[5]);
}

/* A y: 4 output gradients to 6 transformed ones (the transpose of output_1d). */
INLINE void gradient_1d(const __m256 y[4], __m256 o[6]) {
    const __m256 even = _mm256_add_ps(y[0], y[2]), odd = _mm256_add_ps(y[1], y[3]);
    const __m256 even4 = _mm256_fmadd_ps(_mm256_set1_ps(4), y[2], y[0]);
    const __m256 odd8 = _mm256_fmadd_ps(_mm256_set1_ps(8), y[3], _mm256_add_ps(y[1], y[1]));
    o[0] = y[0];
    o[1] = _mm256_add_ps(even, odd);
    o[2] = _mm256_sub_ps(even, odd);
    o[3] = _mm256_add_ps(even4, odd8);
    o[4] = _mm256_sub_ps(even4, odd8);
    o[5] = y[3];
}

/* The tile `tile` (over the images of the whole batch) of an output of s's shape. */
typedef struct tile_origin {
    int64_t image, y, x; /* the tile's first output row and column */
} tile_origin;

static tile_origin tile_at(const nk_winograd_shape *s, int64_t tile) {
    const int64_t across = tiles_across(s->out_w), per_image = tiles_per_image(s);
    const int64_t within = tile % per_image;
    return (tile_origin){tile / per_image, within / across * 4, within % across * 4};
}

/* Writes B^T d B of the tile's input window into v[position][slot][channel]: each row of the
   window transformed as it is loaded, then each column. */
INLINE void transform_input(const nk_winograd_shape *s, const float *src, tile_origin o, float *v, int64_t slot) {
    const int64_t c = s->channels, y0 = o.y - s->pad_top, x0 = o.x - s->pad_left;
    const float *image = src + o.image * s->in_h * s->in_w * c;
    int row_inside[ALPHA], column_inside[ALPHA], all_columns = 1;
    for (int i = 0; i < ALPHA; i++) {
        row_inside[i] = y0 + i >= 0 && y0 + i < s->in_h;
        column_inside[i] = x0 + i >= 0 && x0 + i < s->in_w;
        all_columns &= column_inside[i];
    }
    for (int64_t k = 0; k < c; k += 8) {
        __m256 t[ALPHA][ALPHA];
        for (int i = 0; i < ALPHA; i++) {
            __m256 row[ALPHA];
            const float *at = image + ((y0 + i) * s->in_w + x0) * c + k;
            if (!row_inside[i]) {
                for (int j = 0; j < ALPHA; j++) t[i][j] = _mm256_setzero_ps();
                continue;
            }
            if (all_columns)
                for (int j = 0; j < ALPHA; j++) row[j] = _mm256_loadu_ps(at + j * c);
            else
                for (int j = 0; j < ALPHA; j++) row[j] = column_inside[j] ? _mm256_loadu_ps(at + j * c) : _mm256_setzero_ps();
            input_1d(row, t[i]);
        }
        for (int j = 0; j < ALPHA; j++) {
            __m256 column[ALPHA], out[ALPHA];
            for (int i = 0; i < ALPHA; i++) column[i] = t[i][j];
            input_1d(column, out);
            for (int i = 0; i < ALPHA; i++) _mm256_storeu_ps(v + ((i * ALPHA + j) * BLOCK + slot) * c + k, out[i]);
        }
    }
}

/* Zeros slot `slot` of a [position][slot][width] block (a block's unused tiles). */
static void clear_slot(float *block, int64_t width, int64_t slot) {
    for (int p = 0; p < POSITIONS; p++) memset(block + (p * BLOCK + slot) * width, 0, (size_t)width * sizeof(float));
}

/* dst's tile = activation(A^T m A + bias + (sum ? dst : 0)), clipped to the output. */
INLINE void transform_output(const nk_winograd_shape *s, const float *m, int64_t slot, tile_origin o, const float *bias,
                             int activation, int sum, float *dst) {
    const int64_t f = s->filters;
    const int rows = (int)(s->out_h - o.y < 4 ? s->out_h - o.y : 4), cols = (int)(s->out_w - o.x < 4 ? s->out_w - o.x : 4);
    float *image = dst + o.image * s->out_h * s->out_w * f;
    for (int64_t k = 0; k < f; k += 8) {
        __m256 t[4][ALPHA];
        for (int j = 0; j < ALPHA; j++) {
            __m256 column[ALPHA], out[4];
            for (int i = 0; i < ALPHA; i++) column[i] = _mm256_loadu_ps(m + ((i * ALPHA + j) * BLOCK + slot) * f + k);
            output_1d(column, out);
            for (int i = 0; i < 4; i++) t[i][j] = out[i];
        }
        const __m256 b = bias ? _mm256_loadu_ps(bias + k) : _mm256_setzero_ps();
        for (int i = 0; i < rows; i++) {
            __m256 out[4];
            output_1d(t[i], out);
            for (int j = 0; j < cols; j++) {
                float *at = image + ((o.y + i) * s->out_w + o.x + j) * f + k;
                __m256 y = _mm256_add_ps(out[j], b);
                if (sum) y = _mm256_add_ps(y, _mm256_loadu_ps(at));
                if (activation == NK_ACTIVATION_RELU) y = _mm256_max_ps(y, _mm256_setzero_ps());
                if (activation == NK_ACTIVATION_RELU6) y = _mm256_min_ps(_mm256_max_ps(y, _mm256_setzero_ps()), _mm256_set1_ps(6));
                _mm256_storeu_ps(at, y);
            }
        }
    }
}

/* Writes A dY A^T of the tile's output gradient (zeros outside the output) into g[position][slot][filter]. */
INLINE void transform_gradient(const nk_winograd_shape *s, const float *diff_dst, tile_origin o, float *g, int64_t slot) {
    const int64_t f = s->filters;
    const float *image = diff_dst + o.image * s->out_h * s->out_w * f;
    for (int64_t k = 0; k < f; k += 8) {
        __m256 t[ALPHA][4];
        for (int j = 0; j < 4; j++) {
            __m256 column[4], out[ALPHA];
            for (int i = 0; i < 4; i++)
                column[i] = o.y + i < s->out_h && o.x + j < s->out_w
                    ? _mm256_loadu_ps(image + ((o.y + i) * s->out_w + o.x + j) * f + k) : _mm256_setzero_ps();
            gradient_1d(column, out);
            for (int i = 0; i < ALPHA; i++) t[i][j] = out[i];
        }
        for (int i = 0; i < ALPHA; i++) {
            __m256 out[ALPHA];
            gradient_1d(t[i], out);
            for (int j = 0; j < ALPHA; j++) _mm256_storeu_ps(g + ((i * ALPHA + j) * BLOCK + slot) * f + k, out[j]);
        }
    }
}

/* ---- The products per position ---- */

/* The products' register block: out[rows][vectors x 8] (rows `out_row` apart) = (accumulate ? out : 0)
   + the sum over depth d of a[r * a_row + d * a_depth] b[d * b_depth + the same 8 columns]: the
   rows' values broadcast, the columns' loaded, up to 6 x 2 FMA accumulators. */
INLINE void outer_products(const float *a, int64_t a_row, int64_t a_depth, const float *b, int64_t b_depth,
                           int64_t depth, float *out, int64_t out_row, int rows, int vectors, int accumulate) {
    __m256 acc[ROWS][2];
    for (int r = 0; r < rows; r++) {
        acc[r][0] = accumulate ? _mm256_loadu_ps(out + r * out_row) : _mm256_setzero_ps();
        acc[r][1] = accumulate && vectors > 1 ? _mm256_loadu_ps(out + r * out_row + 8) : _mm256_setzero_ps();
    }
    for (int64_t d = 0; d < depth; d++) {
        const __m256 b0 = _mm256_loadu_ps(b + d * b_depth), b1 = vectors > 1 ? _mm256_loadu_ps(b + d * b_depth + 8) : b0;
        for (int r = 0; r < rows; r++) {
            const __m256 x = _mm256_broadcast_ss(a + r * a_row + d * a_depth);
            acc[r][0] = _mm256_fmadd_ps(x, b0, acc[r][0]);
            if (vectors > 1) acc[r][1] = _mm256_fmadd_ps(x, b1, acc[r][1]);
        }
    }
    for (int r = 0; r < rows; r++) {
        _mm256_storeu_ps(out + r * out_row, acc[r][0]);
        if (vectors > 1) _mm256_storeu_ps(out + r * out_row + 8, acc[r][1]);
    }
}

/* For every position: m[position] (BLOCK x filters) = v[position] (BLOCK x channels) u[position]. */
AVX2 static void multiply_block(const float *v, const float *u, float *m, int64_t channels, int64_t filters) {
    for (int p = 0; p < POSITIONS; p++) {
        const float *vp = v + p * BLOCK * channels, *up = u + p * channels * filters;
        float *mp = m + p * BLOCK * filters;
        for (int r = 0; r < BLOCK; r += ROWS)
            for (int64_t k = 0; k < filters; k += 16) {
                /* m[tile][filter] = sum over channels of v[tile][channel] u[channel][filter]. */
                const float *a = vp + r * channels, *b = up + k;
                float *out = mp + r * filters + k;
                if (filters - k >= 16) outer_products(a, channels, 1, b, filters, channels, out, filters, ROWS, 2, 0);
                else outer_products(a, channels, 1, b, filters, channels, out, filters, ROWS, 1, 0);
            }
    }
}

/* du[rows channels][filters] += sum over the block's tiles of v[tile][channel] g[tile][filter]. */
INLINE void accumulate_columns(const float *v, const float *g, float *du, int64_t channels, int64_t filters, int rows) {
    for (int64_t k = 0; k < filters; k += 16) {
        if (filters - k >= 16) outer_products(v, 1, channels, g + k, filters, BLOCK, du + k, filters, rows, 2, 1);
        else outer_products(v, 1, channels, g + k, filters, BLOCK, du + k, filters, rows, 1, 1);
    }
}

/* For every position: du[position] (channels x filters) += v[position]^T g[position]. */
AVX2 static void accumulate_block(const float *v, const float *g, float *du, int64_t channels, int64_t filters) {
    for (int p = 0; p < POSITIONS; p++) {
        const float *vp = v + p * BLOCK * channels, *gp = g + p * BLOCK * filters;
        float *dp = du + p * channels * filters;
        for (int64_t c = 0; c < channels; c += ROWS) {
            const float *vc = vp + c;
            float *dc = dp + c * filters;
            switch (channels - c < ROWS ? (int)(channels - c) : ROWS) {
            case 1: accumulate_columns(vc, gp, dc, channels, filters, 1); break;
            case 2: accumulate_columns(vc, gp, dc, channels, filters, 2); break;
            case 3: accumulate_columns(vc, gp, dc, channels, filters, 3); break;
            case 4: accumulate_columns(vc, gp, dc, channels, filters, 4); break;
            case 5: accumulate_columns(vc, gp, dc, channels, filters, 5); break;
            default: accumulate_columns(vc, gp, dc, channels, filters, ROWS); break;
            }
        }
    }
}

/* ---- The passes ---- */

/* The running thread's two blocks of BLOCK tiles for s: [position][tile][channel] and
   [position][tile][filter]; 0 when memory runs out. */
static int tile_blocks(const nk_winograd_shape *s, float **inputs, float **outputs) {
    *inputs = nk_scratch(NK_SCRATCH_SOURCE, sizeof(float) * POSITIONS * BLOCK * s->channels);
    *outputs = nk_scratch(NK_SCRATCH_DESTINATION, sizeof(float) * POSITIONS * BLOCK * s->filters);
    return *inputs && *outputs;
}

typedef struct forward_job {
    const nk_winograd_shape *s;
    const float *src, *transformed, *bias;
    float *dst;
    int activation, sum;
    atomic_int failed;
} forward_job;

AVX2 static void forward_images(void *context, int64_t begin, int64_t end) {
    forward_job *j = context;
    const nk_winograd_shape *s = j->s;
    float *v, *m;
    if (!tile_blocks(s, &v, &m)) { atomic_store(&j->failed, 1); return; }
    const int64_t per_image = tiles_per_image(s);
    for (int64_t first = begin * per_image, last = end * per_image; first < last; first += BLOCK) {
        const int64_t count = last - first < BLOCK ? last - first : BLOCK;
        for (int64_t t = 0; t < BLOCK; t++) {
            if (t < count) transform_input(s, j->src, tile_at(s, first + t), v, t);
            else clear_slot(v, s->channels, t);
        }
        multiply_block(v, j->transformed, m, s->channels, s->filters);
        for (int64_t t = 0; t < count; t++)
            transform_output(s, m, t, tile_at(s, first + t), j->bias, j->activation, j->sum, j->dst);
    }
}

/* More chunks than threads, so that a thread whose core another process takes leaves its
   share to the others (nk_parallel_for hands chunks out as threads come for them). */
static int forward_chunks(int64_t batch) {
    const int64_t chunks = 4 * (int64_t)nk_threads();
    return (int)(chunks < batch ? chunks : batch);
}

int nk_winograd_forward(const nk_winograd_shape *s, const float *src, const float *transformed, const float *bias,
                        int activation, int sum, float *dst) {
    forward_job job = {s, src, transformed, bias, dst, activation, sum, 0};
    nk_parallel_for(s->batch, forward_chunks(s->batch), forward_images, &job);
    return atomic_load(&job.failed) ? (int)dnnl_out_of_memory : 0;
}

/* The kernel gradient sums over the batch in at most GRADIENT_CHUNKS chunks of samples, each into
   its own 36 x channels x filters partial (fewer when the partials would pass GRADIENT_BYTES), added
   in chunk order: the split depends on the shape alone. */
enum { GRADIENT_CHUNKS = 8 };
#define GRADIENT_BYTES ((int64_t)64 << 20)

typedef struct gradient_job {
    const nk_winograd_shape *s;
    const float *src, *diff_dst;
    float *partials;
    int chunks;
    atomic_int failed;
} gradient_job;

AVX2 static void gradient_chunks(void *context, int64_t begin, int64_t end) {
    gradient_job *j = context;
    const nk_winograd_shape *s = j->s;
    const int64_t size = POSITIONS * s->channels * s->filters;
    float *v, *g;
    if (!tile_blocks(s, &v, &g)) { atomic_store(&j->failed, 1); return; }
    const int64_t per_image = tiles_per_image(s);
    for (int64_t chunk = begin; chunk < end; chunk++) {
        float *du = j->partials + chunk * size;
        memset(du, 0, (size_t)size * sizeof(float));
        const int64_t images = s->batch * chunk / j->chunks, images_end = s->batch * (chunk + 1) / j->chunks;
        for (int64_t first = images * per_image, last = images_end * per_image; first < last; first += BLOCK) {
            const int64_t count = last - first < BLOCK ? last - first : BLOCK;
            for (int64_t t = 0; t < BLOCK; t++) {
                if (t < count) {
                    const tile_origin o = tile_at(s, first + t);
                    transform_input(s, j->src, o, v, t);
                    transform_gradient(s, j->diff_dst, o, g, t);
                } else {
                    clear_slot(v, s->channels, t);
                    clear_slot(g, s->filters, t);
                }
            }
            accumulate_block(v, g, du, s->channels, s->filters);
        }
    }
}

/* G^T u G: a transformed 6x6 gradient back to the 3x3 kernel's (one channel and filter; stride
   `step` between positions). */
static void kernel_gradient_back(const float *u, int64_t step, float out[3][3]) {
    float t[3][ALPHA];
    for (int j = 0; j < ALPHA; j++) {
        float c[ALPHA];
        for (int i = 0; i < ALPHA; i++) c[i] = u[(i * ALPHA + j) * step];
        t[0][j] = c[0] / 4 - (c[1] + c[2]) / 6 + (c[3] + c[4]) / 24;
        t[1][j] = (c[2] - c[1]) / 6 + (c[3] - c[4]) / 12;
        t[2][j] = (c[3] + c[4] - c[1] - c[2]) / 6 + c[5];
    }
    for (int i = 0; i < 3; i++) {
        const float *c = t[i];
        out[i][0] = c[0] / 4 - (c[1] + c[2]) / 6 + (c[3] + c[4]) / 24;
        out[i][1] = (c[2] - c[1]) / 6 + (c[3] - c[4]) / 12;
        out[i][2] = (c[3] + c[4] - c[1] - c[2]) / 6 + c[5];
    }
}

int nk_winograd_kernel_gradient(const nk_winograd_shape *s, const float *src, const float *diff_dst, float *diff_hwio) {
    const int64_t size = POSITIONS * s->channels * s->filters, bytes = size * (int64_t)sizeof(float);
    int64_t chunks = s->batch < GRADIENT_CHUNKS ? s->batch : GRADIENT_CHUNKS;
    while (chunks > 1 && chunks * bytes > GRADIENT_BYTES) chunks--;
    /* The calling thread's primitive slot: the chunks (this thread runs some) use the other two. */
    float *partials = nk_scratch(NK_SCRATCH_PRIMITIVE, (size_t)(chunks * bytes));
    if (!partials) return (int)dnnl_out_of_memory;
    gradient_job job = {s, src, diff_dst, partials, (int)chunks, 0};
    nk_parallel_for(chunks, (int)chunks, gradient_chunks, &job);
    if (atomic_load(&job.failed)) return (int)dnnl_out_of_memory;
    for (int64_t chunk = 1; chunk < chunks; chunk++)
        for (int64_t i = 0; i < size; i++) partials[i] += partials[chunk * size + i];
    const int64_t c = s->channels, f = s->filters;
    for (int64_t ci = 0; ci < c; ci++)
        for (int64_t fi = 0; fi < f; fi++) {
            float out[3][3];
            kernel_gradient_back(partials + ci * f + fi, c * f, out);
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++) diff_hwio[((i * 3 + j) * c + ci) * f + fi] = out[i][j];
        }
    return 0;
}

#else
int nk_winograd_avx2_available(void) { return 0; }
int nk_winograd_forward(const nk_winograd_shape *s, const float *src, const float *transformed, const float *bias,
                        int activation, int sum, float *dst) {
    return (int)dnnl_unimplemented;
}
int nk_winograd_kernel_gradient(const nk_winograd_shape *s, const float *src, const float *diff_dst, float *diff_hwio) {
    return (int)dnnl_unimplemented;
}
#endif

int64_t nk_winograd_kernel_count(const nk_winograd_shape *s) { return 36 * s->channels * s->filters; }

/* G g G^T of one 3x3 kernel into 36 positions `step` apart. */
static void transform_one_kernel(const float g[3][3], float *u, int64_t step) {
    float t[6][3];
    for (int j = 0; j < 3; j++) {
        const float a = g[0][j], b = g[1][j], c = g[2][j];
        t[0][j] = a / 4;
        t[1][j] = -(a + b + c) / 6;
        t[2][j] = -(a - b + c) / 6;
        t[3][j] = a / 24 + b / 12 + c / 6;
        t[4][j] = a / 24 - b / 12 + c / 6;
        t[5][j] = c;
    }
    for (int i = 0; i < 6; i++) {
        const float a = t[i][0], b = t[i][1], c = t[i][2];
        const float row[6] = {a / 4, -(a + b + c) / 6, -(a - b + c) / 6, a / 24 + b / 12 + c / 6, a / 24 - b / 12 + c / 6, c};
        for (int j = 0; j < 6; j++) u[(i * 6 + j) * step] = row[j];
    }
}

void nk_winograd_transform_kernel(const float *hwio, int64_t channels, int64_t filters, int flip, float *transformed) {
    const int64_t size = channels * filters;
    for (int64_t c = 0; c < channels; c++)
        for (int64_t f = 0; f < filters; f++) {
            float g[3][3];
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                    g[i][j] = flip ? hwio[(((2 - i) * 3 + 2 - j) * channels + c) * filters + f]
                                   : hwio[((i * 3 + j) * channels + c) * filters + f];
            /* Forward: [position][channel][filter]; flipped, the input gradient's [position][filter][channel]. */
            transform_one_kernel(g, transformed + (flip ? f * channels + c : c * filters + f), size);
        }
}
