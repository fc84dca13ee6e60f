/* The row-affine warp of the ops recipe with its first colour steps fused in: for a map
   without rotation or shear (source x depends on the output column only, source y on the
   output row only) every output row blends two source rows, each interpolated along x once
   and kept while consecutive output rows share it. Per output row, plane-wise on three
   channels: the vertical blend, the colour steps v' = clamp(M v + o, 0, 255), then either the
   normalisation (the steps were the last), and the store; then, unless it normalised, the
   grayscale sum the next contrast step needs (aug_gray_sum, over the stored planes).
   The arithmetic is ExactWarp's and aug_color_affine's, operation for operation and in the same
   order, without FMA contraction: `nearest`-clamped 32.32 coordinates, lerp(a, b, t) = a + t (b - a)
   along x then y. So
   the bytes equal the warp-then-colour-pass path's on every CPU; the loops are compiled three
   times (generic, AVX2, AVX-512) and chosen at run time. */
#include "CAugmentKernels.h"
#include "cpu_features.h"
#include "color_steps.h"
#include <pthread.h>
#include <stdlib.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#pragma clang fp contract(off)

/* Samples of one source row at the output columns, three planes of `width` Floats. */
#define ROW_INTERPOLATE_BODY                                                                     \
    for (int c = 0; c < 3; c++) {                                                                \
        const uint8_t *p = row + c;                                                              \
        float *o = plane + c * width;                                                            \
        for (int i = 0; i < width; i++) {                                                        \
            const float a = (float)p[offset[i]], b = (float)p[offset[i] + 3];                    \
            o[i] = a + fx[i] * (b - a);                                                          \
        }                                                                                        \
    }

/* One output row: vertical blend of `upper` and `lower`, the steps, the normalisation when
   `scale` is given, in planes r, g, b, then the store. */
#define ROW_COLOR_BODY                                                                           \
    for (int i = 0; i < width; i++) {                                                            \
        r[i] = upper[i] + fy * (lower[i] - upper[i]);                                            \
        g[i] = upper[width + i] + fy * (lower[width + i] - upper[width + i]);                    \
        b[i] = upper[2 * width + i] + fy * (lower[2 * width + i] - upper[2 * width + i]);        \
    }                                                                                            \
    AUG_COLOR_STEPS(steps, count, width, 1)                                                      \
    if (scale) {                                                                                 \
        const float s0 = scale[0], s1 = scale[1], s2 = scale[2];                                 \
        const float b0 = bias[0], b1 = bias[1], b2 = bias[2];                                    \
        for (int i = 0; i < width; i++) { r[i] = r[i] * s0 + b0; g[i] = g[i] * s1 + b1; b[i] = b[i] * s2 + b2; } \
    }                                                                                            \
    if (pixel_stride == 3 && channel_stride == 1) {                                              \
        for (int i = 0; i < width; i++) { out[3 * i] = r[i]; out[3 * i + 1] = g[i]; out[3 * i + 2] = b[i]; } \
    } else {                                                                                     \
        for (int i = 0; i < width; i++) {                                                        \
            out[i * pixel_stride] = r[i];                                                        \
            out[i * pixel_stride + channel_stride] = g[i];                                       \
            out[i * pixel_stride + 2 * channel_stride] = b[i];                                   \
        }                                                                                        \
    }

typedef void (*row_interpolate_fn)(const uint8_t *row, const int32_t *offset, const float *fx, int width,
                                   float *plane);
typedef void (*row_color_fn)(const float *upper, const float *lower, float fy, int width, const float *steps,
                             int count, const float *scale, const float *bias, float *r, float *g, float *b,
                             float *out, ptrdiff_t pixel_stride, ptrdiff_t channel_stride);

static void row_interpolate_generic(const uint8_t *row, const int32_t *restrict offset, const float *restrict fx,
                                    int width, float *restrict plane) {
    ROW_INTERPOLATE_BODY
}

