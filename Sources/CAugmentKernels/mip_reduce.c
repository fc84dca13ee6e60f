/* The mip-level box prefilter: vertical sums of ky rows into a 16-bit row (255 · 256 fits),
   then horizontal sums of kx pixels and an exact rounded division. */
#include "CAugmentKernels.h"
#include "cpu_features.h"

/* floor(numerator / divisor) by multiply-shift, exact for numerators below 2^32
   (Granlund-Montgomery). */
typedef struct { uint64_t multiplier; unsigned shift; } exact_divisor;

static exact_divisor make_divisor(uint64_t divisor) {   /* divisor >= 2 */
    exact_divisor d = { 0, 32 + 64 - (unsigned)__builtin_clzll(divisor - 1) };
    d.multiplier = (((uint64_t)1 << d.shift) + divisor - 1) / divisor;
    return d;
}

/* One mip row from the column sums `acc` (width * C values): blocks of kx pixels. */
static inline __attribute__((always_inline))
void finish_row(const uint16_t *acc, int width, int C, int kx, int rows, uint8_t *out) {
    int full_blocks = width / kx, n = kx * rows;
    if ((n & (n - 1)) == 0) {
        /* n a power of two: floor((2s + n) / 2n) = (s + n/2) >> log2(n). */
        unsigned sh = (unsigned)__builtin_ctz((unsigned)n), half = (unsigned)n >> 1;
        if (kx == 1) {
            for (int j = 0; j < width * C; j++) out[j] = (uint8_t)((acc[j] + half) >> sh);
        } else if (kx == 2) {
            for (int m = 0; m < full_blocks; m++)
                for (int ch = 0; ch < C; ch++)
                    out[m * C + ch] = (uint8_t)(((unsigned)acc[2 * m * C + ch] + acc[(2 * m + 1) * C + ch] + half) >> sh);
        } else {
            for (int m = 0; m < full_blocks; m++)
                for (int ch = 0; ch < C; ch++) {
                    unsigned s = 0;
                    for (int i = 0; i < kx; i++) s += acc[(m * kx + i) * C + ch];
                    out[m * C + ch] = (uint8_t)((s + half) >> sh);
                }
        }
    } else {
        exact_divisor d = make_divisor(2 * (uint64_t)n);
        for (int m = 0; m < full_blocks; m++)
            for (int ch = 0; ch < C; ch++) {
                uint64_t s = 0;
                for (int i = 0; i < kx; i++) s += acc[(m * kx + i) * C + ch];
                out[m * C + ch] = (uint8_t)(((2 * s + (uint64_t)n) * d.multiplier) >> d.shift);
            }
    }
    int rest = width - full_blocks * kx;
    if (rest > 0) {
        /* The partial block at the right edge. */
        uint64_t count = (uint64_t)rest * (uint64_t)rows;
        for (int ch = 0; ch < C; ch++) {
            uint64_t s = 0;
            for (int i = 0; i < rest; i++) s += acc[(full_blocks * kx + i) * C + ch];
            out[full_blocks * C + ch] = (uint8_t)((2 * s + count) / (2 * count));
        }
    }
}

static inline __attribute__((always_inline))
void reduce_body(const uint8_t *src, ptrdiff_t stride, int width, int height, int C, int kx, int ky, uint8_t *dst,
                 uint16_t *acc) {
    int mw = (width + kx - 1) / kx, mh = (height + ky - 1) / ky, row = width * C;
    for (int my = 0; my < mh; my++) {
        int y0 = my * ky, y1 = y0 + ky < height ? y0 + ky : height;
        const uint8_t *a = src + (ptrdiff_t)y0 * stride;
        uint8_t *out = dst + (size_t)my * mw * C;
        if (y1 - y0 == 1) {
            for (int j = 0; j < row; j++) acc[j] = a[j];
        } else {
            const uint8_t *b = a + stride;
            for (int j = 0; j < row; j++) acc[j] = (uint16_t)(a[j] + b[j]);
            for (int y = y0 + 2; y < y1; y++) {
                const uint8_t *r = src + (ptrdiff_t)y * stride;
                for (int j = 0; j < row; j++) acc[j] = (uint16_t)(acc[j] + r[j]);
            }
        }
        /* A constant C lets the compiler vectorise the interleaved channel sums. */
        switch (C) {
        case 1: finish_row(acc, width, 1, kx, y1 - y0, out); break;
        case 2: finish_row(acc, width, 2, kx, y1 - y0, out); break;
        case 3: finish_row(acc, width, 3, kx, y1 - y0, out); break;
        default: finish_row(acc, width, 4, kx, y1 - y0, out); break;
        }
    }
}

#if AUG_HAVE_X86_DISPATCH
AUG_TARGET_AVX2
static void reduce_avx2(const uint8_t *src, ptrdiff_t stride, int width, int height, int C, int kx, int ky, uint8_t *dst, uint16_t *acc) {
    reduce_body(src, stride, width, height, C, kx, ky, dst, acc);
}
#endif

static void reduce_portable(const uint8_t *src, ptrdiff_t stride, int width, int height, int C, int kx, int ky, uint8_t *dst, uint16_t *acc) {
    reduce_body(src, stride, width, height, C, kx, ky, dst, acc);
}

void aug_mip_reduce(const uint8_t *src, ptrdiff_t row_stride, int width, int height, int channels, int kx, int ky,
                    uint8_t *dst, uint16_t *acc) {
#if AUG_HAVE_X86_DISPATCH
    if (aug_cpu_has_avx2()) reduce_avx2(src, row_stride, width, height, channels, kx, ky, dst, acc);
    else
#endif
    reduce_portable(src, row_stride, width, height, channels, kx, ky, dst, acc);
}
