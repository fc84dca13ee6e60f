/* The affine colour steps of the ops recipe (brightness, contrast, saturation, grayscale) on a
   rendered sample of Floats. Each step is v' = clamp(M v + o, 0, 255), clamped after every step
   as torchvision clamps. Pixels go through in blocks of 64: de-interleaved into three planes,
   the steps run plane-wise (loops the compiler vectorises; AVX2 when the CPU has it, the same
   arithmetic without FMA contraction so every CPU gets the same bits), then interleaved back. */
#include "CAugmentKernels.h"
#include "cpu_features.h"
#include "color_steps.h"

#pragma clang fp contract(off)

enum { BLOCK = 64 };

#define COLOR_BLOCK_BODY AUG_COLOR_STEPS(steps, count, n, 0)

static void block_generic(float *restrict r, float *restrict g, float *restrict b, int n,
                          const float *steps, int count) {
    COLOR_BLOCK_BODY
}

#if AUG_HAVE_X86_DISPATCH
AUG_TARGET_AVX2 static void block_avx2(float *restrict r, float *restrict g, float *restrict b, int n,
                                       const float *steps, int count) {
    COLOR_BLOCK_BODY
}
#endif

/* The grayscale sum of a block in eight lane accumulators summed in a fixed order: vectorisable,
   and the same bits with or without AVX2. */
static float gray_sum(const float *r, const float *g, const float *b, int n, const float *w) {
    float lanes[8] = {0};
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int l = 0; l < 8; l++) lanes[l] += w[0] * r[i + l] + w[1] * g[i + l] + w[2] * b[i + l];
    for (; i < n; i++) lanes[0] += w[0] * r[i] + w[1] * g[i] + w[2] * b[i];
    float sum = 0.0f;
    for (int l = 0; l < 8; l++) sum += lanes[l];
    return sum;
}

double aug_gray_sum(const float *data, long pixels, long pixel_stride, long channel_stride, const float *weights) {
    float r[BLOCK], g[BLOCK], b[BLOCK];
    double total = 0.0;
    for (long start = 0; start < pixels; start += BLOCK) {
        const int n = (int)(pixels - start < BLOCK ? pixels - start : BLOCK);
        const float *q = data + start * pixel_stride;
        if (pixel_stride == 1) {
            total += gray_sum(q, q + channel_stride, q + 2 * channel_stride, n, weights);
            continue;
        }
        for (int i = 0; i < n; i++) {
            r[i] = q[i * pixel_stride];
            g[i] = q[i * pixel_stride + channel_stride];
            b[i] = q[i * pixel_stride + 2 * channel_stride];
        }
        total += gray_sum(r, g, b, n, weights);
    }
    return total;
}

#if AUG_HAVE_X86_DISPATCH
#include <immintrin.h>

/* The last segment from three planes to interleaved RGB, sixteen pixels at a time in
   registers: the block path's operations lane for lane (max(0, x) and min(255, x) keep its
   `x < 0 ? 0 : x` and `x > 255 ? 255 : x`, signed zeros and NaN included), then the
   normalisation, then two permutes per stored vector. */
typedef struct { __m512i first[3], second[3]; } interleave3;

AUG_TARGET_AVX512 static inline void last_pixels16(const float *data, long i, long channel_stride,
                                                    const float *steps, int count, const float *scale,
                                                    const float *bias, const interleave3 *x3, __m512 v[3]) {
    const __m512 zero = _mm512_setzero_ps(), top = _mm512_set1_ps(255.0f);
    __m512 r = _mm512_loadu_ps(data + i), g = _mm512_loadu_ps(data + channel_stride + i);
    __m512 b = _mm512_loadu_ps(data + 2 * channel_stride + i);
    for (int k = 0; k < count; k++) {
        const float *m = steps + 10 * k;
        const __m512 o = _mm512_set1_ps(m[9]);
        if (AUG_DIAGONAL(m)) {
            r = _mm512_min_ps(top, _mm512_max_ps(zero, _mm512_add_ps(_mm512_mul_ps(_mm512_set1_ps(m[0]), r), o)));
            g = _mm512_min_ps(top, _mm512_max_ps(zero, _mm512_add_ps(_mm512_mul_ps(_mm512_set1_ps(m[4]), g), o)));
            b = _mm512_min_ps(top, _mm512_max_ps(zero, _mm512_add_ps(_mm512_mul_ps(_mm512_set1_ps(m[8]), b), o)));
            continue;
        }
#define AUG_ROW(a, bb, c) _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(_mm512_mul_ps(_mm512_set1_ps(a), r), \
                          _mm512_mul_ps(_mm512_set1_ps(bb), g)), _mm512_mul_ps(_mm512_set1_ps(c), b)), o)
        const __m512 x = AUG_ROW(m[0], m[1], m[2]), y = AUG_ROW(m[3], m[4], m[5]), z = AUG_ROW(m[6], m[7], m[8]);
#undef AUG_ROW
        r = _mm512_min_ps(top, _mm512_max_ps(zero, x));
        g = _mm512_min_ps(top, _mm512_max_ps(zero, y));
        b = _mm512_min_ps(top, _mm512_max_ps(zero, z));
    }
    r = _mm512_add_ps(_mm512_mul_ps(r, _mm512_set1_ps(scale[0])), _mm512_set1_ps(bias[0]));
    g = _mm512_add_ps(_mm512_mul_ps(g, _mm512_set1_ps(scale[1])), _mm512_set1_ps(bias[1]));
    b = _mm512_add_ps(_mm512_mul_ps(b, _mm512_set1_ps(scale[2])), _mm512_set1_ps(bias[2]));
    for (int j = 0; j < 3; j++)
        v[j] = _mm512_permutex2var_ps(_mm512_permutex2var_ps(r, x3->first[j], g), x3->second[j], b);
}