#define ROW_FUNCTIONS(suffix, attributes)                                                        \
    attributes static void row_color_##suffix(const float *restrict upper, const float *restrict lower, float fy, \
                                              int width, const float *steps, int count, const float *scale, \
                                              const float *bias, float *restrict r, \
                                              float *restrict g, float *restrict b, float *restrict out, \
                                              ptrdiff_t pixel_stride, ptrdiff_t channel_stride) { \
        ROW_COLOR_BODY                                                                           \
    }

ROW_FUNCTIONS(generic, )
#if AUG_HAVE_X86_DISPATCH
ROW_FUNCTIONS(avx2, AUG_TARGET_AVX2)
ROW_FUNCTIONS(avx512, AUG_TARGET_AVX512)

/* The x interpolation with gathers: per column the 32-bit words at the pixel (r0 g0 b0 r1) and
   two bytes on (b0 r1 g1 b1), which end with the right neighbour's last byte, so nothing past
   it is read. Then the portable loop's lerp, lane for lane. */
#define AUG_GATHER_LERP(V, PS, EPI, load_ps, store_ps, add, sub, mul, cvt, and_, srli, set1, gather)       \
    const V##i mask = set1(0xFF);                                                                 \
    int i = 0;                                                                                    \
    for (; i + (int)(sizeof(V) / 4) <= width; i += (int)(sizeof(V) / 4)) {                       \
        const V##i o = EPI(offset + i);                                                           \
        const V##i w0 = gather(o, row), w1 = gather(o, row + 2);                                  \
        const V t = load_ps(fx + i);                                                              \
        const V r0 = cvt(and_(w0, mask)), g0 = cvt(and_(srli(w0, 8), mask));                      \
        const V b0 = cvt(and_(srli(w0, 16), mask)), r1 = cvt(srli(w0, 24));                       \
        const V g1 = cvt(and_(srli(w1, 16), mask)), b1 = cvt(srli(w1, 24));                       \
        store_ps(plane + i, add(r0, mul(t, sub(r1, r0))));                                        \
        store_ps(plane + width + i, add(g0, mul(t, sub(g1, g0))));                                \
        store_ps(plane + 2 * width + i, add(b0, mul(t, sub(b1, b0))));                            \
    }                                                                                             \
    for (; i < width; i++)                                                                        \
        for (int c = 0; c < 3; c++) {                                                             \
            const float a = (float)row[offset[i] + c], b = (float)row[offset[i] + 3 + c];         \
            plane[c * width + i] = a + fx[i] * (b - a);                                           \
        }

#define AUG_GATHER512(o, base) _mm512_i32gather_epi32((o), (const void *)(base), 1)
#define AUG_GATHER256(o, base) _mm256_i32gather_epi32((const int *)(const void *)(base), (o), 1)
#define AUG_LOAD512(p) _mm512_loadu_si512((const void *)(p))
#define AUG_LOAD256(p) _mm256_loadu_si256((const __m256i *)(const void *)(p))

AUG_TARGET_AVX512 static void row_interpolate_avx512(const uint8_t *row, const int32_t *offset, const float *fx,
                                                     int width, float *plane) {
    AUG_GATHER_LERP(__m512, ps, AUG_LOAD512, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_add_ps, _mm512_sub_ps,
                    _mm512_mul_ps, _mm512_cvtepi32_ps, _mm512_and_si512, _mm512_srli_epi32, _mm512_set1_epi32,
                    AUG_GATHER512)
}

AUG_TARGET_AVX2 static void row_interpolate_avx2(const uint8_t *row, const int32_t *offset, const float *fx,
                                                 int width, float *plane) {
    AUG_GATHER_LERP(__m256, ps, AUG_LOAD256, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_add_ps, _mm256_sub_ps,
                    _mm256_mul_ps, _mm256_cvtepi32_ps, _mm256_and_si256, _mm256_srli_epi32, _mm256_set1_epi32,
                    AUG_GATHER256)
}

/* The x interpolation with byte permutes (AVX-512 VBMI): the 16 columns of a block read at most
   128 bytes of the row from `bases[block]` (steps of at most 1.5 pixels, which the mip level
   leaves), loaded with masks that stop at the row's end; two permutes pick every column's six
   bytes (r0 g0 b0 r1 | g1 b1) as laid out by `tables` (128 bytes per block, from
   permute_tables). Blocks wider than that (base -1) and the last width mod 16 columns take the
   portable loop. */
