/* Per-layer timing of a 3x3 stride-1 convolution's three passes: oneDNN's direct kernels against
   winograd.c's AVX2 Winograd F(4x4, 3x3), called directly whatever conv.c's rule would choose,
   on one thread (the basis of avx2_winograd_suits in conv.c). Also checks both against direct
   loops. Build and run from the package's root (needs AVX2 and FMA):

     clang -O2 -ISources/CNeuralKernels/include -ISources/CNeuralKernels scripts/bench_convolution_layers.c \
       Sources/CNeuralKernels/{conv,runtime,parallel,bias,winograd}.c -ldnnl -lgomp -lm -o /tmp/conv-layers
     OMP_NUM_THREADS=1 /tmp/conv-layers            # the default shapes
     OMP_NUM_THREADS=1 /tmp/conv-layers 32 28 16 16 same [32 13 32 64 valid ...]

   Each shape is batch, input height (= width), channels, filters, padding. Times are medians of
   15 calls, in ms. */
#include "CNeuralKernels.h"
#include "winograd.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { REPEATS = 15 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static float next(unsigned *state) {
    *state = *state * 1103515245u + 12345u;
    return (float)((*state >> 8) & 0xffff) / 32768.0f - 1.0f;
}

static int compare(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Largest difference relative to the largest expected magnitude. */
static double relative_error(const float *actual, const float *expected, long count) {
    double worst = 0, scale = 1e-3;
    for (long i = 0; i < count; i++) {
        worst = fmax(worst, fabs(actual[i] - expected[i]));
        scale = fmax(scale, fabs(expected[i]));
    }
    return worst / scale;
}

typedef struct layer {
    nk_conv_geometry g;
    float *x, *w, *dy, *bias, *y, *dx, *dw, *db;
} layer;

static void direct_loops(const layer *l, float *y, float *dx, float *dw) {
    const nk_conv_geometry *g = &l->g;
    for (long n = 0; n < g->batch; n++)
        for (long oy = 0; oy < g->out_h; oy++)
            for (long ox = 0; ox < g->out_w; ox++)
                for (int ky = 0; ky < 3; ky++)
                    for (int kx = 0; kx < 3; kx++) {
                        const long iy = oy + ky - g->pad_top, ix = ox + kx - g->pad_left;
                        if (iy < 0 || iy >= g->height || ix < 0 || ix >= g->width) continue;
                        for (long c = 0; c < g->channels; c++)
                            for (long f = 0; f < g->filters; f++) {
                                const long i = ((n * g->height + iy) * g->width + ix) * g->channels + c;
                                const long k = ((ky * 3 + kx) * g->channels + c) * g->filters + f;
                                const long o = ((n * g->out_h + oy) * g->out_w + ox) * g->filters + f;
                                y[o] += l->x[i] * l->w[k];
                                dx[i] += l->dy[o] * l->w[k];
                                dw[k] += l->x[i] * l->dy[o];
                            }
                    }
}

/* Times of the three passes (forward, input gradient, kernel gradient): which 0 = oneDNN direct,
   1 = winograd.c. */
static void time_passes(layer *l, nk_conv *direct, int which, double out[3]) {
    const nk_conv_geometry *g = &l->g;
    const nk_winograd_shape forward = {g->batch, g->height, g->width, g->channels, g->out_h, g->out_w,
                                       g->filters, g->pad_top, g->pad_left};
    const nk_winograd_shape backward = {g->batch, g->out_h, g->out_w, g->filters, g->height, g->width,
                                        g->channels, 2 - g->pad_top, 2 - g->pad_left};
    float *u = malloc(sizeof(float) * (size_t)nk_winograd_kernel_count(&forward));
    double samples[3][REPEATS];
    for (int r = 0; r < REPEATS; r++) {
        double t0 = now();
        if (which) {
            nk_winograd_transform_kernel(l->w, g->channels, g->filters, 0, u);
            nk_winograd_forward(&forward, l->x, u, l->bias, NK_ACTIVATION_NONE, 0, l->y);
        } else {
            nk_conv_forward(direct, l->x, l->w, l->bias, l->y);
        }
        double t1 = now();
        if (which) {
            nk_winograd_transform_kernel(l->w, g->channels, g->filters, 1, u);
            nk_winograd_forward(&backward, l->dy, u, NULL, NK_ACTIVATION_NONE, 0, l->dx);
        } else {
            nk_conv_backward_data(direct, l->dy, l->w, l->dx);
        }
        double t2 = now();
        if (which) nk_winograd_kernel_gradient(&forward, l->x, l->dy, l->dw);
        else nk_conv_backward_weights(direct, l->x, l->dy, l->dw, l->db);
        double t3 = now();
        samples[0][r] = t1 - t0;
        samples[1][r] = t2 - t1;
        samples[2][r] = t3 - t2;
    }
    for (int p = 0; p < 3; p++) {
        qsort(samples[p], REPEATS, sizeof(double), compare);
        out[p] = samples[p][REPEATS / 2] * 1e3;
    }
    free(u);
}

static void run(long batch, long size, long channels, long filters, int same) {
    layer l = {0};
    nk_conv_geometry *g = &l.g;
    g->batch = batch;
    g->height = g->width = size;
    g->channels = channels;
    g->filters = filters;
    g->kernel_h = g->kernel_w = 3;
    g->stride_y = g->stride_x = 1;
    g->pad_top = g->pad_left = g->pad_bottom = g->pad_right = same ? 1 : 0;
    g->out_h = g->out_w = same ? size : size - 2;
    const long nx = batch * size * size * channels, ny = batch * g->out_h * g->out_w * filters, nw = 9 * channels * filters;
    unsigned state = 1;
    l.x = malloc(sizeof(float) * nx);
    l.dx = malloc(sizeof(float) * nx);
    l.w = malloc(sizeof(float) * nw);
    l.dw = malloc(sizeof(float) * nw);
    l.dy = malloc(sizeof(float) * ny);
    l.y = malloc(sizeof(float) * ny);
    l.bias = calloc(filters, sizeof(float));
    l.db = calloc(filters, sizeof(float));
    for (long i = 0; i < nx; i++) l.x[i] = next(&state);
    for (long i = 0; i < nw; i++) l.w[i] = 0.3f * next(&state);
    for (long i = 0; i < ny; i++) l.dy[i] = next(&state);
    nk_conv_set_winograd(0);
    nk_conv *direct;
    if (nk_conv_create(&direct, g, 1, 0)) { fprintf(stderr, "oneDNN refused the shape\n"); exit(1); }

    /* Correctness, on the first two samples' worth of work (direct loops are slow). */
    double times[2][3], errors[2] = {-1, -1};
    if (batch * size * size * channels * filters <= (1L << 26)) {
        float *y = calloc(ny, sizeof(float)), *dx = calloc(nx, sizeof(float)), *dw = calloc(nw, sizeof(float));
        direct_loops(&l, y, dx, dw);
        for (int which = 0; which < 2; which++) {
            time_passes(&l, direct, which, times[which]);
            errors[which] = fmax(fmax(relative_error(l.y, y, ny), relative_error(l.dx, dx, nx)), relative_error(l.dw, dw, nw));
        }
        free(y), free(dx), free(dw);
    } else {
        for (int which = 0; which < 2; which++) time_passes(&l, direct, which, times[which]);
    }
    const double direct_total = times[0][0] + times[0][1] + times[0][2];
    const double winograd_total = times[1][0] + times[1][1] + times[1][2];
    char checked[64] = "not checked (too large)";
    if (errors[0] >= 0) snprintf(checked, sizeof checked, "%.0e / %.0e", errors[0], errors[1]);
    printf("| %ld | %ldx%ldx%ld -> %ld %s | %.2f / %.2f / %.2f | %.2f / %.2f / %.2f | %.2fx | %s |\n", batch, size,
           size, channels, filters, same ? "same" : "valid", times[0][0], times[0][1], times[0][2], times[1][0],
           times[1][1], times[1][2], direct_total / winograd_total, checked);
    nk_conv_destroy(direct);
    free(l.x), free(l.dx), free(l.w), free(l.dw), free(l.dy), free(l.y), free(l.bias), free(l.db);
}

int main(int argc, char **argv) {
    if (!nk_winograd_avx2_available()) { fprintf(stderr, "this CPU lacks AVX2 or FMA\n"); return 1; }
    printf("| batch | layer | direct ms: forward / input grad / kernel grad | Winograd ms | speed-up | error direct / Winograd |\n");
    printf("|---:|---|---|---|---:|---|\n");
    if (argc > 1) {
        for (int i = 1; i + 4 < argc; i += 5)
            run(atol(argv[i]), atol(argv[i + 1]), atol(argv[i + 2]), atol(argv[i + 3]), strcmp(argv[i + 4], "same") == 0);
        return 0;
    }
    static const long shapes[][5] = {
        {32, 28, 16, 16, 1}, {32, 14, 32, 32, 1}, {32, 13, 32, 64, 0}, {32, 5, 64, 64, 0}, {32, 8, 64, 64, 0},
        {32, 7, 32, 32, 1},  {16, 28, 64, 64, 1}, {16, 14, 64, 64, 1}, {16, 28, 128, 128, 1}, {16, 14, 128, 128, 1},
        {32, 7, 128, 128, 1}, {8, 14, 256, 256, 1},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        run(shapes[i][0], shapes[i][1], shapes[i][2], shapes[i][3], (int)shapes[i][4]);
    return 0;
}
