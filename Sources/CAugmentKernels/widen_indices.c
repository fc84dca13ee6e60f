/* Class indices widened from 16 to 32 bits, for the data loader's batch of masks: the batch is
   written once and read by the consumer much later, so from the first 64-byte aligned element
   on the stores bypass the cache (streaming), which halves the memory traffic of the write
   (no read for ownership). Same values on every path. */
#include "CAugmentKernels.h"
#include "cpu_features.h"
#include <stdint.h>
#if AUG_HAVE_X86_DISPATCH
#include <immintrin.h>

AUG_TARGET_AVX512 static size_t widen_avx512(const uint16_t *source, int32_t *destination, size_t count) {
    size_t i = 0;
    while (i < count && ((uintptr_t)(destination + i) & 63) != 0) { destination[i] = source[i]; i++; }
    for (; i + 16 <= count; i += 16) {
        __m256i narrow = _mm256_loadu_si256((const __m256i *)(source + i));
        _mm512_stream_si512((void *)(destination + i), _mm512_cvtepu16_epi32(narrow));
    }
    _mm_sfence();
    return i;
}

AUG_TARGET_AVX2 static size_t widen_avx2(const uint16_t *source, int32_t *destination, size_t count) {
    size_t i = 0;
    while (i < count && ((uintptr_t)(destination + i) & 31) != 0) { destination[i] = source[i]; i++; }
    for (; i + 8 <= count; i += 8) {
        __m128i narrow = _mm_loadu_si128((const __m128i *)(source + i));
        _mm256_stream_si256((__m256i *)(destination + i), _mm256_cvtepu16_epi32(narrow));
    }
    _mm_sfence();
    return i;
}
#endif

void aug_widen_indices(const uint16_t *source, int32_t *destination, size_t count) {
    size_t done = 0;
#if AUG_HAVE_X86_DISPATCH
    if (aug_cpu_has_avx512()) done = widen_avx512(source, destination, count);
    else if (aug_cpu_has_avx2()) done = widen_avx2(source, destination, count);
#endif
    for (size_t i = done; i < count; i++) destination[i] = source[i];
}
