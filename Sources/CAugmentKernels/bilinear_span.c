/* The bilinear fast loop of the exact-mode kernel, eight pixels per iteration with AVX2:
   coordinates as 32-bit integer and fraction lanes, neighbours fetched as 8-byte loads, channels
   blended in separate registers (structure of arrays) and interleaved again for HWC stores.
   Each float operation is the Swift loop's, lane for lane and in the same order: no FMA. */
#include "CAugmentKernels.h"
#include "cpu_features.h"

#pragma clang fp contract(off)

#if AUG_HAVE_X86_DISPATCH
#include <immintrin.h>

/* Float(UInt32(v)) · 2⁻³², correctly rounded like Swift's conversion: the two 16-bit halves
   convert exactly and one addition rounds. */
AUG_TARGET_AVX2 static inline __m256 fraction(__m256i v) {
    __m256 high = _mm256_cvtepi32_ps(_mm256_srli_epi32(v, 16));
    __m256 low = _mm256_cvtepi32_ps(_mm256_and_si256(v, _mm256_set1_epi32(0xFFFF)));
    __m256 whole = _mm256_add_ps(_mm256_mul_ps(high, _mm256_set1_ps(65536.0f)), low);
    return _mm256_mul_ps(whole, _mm256_set1_ps(0x1p-32f));
}

/* Byte `shift / 8` of every lane, as a float. */
AUG_TARGET_AVX2 static inline __m256 byte_lane(__m256i words, int shift) {
    return _mm256_cvtepi32_ps(_mm256_and_si256(_mm256_srli_epi32(words, shift), _mm256_set1_epi32(0xFF)));
}

AUG_TARGET_AVX2 static inline __m256 lerp(__m256 a, __m256 b, __m256 t) {
    return _mm256_add_ps(a, _mm256_mul_ps(t, _mm256_sub_ps(b, a)));
}

/* Swift's min(max(v, low), high): max(x, y) = y >= x ? y : x, min(x, y) = y < x ? y : x. */
AUG_TARGET_AVX2 static inline __m256 clamp(__m256 v, float low, float high) {
    return _mm256_min_ps(_mm256_set1_ps(high), _mm256_max_ps(v, _mm256_set1_ps(low)));
}

/* One 32.32 coordinate per lane: integer part `whole`, fraction `frac`. */
typedef struct { __m256i whole, frac; } lanes64;

AUG_TARGET_AVX2 static inline lanes64 start_lanes(int64_t start, int64_t step) {
    int32_t w[8], f[8];
    for (int k = 0; k < 8; k++) {
        uint64_t v = (uint64_t)start + (uint64_t)k * (uint64_t)step;
        w[k] = (int32_t)(uint32_t)(v >> 32);
        f[k] = (int32_t)(uint32_t)v;
    }
    lanes64 l = { _mm256_loadu_si256((const __m256i *)w), _mm256_loadu_si256((const __m256i *)f) };
    return l;
}

/* Adds (step_whole, step_frac), i.e. a 64-bit step, to every lane: the carry is
   frac' < step_frac (unsigned), computed as max(frac', step_frac) != frac'. */
AUG_TARGET_AVX2 static inline lanes64 advance(lanes64 l, __m256i step_whole_plus1, __m256i step_frac) {
    __m256i frac = _mm256_add_epi32(l.frac, step_frac);
    __m256i no_carry = _mm256_cmpeq_epi32(_mm256_max_epu32(frac, step_frac), frac);   /* -1 or 0 */
    l.whole = _mm256_add_epi32(_mm256_add_epi32(l.whole, step_whole_plus1), no_carry);
    l.frac = frac;
    return l;
}

/* Clamps to [0, (last << 32) - 1]: below 0 → (0, 0); above → (last - 1, 2³² - 1). */
AUG_TARGET_AVX2 static inline lanes64 clamp_lanes(lanes64 l, __m256i top_whole) {
    __m256i negative = _mm256_cmpgt_epi32(_mm256_setzero_si256(), l.whole);
    __m256i above = _mm256_cmpgt_epi32(l.whole, top_whole);
    lanes64 c = {
        _mm256_min_epi32(_mm256_max_epi32(l.whole, _mm256_setzero_si256()), top_whole),
        _mm256_or_si256(_mm256_andnot_si256(negative, l.frac), above) };
    return c;
}

