/* The non-linear pixel ops of the ops recipe (PixelPass in Augmentation/Ops) on a rendered sample
   of Floats that hold uint8 values (0...255, whole numbers): torchvision.transforms.v2's uint8
   kernels, step for step, including where they truncate. Planes are read with a pixel stride so
   HWC and planar samples share the code. */
#include "CAugmentKernels.h"
#include <stdint.h>

#pragma clang fp contract(off)

static inline float clamp255(float v) { return v < 0.0f ? 0.0f : (v > 255.0f ? 255.0f : v); }

/* Round half to even for 0 <= v < 2^22: adding and subtracting 1.5 * 2^23 leaves the float
   rounded to a whole number in the default rounding mode (what rintf does), in a loop the
   compiler vectorises (rintf is a library call on the SSE2 baseline). */
static inline float round_even(float v) { return (v + 12582912.0f) - 12582912.0f; }

/* Truncation of 0 <= v < 2^31 (truncf is a library call on the SSE2 baseline). */
static inline float truncate(float v) { return (float)(int32_t)v; }

void aug_pixel_quantize(float *data, long count) {
    for (long i = 0; i < count; i++) data[i] = round_even(clamp255(data[i]));
}

void aug_pixel_posterize(float *data, long count, int bits) {
    if (bits >= 8) return;
    const int mask = ((1 << bits) - 1) << (8 - bits);
    for (long i = 0; i < count; i++) data[i] = (float)((int)data[i] & mask);
}

void aug_pixel_solarize(float *data, long count, float threshold) {
    for (long i = 0; i < count; i++) data[i] = data[i] >= threshold ? 255.0f - data[i] : data[i];
}

void aug_pixel_invert(float *data, long count) {
    for (long i = 0; i < count; i++) data[i] = 255.0f - data[i];
}

void aug_pixel_equalize(float *plane, long pixels, long stride) {
    long hist[256] = {0};
    for (long p = 0; p < pixels; p++) hist[(int)plane[p * stride]]++;
    int last = 255;
    while (last > 0 && hist[last] == 0) last--;
    const long step = (pixels - hist[last]) / 255;
    if (step == 0) return;
    float lut[256];
    lut[0] = 0.0f;
    long cumulative = 0;
    for (int k = 1; k < 256; k++) {
        cumulative += hist[k - 1];
        const long v = (cumulative + step / 2) / step;
        lut[k] = (float)(v > 255 ? 255 : v);
    }
    for (long p = 0; p < pixels; p++) plane[p * stride] = lut[(int)plane[p * stride]];
}

void aug_pixel_autocontrast(float *plane, long pixels, long stride) {
    float low = 255.0f, high = 0.0f;
    for (long p = 0; p < pixels; p++) {
        const float v = plane[p * stride];
        low = v < low ? v : low;
        high = v > high ? v : high;
    }
    if (pixels == 0 || high == low) return;
    /* The values are whole numbers: torchvision's arithmetic once per value, then a lookup. */
    const float inverse_scale = (high - low) * (float)(1.0 / 255.0);
    float lut[256];
    for (int v = 0; v < 256; v++) lut[v] = truncate(clamp255(((float)v - low) / inverse_scale));
    for (long p = 0; p < pixels; p++) plane[p * stride] = lut[(int)plane[p * stride]];
}

void aug_pixel_sharpness(float *plane, int width, int height, long pixel_stride, float alpha, int32_t *scratch) {
    if (width <= 2 || height <= 2) return;
    for (long i = 0; i < (long)width * height; i++) scratch[i] = (int32_t)plane[i * pixel_stride];
    const double a = alpha;
    float *line = (float *)(scratch + (long)width * height);
    for (int y = 1; y < height - 1; y++) {
        const int32_t *above = scratch + (long)(y - 1) * width, *row = above + width, *below = row + width;
        for (int x = 1; x < width - 1; x++) {
            const int32_t sum = above[x - 1] + above[x] + above[x + 1] + row[x - 1] + 5 * row[x] + row[x + 1]
                + below[x - 1] + below[x] + below[x + 1];
            /* torchvision rounds the float32 convolution, which lies within 1e-5 of sum / 13 and
               so never near a half: the integer rounding is exact. */
            const int32_t blurred = (2 * sum + 13) / 26;
            /* alpha (b - v) + v is exact in double (24 + 9 bits, within 53 for |alpha| >= 2^-20),
               so rounding it to float once equals PyTorch's fused multiply-add. */
            const float blended = (float)(a * (double)(blurred - row[x]) + (double)row[x]);
            line[x] = truncate(clamp255(blended));
        }
        float *out = plane + (long)y * width * pixel_stride;
        for (int x = 1; x < width - 1; x++) out[x * pixel_stride] = line[x];
    }
}

static inline int reflect(int i, int n) {
    if (n == 1) return 0;
    const int period = 2 * (n - 1);
    i %= period;
    if (i < 0) i += period;
    return i < n ? i : period - i;
}

void aug_pixel_blur(float *plane, int width, int height, long pixel_stride, const float *kx, int kw,
                    const float *ky, int kh, float *scratch) {
    const int hx = kw / 2, hy = kh / 2;
    float *source = scratch, *rows = scratch + (long)width * height;
    for (long i = 0; i < (long)width * height; i++) source[i] = plane[i * pixel_stride];
    for (int y = 0; y < height; y++) {
        const float *line = source + (long)y * width;
        for (int x = 0; x < width; x++) {
            float sum = 0.0f;
            for (int k = 0; k < kw; k++) sum += kx[k] * line[reflect(x + k - hx, width)];
            rows[(long)y * width + x] = sum;
        }
    }
    for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
            float sum = 0.0f;
            for (int k = 0; k < kh; k++) sum += ky[k] * rows[(long)reflect(y + k - hy, height) * width + x];
            plane[((long)y * width + x) * pixel_stride] = round_even(clamp255(sum));
        }
    }
}
