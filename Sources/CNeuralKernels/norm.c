#include "internal.h"

/* Batch normalisation over the last axis of a rows x channels buffer, and the clamped ReLU
   (Keras's ReLU: threshold, max_value, negative_slope), on the OpenMP threads, vectorised over
   the channels. Per-channel sums are taken in float over blocks of rows and gathered in double
   per chunk, chunks added in chunk order: results depend on the thread count only. */

enum { NK_BLOCK_ROWS = 32 };

typedef struct stats_job {
    const float *x;
    const float *mean; /* NULL: sum x; else sum (x - mean)^2 */
    double *partials;  /* chunks x channels */
    int64_t rows, channels;
    int chunks;
} stats_job;

NK_VECTORISED void stats_chunks_body(void *context, int64_t begin, int64_t end) {
    const stats_job *j = context;
    const int64_t c = j->channels;
    float block[c];
    for (int64_t chunk = begin; chunk < end; chunk++) {
        double *total = j->partials + chunk * c;
        for (int64_t k = 0; k < c; k++) total[k] = 0;
        const int64_t first = j->rows * chunk / j->chunks, last = j->rows * (chunk + 1) / j->chunks;
        for (int64_t r0 = first; r0 < last; r0 += NK_BLOCK_ROWS) {
            const int64_t r1 = r0 + NK_BLOCK_ROWS < last ? r0 + NK_BLOCK_ROWS : last;
            for (int64_t k = 0; k < c; k++) block[k] = 0;
            for (int64_t r = r0; r < r1; r++) {
                const float *restrict row = j->x + r * c;
                if (j->mean) {
                    const float *restrict mean = j->mean;
                    for (int64_t k = 0; k < c; k++) { float d = row[k] - mean[k]; block[k] += d * d; }
                } else {
                    for (int64_t k = 0; k < c; k++) block[k] += row[k];
                }
            }
            for (int64_t k = 0; k < c; k++) total[k] += block[k];
        }
    }
}
NK_DISPATCH(stats_chunks)

static int chunk_count(int64_t rows) {
    int chunks = nk_threads();
    if (chunks < 1) chunks = 1;
    if (rows < chunks) chunks = rows > 0 ? (int)rows : 1;
    return chunks;
}

/* out[k] = sum over rows of x (mean NULL) or of (x - mean)^2, in double. */
static int column_sums(const float *x, const float *mean, int64_t rows, int64_t channels, double *out) {
    int chunks = chunk_count(rows);
    double *partials = malloc((size_t)chunks * (size_t)channels * sizeof *partials);
    if (!partials) return (int)dnnl_out_of_memory;
    stats_job job = {x, mean, partials, rows, channels, chunks};
    nk_parallel_for(chunks, chunks, stats_chunks, &job);
    for (int64_t k = 0; k < channels; k++) out[k] = partials[k];
    for (int chunk = 1; chunk < chunks; chunk++)
        for (int64_t k = 0; k < channels; k++) out[k] += partials[chunk * channels + k];
    free(partials);
    return 0;
}

int nk_bn_statistics(const float *x, int64_t rows, int64_t channels, float *mean, float *variance) {
    double *sums = malloc((size_t)channels * sizeof *sums);
    if (!sums) return (int)dnnl_out_of_memory;
    int status = column_sums(x, NULL, rows, channels, sums);
    if (!status) {
        for (int64_t k = 0; k < channels; k++) mean[k] = (float)(sums[k] / (double)rows);
        status = column_sums(x, mean, rows, channels, sums);
    }
    if (!status) for (int64_t k = 0; k < channels; k++) variance[k] = (float)(sums[k] / (double)rows);
    free(sums);
    return status;
}

typedef struct apply_job {
    const float *x, *mean, *scale, *gamma, *beta;
    float *xhat, *y;
    int64_t rows, channels;
} apply_job;