/* Stores channel registers v[0..C) of eight pixels: HWC (interleaved) or planar. */
AUG_TARGET_AVX2 static inline void store_pixels(const __m256 *v, int C, float *o, ptrdiff_t channel_stride, int hwc) {
    if (!hwc) {
        for (int c = 0; c < C; c++) _mm256_storeu_ps(o + c * channel_stride, v[c]);
        return;
    }
    if (C == 2) {
        __m256 lo = _mm256_unpacklo_ps(v[0], v[1]), hi = _mm256_unpackhi_ps(v[0], v[1]);
        _mm256_storeu_ps(o, _mm256_permute2f128_ps(lo, hi, 0x20));
        _mm256_storeu_ps(o + 8, _mm256_permute2f128_ps(lo, hi, 0x31));
    } else if (C == 3) {
        const __m256i i0 = _mm256_setr_epi32(0, 0, 0, 1, 1, 1, 2, 2);
        const __m256i i1 = _mm256_setr_epi32(2, 3, 3, 3, 4, 4, 4, 5);
        const __m256i i2 = _mm256_setr_epi32(5, 5, 6, 6, 6, 7, 7, 7);
        /* Blend masks: bit k set takes lane k from the second operand. */
        __m256 o0 = _mm256_blend_ps(_mm256_blend_ps(_mm256_permutevar8x32_ps(v[0], i0),
                                                    _mm256_permutevar8x32_ps(v[1], i0), 0x92),
                                    _mm256_permutevar8x32_ps(v[2], i0), 0x24);
        __m256 o1 = _mm256_blend_ps(_mm256_blend_ps(_mm256_permutevar8x32_ps(v[0], i1),
                                                    _mm256_permutevar8x32_ps(v[1], i1), 0x24),
                                    _mm256_permutevar8x32_ps(v[2], i1), 0x49);
        __m256 o2 = _mm256_blend_ps(_mm256_blend_ps(_mm256_permutevar8x32_ps(v[0], i2),
                                                    _mm256_permutevar8x32_ps(v[1], i2), 0x49),
                                    _mm256_permutevar8x32_ps(v[2], i2), 0x92);
        _mm256_storeu_ps(o, o0);
        _mm256_storeu_ps(o + 8, o1);
        _mm256_storeu_ps(o + 16, o2);
    } else {
        __m256 t0 = _mm256_unpacklo_ps(v[0], v[1]), t1 = _mm256_unpackhi_ps(v[0], v[1]);
        __m256 t2 = _mm256_unpacklo_ps(v[2], v[3]), t3 = _mm256_unpackhi_ps(v[2], v[3]);
        __m256 u0 = _mm256_castpd_ps(_mm256_unpacklo_pd(_mm256_castps_pd(t0), _mm256_castps_pd(t2)));
        __m256 u1 = _mm256_castpd_ps(_mm256_unpackhi_pd(_mm256_castps_pd(t0), _mm256_castps_pd(t2)));
        __m256 u2 = _mm256_castpd_ps(_mm256_unpacklo_pd(_mm256_castps_pd(t1), _mm256_castps_pd(t3)));
        __m256 u3 = _mm256_castpd_ps(_mm256_unpackhi_pd(_mm256_castps_pd(t1), _mm256_castps_pd(t3)));
        _mm256_storeu_ps(o, _mm256_permute2f128_ps(u0, u1, 0x20));
        _mm256_storeu_ps(o + 8, _mm256_permute2f128_ps(u2, u3, 0x20));
        _mm256_storeu_ps(o + 16, _mm256_permute2f128_ps(u0, u1, 0x31));
        _mm256_storeu_ps(o + 24, _mm256_permute2f128_ps(u2, u3, 0x31));
    }
}

/* The eight pixels' source words, low and high 32 bits of the 8-byte load at p0 + offset[k]
   (lane k), in pixel order. Two loads per 128-bit half, then one shuffle per output: cheaper
   than AVX2 gathers on the Zen 3 this was tuned on. */