#define AUG_TARGET_VBMI __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vbmi,avx2,fma")))

AUG_TARGET_VBMI static void row_interpolate_vbmi(const uint8_t *row, const int32_t *offset, const float *fx, int width,
                                                 float *plane, const int32_t *bases, const uint8_t *tables,
                                                 long row_bytes) {
    int i = 0;
    for (int block = 0; i + 16 <= width; i += 16, block++) {
        const long base = bases[block];
        if (base < 0) {
            for (int k = i; k < i + 16; k++)
                for (int c = 0; c < 3; c++) {
                    const float a = (float)row[offset[k] + c], b = (float)row[offset[k] + 3 + c];
                    plane[c * width + k] = a + fx[k] * (b - a);
                }
            continue;
        }
        const long avail = row_bytes - base;
        const __mmask64 m0 = avail >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << avail) - 1);
        const __mmask64 m1 = avail >= 128 ? ~(__mmask64)0 : avail <= 64 ? 0 : (((__mmask64)1 << (avail - 64)) - 1);
        const __m512i lo = _mm512_maskz_loadu_epi8(m0, row + base), hi = _mm512_maskz_loadu_epi8(m1, row + base + 64);
        const __m512i first = _mm512_permutex2var_epi8(lo, _mm512_loadu_si512((const void *)(tables + 128 * block)), hi);
        const __m512i second = _mm512_permutex2var_epi8(lo, _mm512_loadu_si512((const void *)(tables + 128 * block + 64)), hi);
#define AUG_BYTES(v, k) _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32((v), (k))))
        const __m512 t = _mm512_loadu_ps(fx + i);
        const __m512 r0 = AUG_BYTES(first, 0), g0 = AUG_BYTES(first, 1), b0 = AUG_BYTES(first, 2);
        const __m512 r1 = AUG_BYTES(first, 3), g1 = AUG_BYTES(second, 0), b1 = AUG_BYTES(second, 1);
#undef AUG_BYTES
        _mm512_storeu_ps(plane + i, _mm512_add_ps(r0, _mm512_mul_ps(t, _mm512_sub_ps(r1, r0))));
        _mm512_storeu_ps(plane + width + i, _mm512_add_ps(g0, _mm512_mul_ps(t, _mm512_sub_ps(g1, g0))));
        _mm512_storeu_ps(plane + 2 * width + i, _mm512_add_ps(b0, _mm512_mul_ps(t, _mm512_sub_ps(b1, b0))));
    }
    for (; i < width; i++)
        for (int c = 0; c < 3; c++) {
            const float a = (float)row[offset[i] + c], b = (float)row[offset[i] + 3 + c];
            plane[c * width + i] = a + fx[i] * (b - a);
        }
}

static int has_vbmi(void) { return aug_cpu_has_avx512() && __builtin_cpu_supports("avx512vbmi"); }
#endif

/* The permute tables of row_interpolate_vbmi: per block of 16 columns the lowest byte offset
   (base) and the bytes' places relative to it, r0 g0 b0 r1 (64 bytes) then g1 b1 (32 bytes and
   32 unused); base -1 when the block's bytes span more than 128. */
static void permute_tables(const int32_t *offset, int width, int32_t *bases, uint8_t *tables) {
    for (int block = 0; 16 * block + 16 <= width; block++) {
        const int32_t *o = offset + 16 * block;
        int32_t low = o[0], high = o[0];
        for (int k = 1; k < 16; k++) { low = o[k] < low ? o[k] : low; high = o[k] > high ? o[k] : high; }
        bases[block] = high + 6 - low <= 128 ? low : -1;
        uint8_t *t = tables + 128 * block;
        for (int k = 0; k < 16; k++) {
            const int d = o[k] - low;
            for (int c = 0; c < 4; c++) t[16 * c + k] = (uint8_t)(d + c);
            t[64 + k] = (uint8_t)(d + 4);
            t[80 + k] = (uint8_t)(d + 5);
            t[96 + k] = t[112 + k] = 0;
        }
    }
}

