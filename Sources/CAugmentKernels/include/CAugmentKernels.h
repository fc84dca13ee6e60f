#ifndef CAUGMENTKERNELS_H
#define CAUGMENTKERNELS_H
/* Hot loops of the exact-mode augmentation kernel (see Augmentation/Kernel/), in C so they can
   use AVX2 where the CPU has it (chosen at run time, per function) without build flags.
   Every function gives bit-identical results on every path: integer sums are exact, and the
   float steps are the Swift kernel's multiplies and adds in the same order, never fused. */
#include <stddef.h>
#include <stdint.h>

/* Box-averages a width x height HWC UInt8 image (rows `row_stride` bytes apart, at least
   width * channels: a window of a larger image) into its mip level, contiguous
   ceil(width / kx) x ceil(height / ky) pixels: each block's rounded mean floor((2 sum + n) / 2n)
   (halves up), partial edge blocks averaging the pixels they have. channels 1...4, kx and ky
   1...256. `scratch` holds width * channels column sums. */
void aug_mip_reduce(const uint8_t *src, ptrdiff_t row_stride, int width, int height, int channels, int kx, int ky,
                    uint8_t *dst, uint16_t *scratch);

/* One image's bilinear spans: a UInt8 HWC source of `channels` channels (row_stride bytes per
   row, source_count bytes in all), and where and how the finished Floats go. */
typedef struct {
    const uint8_t *source;
    size_t source_count;
    ptrdiff_t row_stride;
    int channels;
    /* Source width - 1 and height - 1 (at least 1 each). */
    int32_t last_x, last_y;
    /* PixelFinish, 8 x 4 floats: shift, shift low, shift high, brightness, brightness low,
       brightness high, scale, bias; the clamping stages run only when `clamps` is nonzero. */
    const float *finish;
    int clamps;
    ptrdiff_t column_stride, channel_stride;   /* in Floats */
} aug_bilinear_rows;

/* Bilinear samples of the span x_i = x + i step_x, y_i = y + i step_y (32.32 fixed point,
   i = 0..<count), finished and stored at out + i column_stride (+ channel · channel_stride).
   Pixels i in [plain_from, plain_to) must keep both bilinear neighbours inside the source; the
   others are clamped to [0, (last_x << 32) - 1] x [0, (last_y << 32) - 1] first (the `nearest`
   fill's whole-row loop). Returns 1 when it rendered the span, 0 when the CPU (no AVX2), the
   channel count (2...4 handled), the layout (HWC or planar) or a source narrower or lower than
   two pixels has no fast path: the caller renders it. Equals ExactWarp's Swift loop bit for bit. */
int aug_bilinear_span(const aug_bilinear_rows *rows, int64_t x, int64_t y, int64_t step_x, int64_t step_y,
                      float *out, size_t count, size_t plain_from, size_t plain_to);

/* A row-affine warp of a three-channel UInt8 HWC source (no rotation or shear: output column i
   samples source x = x + i step_x, output row j samples source y = row_y[j], 32.32 fixed point,
   clamped into the source as the `nearest` fill clamps), bilinear, with the colour steps of one
   segment fused (see aug_color_affine): written to out[(j width + i) pixel_stride + c channel_stride]. */
typedef struct {
    const uint8_t *source;
    ptrdiff_t row_stride;            /* bytes */
    int32_t last_x, last_y;          /* source width - 1 and height - 1, at least 1 each */
    int64_t x, step_x;
    const int64_t *row_y;            /* height entries */
    int width, height;               /* output */
    const float *steps;              /* count steps of 10 floats: M row-major, o */
    int count;
    const float *scale, *bias;       /* 3 each: normalise and return 0; NULL: return the grayscale sum */
    const float *weights;            /* 3 grayscale weights */
    float *out;
    ptrdiff_t pixel_stride, channel_stride;   /* in Floats */
    int widest;                      /* where the CPU has them, 3: AVX-512 with VBMI byte permutes,
                                        2: AVX-512 with gathers, 1: AVX2, 0: portable C */
} aug_row_warp_args;

/* Renders `a` and returns the grayscale sum of what it stored (blocks of 64 pixels, eight lane
   accumulators, as aug_color_affine sums), or 0 when it normalised. `scratch` holds
   10 * width Floats, `offset` 4 * width int32s. The same bits on every path (`widest`). */
double aug_row_warp(const aug_row_warp_args *a, float *scratch, int32_t *offset);