AUG_TARGET_AVX2 static inline void load_words(const uint8_t *p0, const uint32_t *offset, __m256i words[2]) {
#define AUG_PAIR(i, j) _mm_castpd_si128(_mm_loadh_pd( \
        _mm_castsi128_pd(_mm_loadl_epi64((const __m128i *)(p0 + offset[i]))), (const double *)(p0 + offset[j])))
    __m256 a = _mm256_castsi256_ps(_mm256_inserti128_si256(_mm256_castsi128_si256(AUG_PAIR(0, 1)), AUG_PAIR(4, 5), 1));
    __m256 b = _mm256_castsi256_ps(_mm256_inserti128_si256(_mm256_castsi128_si256(AUG_PAIR(2, 3)), AUG_PAIR(6, 7), 1));
#undef AUG_PAIR
    words[0] = _mm256_castps_si256(_mm256_shuffle_ps(a, b, 0x88));
    words[1] = _mm256_castps_si256(_mm256_shuffle_ps(a, b, 0xDD));
}

/* Byte `b` (0...7) of each lane's 8-byte load, as a float. */
#define AUG_BYTE(words, b) byte_lane((words)[(b) / 4], 8 * ((b) % 4))

/* The finished channels v[0..C) of eight pixels at lane coordinates (lx, ly). */
AUG_TARGET_AVX2 static inline __attribute__((always_inline))
void block(const aug_bilinear_rows *r, int C, int clamped, int clamps, lanes64 lx, lanes64 ly, __m256 v[4]) {
    const int stride = (int)r->row_stride;
    /* The top row's 8 bytes start at the pixel (p0, p1 in bytes 0..2C-1); the bottom row's end
       with its right neighbour (q0, q1 in bytes 8-2C..7), so no byte outside the source is read. */
    const uint8_t *top_row = r->source, *bottom_row = r->source + stride + 2 * C - 8;
    lanes64 cx = clamped ? clamp_lanes(lx, _mm256_set1_epi32(r->last_x - 1)) : lx;
    lanes64 cy = clamped ? clamp_lanes(ly, _mm256_set1_epi32(r->last_y - 1)) : ly;
    __m256i column = cx.whole;
    for (int c = 1; c < C; c++) column = _mm256_add_epi32(column, cx.whole);
    uint32_t offset[8] __attribute__((aligned(32)));   /* unsigned: no sign extension per load */
    _mm256_store_si256((__m256i *)offset,
                       _mm256_add_epi32(_mm256_mullo_epi32(cy.whole, _mm256_set1_epi32(stride)), column));
    __m256 fx = fraction(cx.frac), fy = fraction(cy.frac);
    __m256i top[2], bottom[2];
    load_words(top_row, offset, top);
    load_words(bottom_row, offset, bottom);
    const float *f = r->finish;
    for (int c = 0; c < C; c++) {
        __m256 upper = lerp(AUG_BYTE(top, c), AUG_BYTE(top, C + c), fx);
        __m256 lower = lerp(AUG_BYTE(bottom, 8 - 2 * C + c), AUG_BYTE(bottom, 8 - C + c), fx);
        __m256 value = lerp(upper, lower, fy);
        if (clamps) {
            value = clamp(_mm256_add_ps(value, _mm256_set1_ps(f[c])), f[4 + c], f[8 + c]);
            value = clamp(_mm256_mul_ps(value, _mm256_set1_ps(f[12 + c])), f[16 + c], f[20 + c]);
        }
        v[c] = _mm256_add_ps(_mm256_mul_ps(value, _mm256_set1_ps(f[24 + c])), _mm256_set1_ps(f[28 + c]));
    }
}

/* The span for a compile-time channel count C (2...4), layout and colour clamps: blocks of
   eight, clamped unless they lie wholly in [plain_from, plain_to), then the last 1...7 pixels as
   one clamped block (a no-op for the pixels of the span, which lie inside the clamp bounds or in
   the plain range; the lanes past its end only need to read inside the source), stored through
   a scratch block. */
