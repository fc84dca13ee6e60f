#ifndef CAUGMENTKERNELS_CPU_FEATURES_H
#define CAUGMENTKERNELS_CPU_FEATURES_H
/* Run-time CPU dispatch: the AVX2 variants (x86-64 only) run when the CPU has AVX2 and FMA. */
#if defined(__x86_64__) && defined(__clang__)
#define AUG_HAVE_X86_DISPATCH 1
#define AUG_TARGET_AVX2 __attribute__((target("avx2,fma")))
static inline int aug_cpu_has_avx2(void) {
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#else
#define AUG_HAVE_X86_DISPATCH 0
static inline int aug_cpu_has_avx2(void) { return 0; }
#endif
#endif
