/* WebP encoding through libwebp's simple API (lossy at a quality, or lossless). */
#include "codec_internal.h"
#include <string.h>
#include <webp/encode.h>

int aug_webp_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                    int channels, int quality, int lossless,
                    uint8_t **out, size_t *out_size, aug_result *result) {
    memset(result, 0, sizeof *result);
    if ((channels != 3 && channels != 4) || width == 0 || height == 0
        || width > WEBP_MAX_DIMENSION || height > WEBP_MAX_DIMENSION) {
        aug_result_set(result, AUG_INVALID_ARGUMENT, "invalid image geometry for WebP");
        return AUG_INVALID_ARGUMENT;
    }
    int stride = (int)width * channels;
    uint8_t *encoded = NULL;
    size_t size;
    if (lossless) {
        size = channels == 4 ? WebPEncodeLosslessRGBA(pixels, (int)width, (int)height, stride, &encoded)
                             : WebPEncodeLosslessRGB(pixels, (int)width, (int)height, stride, &encoded);
    } else {
        size = channels == 4 ? WebPEncodeRGBA(pixels, (int)width, (int)height, stride, (float)quality, &encoded)
                             : WebPEncodeRGB(pixels, (int)width, (int)height, stride, (float)quality, &encoded);
    }
    if (size == 0 || !encoded) {
        WebPFree(encoded);
        aug_result_set(result, AUG_NO_MEMORY, "WebP encoding failed");
        return AUG_NO_MEMORY;
    }
    *out = encoded;
    *out_size = size;
    return AUG_OK;
}

void aug_webp_free(void *pointer) { WebPFree(pointer); }
