#ifndef CAUGMENTKERNELS_CPU_FEATURES_H
#define CAUGMENTKERNELS_CPU_FEATURES_H
/* Run-time CPU dispatch: the AVX2 variants (x86-64 only) run when the CPU has AVX2 and FMA,
   the AVX-512 ones when it has AVX-512 F/BW/VL/DQ. */
#if defined(__x86_64__) && defined(__clang__)
#define AUG_HAVE_X86_DISPATCH 1
#define AUG_TARGET_AVX2 __attribute__((target("avx2,fma")))
#define AUG_TARGET_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma")))
static inline int aug_cpu_has_avx2(void) {
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
static inline int aug_cpu_has_avx512(void) {
    return aug_cpu_has_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
}
#else
#define AUG_HAVE_X86_DISPATCH 0
static inline int aug_cpu_has_avx2(void) { return 0; }
static inline int aug_cpu_has_avx512(void) { return 0; }
#endif
#endif