/* A 32.32 coordinate clamped to [0, (last << 32) - 1] (both bilinear neighbours exist): the
   whole part and the fraction as a Float, Float(UInt32(frac)) * 2^-32 as Swift converts. */
static inline void clamp_coordinate(int64_t v, int32_t last, int32_t *whole, float *fraction) {
    const int64_t top = ((int64_t)last << 32) - 1;
    if (v < 0) v = 0;
    if (v > top) v = top;
    *whole = (int32_t)(v >> 32);
    *fraction = (float)(uint32_t)v * 0x1p-32f;
}

typedef struct { size_t capacity; float *data; } thread_scratch;
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *p) {
    thread_scratch *s = p;
    free(s->data);
    free(s);
}

static void scratch_init(void) { pthread_key_create(&scratch_key, scratch_free); }

float *aug_thread_scratch(size_t count) {
    pthread_once(&scratch_once, scratch_init);
    thread_scratch *s = pthread_getspecific(scratch_key);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s || pthread_setspecific(scratch_key, s) != 0) { free(s); return NULL; }
    }
    if (s->capacity < count) {
        free(s->data);
        s->data = aligned_alloc(64, (count * sizeof(float) + 63) / 64 * 64);
        s->capacity = s->data ? count : 0;
    }
    return s->data;
}

double aug_row_warp(const aug_row_warp_args *a, float *scratch, int32_t *offset) {
    const int width = a->width;
    row_interpolate_fn interpolate = row_interpolate_generic;
    row_color_fn color = row_color_generic;
#if AUG_HAVE_X86_DISPATCH
    if (a->widest >= 2 && aug_cpu_has_avx512()) { interpolate = row_interpolate_avx512; color = row_color_avx512; }
    else if (a->widest >= 1 && aug_cpu_has_avx2()) { interpolate = row_interpolate_avx2; color = row_color_avx2; }
#endif
    float *fx = scratch, *rows[2] = { scratch + width, scratch + 4 * width };
    float *r = scratch + 7 * width, *g = r + width, *b = g + width;
    for (int i = 0; i < width; i++) {
        int32_t whole;
        clamp_coordinate(a->x + (int64_t)((uint64_t)i * (uint64_t)a->step_x), a->last_x, &whole, &fx[i]);
        offset[i] = 3 * whole;
    }
#if AUG_HAVE_X86_DISPATCH
    int32_t *bases = offset + width;
    uint8_t *tables = (uint8_t *)(offset + 2 * width);
    const int vbmi = a->widest >= 3 && has_vbmi();
    if (vbmi) permute_tables(offset, width, bases, tables);
    const long row_bytes = 3 * ((long)a->last_x + 1);
#endif
    long tags[2] = { -1, -1 };
    for (int row = 0; row < a->height; row++) {
        int32_t y;
        float fy;
        clamp_coordinate(a->row_y[row], a->last_y, &y, &fy);
        const float *planes[2];
        for (int k = 0; k < 2; k++) {
            const long want = y + k;
            int slot = tags[0] == want ? 0 : tags[1] == want ? 1 : -1;
            if (slot < 0) {
                /* Replace the row the other neighbour does not use. */
                slot = tags[0] == (k == 0 ? y + 1 : y) ? 1 : 0;
#if AUG_HAVE_X86_DISPATCH
                if (vbmi)
                    row_interpolate_vbmi(a->source + want * a->row_stride, offset, fx, width, rows[slot], bases, tables,
                                         row_bytes);
                else
#endif
                interpolate(a->source + want * a->row_stride, offset, fx, width, rows[slot]);
                tags[slot] = want;
            }
            planes[k] = rows[slot];
        }
        float *out = a->out + (ptrdiff_t)row * width * a->pixel_stride;
        color(planes[0], planes[1], fy, width, a->steps, a->count, a->scale, a->bias, r, g, b, out, a->pixel_stride,
              a->channel_stride);
    }
    return a->scale ? 0.0 : aug_gray_sum(a->out, (long)width * a->height, a->pixel_stride, a->channel_stride,
                                         a->weights);
}
