#ifndef CAUGMENTKERNELS_H
#define CAUGMENTKERNELS_H
/* Hot loops of the exact-mode augmentation kernel (see Augmentation/Kernel/), in C so they can
   use AVX2 where the CPU has it (chosen at run time, per function) without build flags.
   Every function gives bit-identical results on every path: integer sums are exact, and the
   float steps are the Swift kernel's multiplies and adds in the same order, never fused. */
#include <stddef.h>
#include <stdint.h>

/* Box-averages a width x height HWC UInt8 image into its mip level,
   ceil(width / kx) x ceil(height / ky) pixels: each block's rounded mean floor((2 sum + n) / 2n)
   (halves up), partial edge blocks averaging the pixels they have. channels 1...4, kx and ky
   1...256. `scratch` holds width * channels column sums. */
void aug_mip_reduce(const uint8_t *src, int width, int height, int channels, int kx, int ky,
                    uint8_t *dst, uint16_t *scratch);

#endif
