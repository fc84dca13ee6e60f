#ifndef CAUGMENTKERNELS_COLOR_STEPS_H
#define CAUGMENTKERNELS_COLOR_STEPS_H
#include "CAugmentKernels.h"
/* Clamps x, y, z to 0...255 as torchvision clamps (x < 0 ? 0 : x, then x > 255 ? 255 : x) into
   r[i], g[i], b[i]. */
#define AUG_CLAMP_STORE(x, y, z, i)                                                               \
    x = x < 0.0f ? 0.0f : x; y = y < 0.0f ? 0.0f : y; z = z < 0.0f ? 0.0f : z;                   \
    r[i] = x > 255.0f ? 255.0f : x; g[i] = y > 255.0f ? 255.0f : y; b[i] = z > 255.0f ? 255.0f : z;

/* The `count` colour steps (10 floats each: M row-major, o) on planes r, g, b of n Floats,
   v' = clamp(M v + o, 0, 255) after every step, loops the compiler vectorises. With `shortcut`
   (a constant) diagonal steps skip their zero terms (AUG_DIAGONAL: pixels finite and >= 0). */
#define AUG_COLOR_STEPS(steps, count, n, shortcut)                                                \
    for (int k = 0; k < (count); k++) {                                                           \
        const float *m = (steps) + 10 * k;                                                        \
        const float m0 = m[0], m1 = m[1], m2 = m[2], m3 = m[3], m4 = m[4], m5 = m[5];             \
        const float m6 = m[6], m7 = m[7], m8 = m[8], o = m[9];                                    \
        if ((shortcut) && AUG_DIAGONAL(m)) {                                                      \
            for (int i = 0; i < (n); i++) {                                                       \
                float x = m0 * r[i] + o, y = m4 * g[i] + o, z = m8 * b[i] + o;                    \
                AUG_CLAMP_STORE(x, y, z, i)                                                       \
            }                                                                                     \
            continue;                                                                             \
        }                                                                                         \
        for (int i = 0; i < (n); i++) {                                                           \
            float x = m0 * r[i] + m1 * g[i] + m2 * b[i] + o;                                      \
            float y = m3 * r[i] + m4 * g[i] + m5 * b[i] + o;                                      \
            float z = m6 * r[i] + m7 * g[i] + m8 * b[i] + o;                                      \
            AUG_CLAMP_STORE(x, y, z, i)                                                           \
        }                                                                                         \
    }
#endif