/* xhat = (x - mean) * scale (when xhat is not NULL), y = gamma * that + beta. */
NK_VECTORISED void apply_rows_body(void *context, int64_t begin, int64_t end) {
    const apply_job *j = context;
    const int64_t c = j->channels;
    const float *restrict mean = j->mean, *restrict scale = j->scale, *restrict gamma = j->gamma,
                *restrict beta = j->beta;
    for (int64_t r = begin; r < end; r++) {
        const float *restrict x = j->x + r * c;
        float *restrict y = j->y + r * c;
        if (j->xhat) {
            float *restrict xhat = j->xhat + r * c;
            for (int64_t k = 0; k < c; k++) {
                float n = (x[k] - mean[k]) * scale[k];
                xhat[k] = n;
                y[k] = gamma[k] * n + beta[k];
            }
        } else {
            for (int64_t k = 0; k < c; k++) y[k] = gamma[k] * ((x[k] - mean[k]) * scale[k]) + beta[k];
        }
    }
}
NK_DISPATCH(apply_rows)

void nk_bn_apply(const float *x, int64_t rows, int64_t channels, const float *mean, const float *inverse_std,
                 const float *gamma, const float *beta, float *xhat, float *y) {
    apply_job job = {x, mean, inverse_std, gamma, beta, xhat, y, rows, channels};
    nk_parallel_for(rows, nk_threads() * 4, apply_rows, &job);
}

typedef struct grad_sums_job {
    const float *dy, *x, *mean, *inverse_std;
    double *partials; /* chunks x 2 x channels */
    int64_t rows, channels;
    int chunks;
} grad_sums_job;

NK_VECTORISED void grad_sums_chunks_body(void *context, int64_t begin, int64_t end) {
    const grad_sums_job *j = context;
    const int64_t c = j->channels;
    float block_dy[c], block_dyx[c];
    for (int64_t chunk = begin; chunk < end; chunk++) {
        double *sum_dy = j->partials + chunk * 2 * c, *sum_dyx = sum_dy + c;
        for (int64_t k = 0; k < c; k++) { sum_dy[k] = 0; sum_dyx[k] = 0; }
        const int64_t first = j->rows * chunk / j->chunks, last = j->rows * (chunk + 1) / j->chunks;
        for (int64_t r0 = first; r0 < last; r0 += NK_BLOCK_ROWS) {
            const int64_t r1 = r0 + NK_BLOCK_ROWS < last ? r0 + NK_BLOCK_ROWS : last;
            for (int64_t k = 0; k < c; k++) { block_dy[k] = 0; block_dyx[k] = 0; }
            const float *restrict mean = j->mean, *restrict inv = j->inverse_std;
            for (int64_t r = r0; r < r1; r++) {
                const float *restrict dy = j->dy + r * c, *restrict x = j->x + r * c;
                for (int64_t k = 0; k < c; k++) {
                    block_dy[k] += dy[k];
                    block_dyx[k] += dy[k] * ((x[k] - mean[k]) * inv[k]);
                }
            }
            for (int64_t k = 0; k < c; k++) { sum_dy[k] += block_dy[k]; sum_dyx[k] += block_dyx[k]; }
        }
    }
}
NK_DISPATCH(grad_sums_chunks)

int nk_bn_gradient_sums(const float *dy, const float *x, const float *mean, const float *inverse_std, int64_t rows,
                        int64_t channels, float *sum_dy, float *sum_dy_xhat) {
    int chunks = chunk_count(rows);
    double *partials = malloc((size_t)chunks * 2 * (size_t)channels * sizeof *partials);
    if (!partials) return (int)dnnl_out_of_memory;
    grad_sums_job job = {dy, x, mean, inverse_std, partials, rows, channels, chunks};
    nk_parallel_for(chunks, chunks, grad_sums_chunks, &job);
    for (int64_t k = 0; k < channels; k++) {
        double a = 0, b = 0;
        for (int chunk = 0; chunk < chunks; chunk++) {
            a += partials[chunk * 2 * channels + k];
            b += partials[chunk * 2 * channels + channels + k];
        }
        sum_dy[k] = (float)a;
        sum_dy_xhat[k] = (float)b;
    }
    free(partials);
    return 0;
}

typedef struct input_grad_job {
    const float *dy, *x, *mean, *gamma, *inverse_std, *sum_dy, *sum_dy_xhat;
    float *dx;
    int64_t rows, channels;
    int training;
    float count;
} input_grad_job;