/* Returns the pixels it did; the caller finishes the rest. The first 16 pixels are stored
   plainly; from the first pixel whose output is 64-byte aligned on, streaming stores (the slot
   is written once and read by the consumer much later), those pixels written again with the
   same values. */
AUG_TARGET_AVX512 static long last_planar_avx512(const float *data, long pixels, long channel_stride,
                                                 const float *steps, int count, const float *scale,
                                                 const float *bias, float *out) {
    interleave3 x3;
    for (int j = 0; j < 3; j++) {
        int32_t first[16], second[16];
        for (int l = 0; l < 16; l++) {
            const int k = 16 * j + l, p = k / 3, c = k % 3;
            first[l] = c == 0 ? p : 16 + p;    /* r or g */
            second[l] = c == 2 ? 16 + p : l;   /* b, or keep */
        }
        x3.first[j] = _mm512_loadu_si512((const void *)first);
        x3.second[j] = _mm512_loadu_si512((const void *)second);
    }
    if (pixels < 32) return 0;
    __m512 v[3];
    last_pixels16(data, 0, channel_stride, steps, count, scale, bias, &x3, v);
    for (int j = 0; j < 3; j++) _mm512_storeu_ps(out + 16 * j, v[j]);
    long i = 16;
    for (long h = 0; h < 16; h++)
        if (((uintptr_t)(out + 3 * h) & 63) == 0) { i = h; break; }
    for (; i + 16 <= pixels; i += 16) {
        last_pixels16(data, i, channel_stride, steps, count, scale, bias, &x3, v);
        float *w = out + 3 * i;
        for (int j = 0; j < 3; j++) {
            if (((uintptr_t)w & 63) == 0) _mm512_stream_ps(w + 16 * j, v[j]); else _mm512_storeu_ps(w + 16 * j, v[j]);
        }
    }
    _mm_sfence();
    return i;
}
#endif

double aug_color_affine(float *data, long pixels, long pixel_stride, long channel_stride, int three,
                        const float *steps, int count, const float *scale, const float *bias,
                        const float *weights) {
    return aug_color_affine_to(data, pixels, pixel_stride, channel_stride, three, steps, count, scale, bias, weights,
                               data, pixel_stride, channel_stride);
}

double aug_color_affine_to(const float *data, long pixels, long pixel_stride, long channel_stride, int three,
                           const float *steps, int count, const float *scale, const float *bias,
                           const float *weights, float *out, long out_pixel_stride, long out_channel_stride) {
    float r[BLOCK], g[BLOCK], b[BLOCK];
    const long c1 = three ? channel_stride : 0, c2 = three ? 2 * channel_stride : 0;
    const long d1 = three ? out_channel_stride : 0, d2 = three ? 2 * out_channel_stride : 0;
    const int packed = three && pixel_stride == 3 && channel_stride == 1;
    const int packed_out = three && out_pixel_stride == 3 && out_channel_stride == 1;
    const int planar = three && pixel_stride == 1;
#if AUG_HAVE_X86_DISPATCH
    void (*block)(float *restrict, float *restrict, float *restrict, int, const float *, int) =
        aug_cpu_has_avx2() ? block_avx2 : block_generic;
#else
    void (*block)(float *restrict, float *restrict, float *restrict, int, const float *, int) = block_generic;
#endif
    double total = 0.0;
    long done = 0;
#if AUG_HAVE_X86_DISPATCH
    if (scale && planar && packed_out && out != data && aug_cpu_has_avx512())
        done = last_planar_avx512(data, pixels, channel_stride, steps, count, scale, bias, out);
#endif
    for (long start = done; start < pixels; start += BLOCK) {
        const int n = (int)(pixels - start < BLOCK ? pixels - start : BLOCK);
        const float *q = data + start * pixel_stride;
        if (planar) {
            for (int i = 0; i < n; i++) { r[i] = q[i]; g[i] = q[i + c1]; b[i] = q[i + c2]; }
        } else if (packed) {
            for (int i = 0; i < n; i++) { r[i] = q[3 * i]; g[i] = q[3 * i + 1]; b[i] = q[3 * i + 2]; }
        } else {
            for (int i = 0; i < n; i++) {
                r[i] = q[i * pixel_stride];
                g[i] = q[i * pixel_stride + c1];
                b[i] = q[i * pixel_stride + c2];
            }
        }
        block(r, g, b, n, steps, count);
        if (scale) {
            const float s0 = scale[0], s1 = scale[1], s2 = scale[2], b0 = bias[0], b1 = bias[1], b2 = bias[2];
            for (int i = 0; i < n; i++) { r[i] = r[i] * s0 + b0; g[i] = g[i] * s1 + b1; b[i] = b[i] * s2 + b2; }
        } else {
            total += gray_sum(r, g, b, n, weights);
        }
        float *w = out + start * out_pixel_stride;
        if (packed_out) {
            for (int i = 0; i < n; i++) { w[3 * i] = r[i]; w[3 * i + 1] = g[i]; w[3 * i + 2] = b[i]; }
        } else {
            for (int i = 0; i < n; i++) {
                w[i * out_pixel_stride] = r[i];
                if (three) {
                    w[i * out_pixel_stride + d1] = g[i];
                    w[i * out_pixel_stride + d2] = b[i];
                }
            }
        }
    }
    return total;
}
