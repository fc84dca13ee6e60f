#ifndef NK_WINOGRAD_H
#define NK_WINOGRAD_H
#include <stdint.h>

/* Winograd F(4x4, 3x3) for CPUs with AVX2 and FMA (winograd.c): 3x3 convolutions of stride 1 over
   NHWC activations whose channel counts are multiples of 8. Written here because oneDNN's only
   f32 Winograd (jit_wino_4x3) needs AVX-512, and on AVX2 CPUs its direct kernels ran at the sgemm
   peak, so no layout or fusion could make them faster. */

/* The convolution of one pass: `channels` in, `filters` out, 4x4 tiles over the output from
   (0, 0), each reading the 6x6 input window from (4 ty - pad_top, 4 tx - pad_left), zeros outside. */
typedef struct nk_winograd_shape {
    int64_t batch, in_h, in_w, channels, out_h, out_w, filters, pad_top, pad_left;
} nk_winograd_shape;

/* Whether this CPU runs these kernels (AVX2 and FMA). */
int nk_winograd_avx2_available(void);
/* Floats in a transformed kernel: 36 x channels x filters. */
int64_t nk_winograd_kernel_count(const nk_winograd_shape *s);
/* The forward transform G g G^T of an HWIO kernel (kh, kw, channels, filters) into
   `transformed` [36][channels][filters]; with `flip`, of the kernel the input gradient
   convolves with (rotated half a turn, channels and filters swapped): [36][filters][channels]
   for the shape of the input-gradient pass. */
void nk_winograd_transform_kernel(const float *hwio, int64_t channels, int64_t filters, int flip, float *transformed);
/* dst = activation(conv(src) + bias + (sum ? dst : 0)); bias may be NULL; activation is an
   NK_ACTIVATION_*. Samples run in parallel and results do not depend on the thread count. */
int nk_winograd_forward(const nk_winograd_shape *s, const float *src, const float *transformed, const float *bias,
                        int activation, int sum, float *dst);
/* The HWIO kernel gradient (overwritten) from src and the output gradient. The sums over the
   batch are split by the batch size alone, so results do not depend on the thread count. */
int nk_winograd_kernel_gradient(const nk_winograd_shape *s, const float *src, const float *diff_dst, float *diff_hwio);

#endif