NK_VECTORISED void input_grad_rows_body(void *context, int64_t begin, int64_t end) {
    const input_grad_job *j = context;
    const int64_t c = j->channels;
    const float m = j->count;
    const float *restrict gamma = j->gamma, *restrict inv = j->inverse_std, *restrict sdy = j->sum_dy,
                *restrict sdyx = j->sum_dy_xhat, *restrict mean = j->mean;
    for (int64_t r = begin; r < end; r++) {
        const float *restrict dy = j->dy + r * c, *restrict x = j->x + r * c;
        float *restrict dx = j->dx + r * c;
        if (j->training) {
            for (int64_t k = 0; k < c; k++) {
                float xhat = (x[k] - mean[k]) * inv[k];
                dx[k] = gamma[k] * inv[k] / m * (m * dy[k] - sdy[k] - xhat * sdyx[k]);
            }
        } else {
            for (int64_t k = 0; k < c; k++) dx[k] = gamma[k] * inv[k] * dy[k];
        }
    }
}
NK_DISPATCH(input_grad_rows)

void nk_bn_input_gradient(const float *dy, const float *x, const float *mean, int64_t rows, float count,
                          int64_t channels,
                          const float *gamma, const float *inverse_std, const float *sum_dy, const float *sum_dy_xhat,
                          int training, float *dx) {
    input_grad_job job = {dy, x, mean, gamma, inverse_std, sum_dy, sum_dy_xhat, dx, rows, channels, training, count};
    nk_parallel_for(rows, nk_threads() * 4, input_grad_rows, &job);
}

typedef struct clamp_job {
    const float *x, *dy;
    float *out;
    int64_t count;
    float threshold, top, slope;
} clamp_job;

enum { NK_CLAMP_CHUNK = 16384 };

/* Keras's ReLU: x > threshold ? min(x, top) : slope * (x - threshold). */
NK_VECTORISED void clamp_forward_chunks_body(void *context, int64_t begin, int64_t end) {
    const clamp_job *j = context;
    const int64_t first = begin * NK_CLAMP_CHUNK, last = end * NK_CLAMP_CHUNK < j->count ? end * NK_CLAMP_CHUNK : j->count;
    const float *restrict x = j->x;
    float *restrict y = j->out;
    const float t = j->threshold, top = j->top, s = j->slope;
    for (int64_t i = first; i < last; i++) {
        float v = x[i];
        float high = v < top ? v : top;
        y[i] = v > t ? high : s * (v - t);
    }
}
NK_DISPATCH(clamp_forward_chunks)

/* Its derivative times dy: dy where threshold < x < top, slope * dy at or below threshold, else 0. */
NK_VECTORISED void clamp_backward_chunks_body(void *context, int64_t begin, int64_t end) {
    const clamp_job *j = context;
    const int64_t first = begin * NK_CLAMP_CHUNK, last = end * NK_CLAMP_CHUNK < j->count ? end * NK_CLAMP_CHUNK : j->count;
    const float *restrict x = j->x, *restrict dy = j->dy;
    float *restrict dx = j->out;
    const float t = j->threshold, top = j->top, s = j->slope;
    for (int64_t i = first; i < last; i++) {
        float v = x[i];
        float inside = v < top ? dy[i] : 0.0f;
        dx[i] = v > t ? inside : dy[i] * s;
    }
}
NK_DISPATCH(clamp_backward_chunks)

static int64_t clamp_chunks(int64_t count) { return (count + NK_CLAMP_CHUNK - 1) / NK_CLAMP_CHUNK; }

void nk_clamp_forward(const float *x, float *y, int64_t count, float threshold, float top, float slope) {
    clamp_job job = {x, NULL, y, count, threshold, top, slope};
    int64_t chunks = clamp_chunks(count);
    nk_parallel_for(chunks, chunks < nk_threads() * 4 ? (int)chunks : nk_threads() * 4, clamp_forward_chunks, &job);
}

void nk_clamp_backward(const float *x, const float *dy, float *dx, int64_t count, float threshold, float top,
                       float slope) {
    clamp_job job = {x, dy, dx, count, threshold, top, slope};
    int64_t chunks = clamp_chunks(count);
    nk_parallel_for(chunks, chunks < nk_threads() * 4 ? (int)chunks : nk_threads() * 4, clamp_backward_chunks, &job);
}