/* Whether colour step `m` (10 floats) is diagonal (brightness, contrast): on finite pixels
   v >= 0 (all the fused passes see: warped bytes, then values clamped to 0...255) its rows
   m0 r + 0 g + 0 b + o and m0 r + o are the same Floats (adding +0, or the -0 of 0 times a
   negative, changes no finite non-zero sum, and m0 r >= 0 is never -0), so the kernels skip the
   zero terms. */
#define AUG_DIAGONAL(m) ((m)[1] == 0.0f && (m)[2] == 0.0f && (m)[3] == 0.0f && (m)[5] == 0.0f \
                         && (m)[6] == 0.0f && (m)[7] == 0.0f && (m)[0] >= 0.0f && (m)[4] >= 0.0f && (m)[8] >= 0.0f)

/* This thread's scratch of at least `count` Floats, kept for the thread's next call (freed when
   it exits); NULL when it cannot be allocated. */
float *aug_thread_scratch(size_t count);

/* The affine colour steps of one segment on `pixels` Float pixels (data[p * pixel_stride +
   c * channel_stride]; `three`: RGB, else one channel read as (v, v, v)): `count` steps of 10
   floats each, M row-major then o, v' = clamp(M v + o, 0, 255) after every step. With `scale`
   the result is stored as v * scale + bias per channel and 0 is returned; without, the result
   is stored and the sum of its grayscale (`weights`) is returned. */
double aug_color_affine(float *data, long pixels, long pixel_stride, long channel_stride, int three,
                        const float *steps, int count, const float *scale, const float *bias,
                        const float *weights);
/* The grayscale sum (`weights`) of three-channel Floats as aug_color_affine sums what it stores:
   blocks of 64 pixels, eight lane accumulators each. */
double aug_gray_sum(const float *data, long pixels, long pixel_stride, long channel_stride, const float *weights);

/* aug_color_affine reading `data` and writing `out` (its own strides; `out` may be `data`). From
   planes (pixel_stride 1) to interleaved RGB the last segment runs in AVX-512 registers where
   the CPU has it, skipping the zero terms of diagonal steps (AUG_DIAGONAL): the pixels must then
   be finite and non-negative, as every fused pass's are. */
double aug_color_affine_to(const float *data, long pixels, long pixel_stride, long channel_stride, int three,
                           const float *steps, int count, const float *scale, const float *bias,
                           const float *weights, float *out, long out_pixel_stride, long out_channel_stride);

/* Pixel ops on Floats holding uint8 values (torchvision's uint8 kernels; pixel_ops.c). `count`
   values in a row for the pointwise ops; a plane of `pixels` values `stride` apart (or a
   width x height plane `pixel_stride` apart) for the others. */
/* Rounds to whole numbers (half to even) in 0...255: the entry to the pixel ops. */
void aug_pixel_quantize(float *data, long count);
/* Keeps the top `bits` (0...8) bits. */
void aug_pixel_posterize(float *data, long count, int bits);
/* v >= threshold ? 255 - v : v. */
void aug_pixel_solarize(float *data, long count, float threshold);
/* 255 - v. */
void aug_pixel_invert(float *data, long count);
/* PIL's histogram equalization as torchvision's equalize_image (one plane). */
void aug_pixel_equalize(float *plane, long pixels, long stride);
/* Stretches the plane's [min, max] to [0, 255], truncating as torchvision's uint8 autocontrast. */
void aug_pixel_autocontrast(float *plane, long pixels, long stride);
/* torchvision's adjust_sharpness: blends the interior with its 3x3 smoothing (1s around, 5 in
   the middle, / 13, rounded) as v + alpha (blurred - v), alpha = 1 - sharpness_factor (rounded
   once, as PyTorch's vectorised fused add), truncating; `scratch` holds width * (height + 1) int32s. */
void aug_pixel_sharpness(float *plane, int width, int height, long pixel_stride, float alpha, int32_t *scratch);
/* Separable Gaussian blur with reflect padding (no edge repeat), rounded half to even:
   torchvision's gaussian_blur on uint8; `scratch` holds 2 * width * height Floats. */
void aug_pixel_blur(float *plane, int width, int height, long pixel_stride, const float *kx, int kw,
                    const float *ky, int kh, float *scratch);

/* `count` class indices widened from 16 to 32 bits into `destination`, which is written with
   streaming stores from its first 64-byte (AVX2: 32-byte) aligned element: for a batch buffer
   read much later by another thread. */
void aug_widen_indices(const uint16_t *source, int32_t *destination, size_t count);

#endif