AUG_TARGET_AVX2 static inline __attribute__((always_inline))
void span(const aug_bilinear_rows *r, int C, int hwc, int clamps, int64_t x, int64_t y, int64_t step_x,
          int64_t step_y, float *out, size_t count, size_t plain_from, size_t plain_to) {
    lanes64 lx = start_lanes(x, step_x), ly = start_lanes(y, step_y);
    const uint64_t sx = (uint64_t)step_x * 8, sy = (uint64_t)step_y * 8;
    const __m256i sx_whole = _mm256_set1_epi32((int32_t)(uint32_t)(sx >> 32) + 1);
    const __m256i sx_frac = _mm256_set1_epi32((int32_t)(uint32_t)sx);
    const __m256i sy_whole = _mm256_set1_epi32((int32_t)(uint32_t)(sy >> 32) + 1);
    const __m256i sy_frac = _mm256_set1_epi32((int32_t)(uint32_t)sy);
    const ptrdiff_t advance_out = 8 * r->column_stride;
    __m256 v[4];
    for (size_t i = 0; i + 8 <= count; i += 8) {
        if (i >= plain_from && i + 8 <= plain_to) block(r, C, 0, clamps, lx, ly, v);
        else block(r, C, 1, clamps, lx, ly, v);
        store_pixels(v, C, out, r->channel_stride, hwc);
        out += advance_out;
        lx = advance(lx, sx_whole, sx_frac);
        ly = advance(ly, sy_whole, sy_frac);
    }
    size_t rest = count % 8;
    if (rest == 0) return;
    block(r, C, 1, clamps, lx, ly, v);
    float scratch[32];
    store_pixels(v, C, scratch, 8, hwc);
    for (size_t i = 0; i < rest; i++)
        for (int c = 0; c < C; c++)
            out[(ptrdiff_t)i * r->column_stride + c * r->channel_stride] = hwc ? scratch[i * C + c] : scratch[c * 8 + i];
}

/* One function per channel count; the flags become constants in each of its four loops. */
#define SPAN_VARIANTS(C) \
    AUG_TARGET_AVX2 static void span##C(const aug_bilinear_rows *r, int64_t x, int64_t y, int64_t sx, int64_t sy, \
                                        float *out, size_t count, size_t from, size_t to) { \
        int hwc = r->channel_stride == 1, clamps = r->clamps != 0; \
        if (hwc && clamps) span(r, C, 1, 1, x, y, sx, sy, out, count, from, to); \
        else if (hwc) span(r, C, 1, 0, x, y, sx, sy, out, count, from, to); \
        else if (clamps) span(r, C, 0, 1, x, y, sx, sy, out, count, from, to); \
        else span(r, C, 0, 0, x, y, sx, sy, out, count, from, to); \
    }
SPAN_VARIANTS(2)
SPAN_VARIANTS(3)
SPAN_VARIANTS(4)
#endif

int aug_bilinear_span(const aug_bilinear_rows *r, int64_t x, int64_t y, int64_t step_x, int64_t step_y,
                      float *out, size_t count, size_t plain_from, size_t plain_to) {
#if AUG_HAVE_X86_DISPATCH
    int C = r->channels;
    int hwc = r->column_stride == C && r->channel_stride == 1, planar = r->column_stride == 1;
    /* Offsets are 32-bit; the clamped last block needs two pixels on each axis. */
    if (!aug_cpu_has_avx2() || C < 2 || C > 4 || !(hwc || planar) || r->source_count >= (size_t)1 << 31
        || r->last_x < 1 || r->last_y < 1)
        return 0;
    switch (C) {
    case 2: span2(r, x, y, step_x, step_y, out, count, plain_from, plain_to); break;
    case 3: span3(r, x, y, step_x, step_y, out, count, plain_from, plain_to); break;
    default: span4(r, x, y, step_x, step_y, out, count, plain_from, plain_to); break;
    }
    return 1;
#else
    (void)r; (void)x; (void)y; (void)step_x; (void)step_y; (void)out; (void)count; (void)plain_from; (void)plain_to;
    return 0;
#endif
}
