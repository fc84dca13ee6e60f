/* WebP decoding through libwebp from a memory buffer. libwebp reports by
   return value (no longjmp, no exit); the header is parsed first so the
   caller checks the size before any pixel buffer exists. Output is 8-bit
   RGB, or RGBA when the bitstream carries alpha. Animated WebP is refused. */
#include "codec_internal.h"
#include <stdlib.h>
#include <string.h>
#include <webp/decode.h>

typedef struct {
    const uint8_t *data;
    size_t size;
    int width;
    int height;
    int has_alpha;
} webp_state;

static int status_code(VP8StatusCode status) {
    switch (status) {
    case VP8_STATUS_NOT_ENOUGH_DATA: return AUG_TRUNCATED;
    case VP8_STATUS_UNSUPPORTED_FEATURE: return AUG_UNSUPPORTED;
    case VP8_STATUS_OUT_OF_MEMORY: return AUG_NO_MEMORY;
    case VP8_STATUS_INVALID_PARAM: return AUG_INVALID_ARGUMENT;
    default: return AUG_CORRUPT;
    }
}

static const char *status_text(VP8StatusCode status) {
    switch (status) {
    case VP8_STATUS_NOT_ENOUGH_DATA: return "unexpected end of WebP data";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported WebP feature";
    case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
    case VP8_STATUS_INVALID_PARAM: return "invalid parameter";
    case VP8_STATUS_SUSPENDED: return "decoding suspended";
    case VP8_STATUS_USER_ABORT: return "decoding aborted";
    default: return "invalid WebP bitstream";
    }
}

void *aug_webp_open(const uint8_t *data, size_t size, const aug_decode_options *options,
                    aug_image_info *info, aug_result *result) {
    if (options && options->want_16bit) {
        aug_result_set(result, AUG_INVALID_ARGUMENT, "WebP holds 8-bit samples only");
        return NULL;
    }
    WebPBitstreamFeatures features;
    VP8StatusCode status = WebPGetFeatures(data, size, &features);
    if (status != VP8_STATUS_OK) {
        aug_result_set(result, status_code(status), "%s", status_text(status));
        return NULL;
    }
    if (features.has_animation) {
        aug_result_set(result, AUG_UNSUPPORTED, "animated WebP is not supported");
        return NULL;
    }
    webp_state *s = calloc(1, sizeof *s);
    if (!s) { aug_result_set(result, AUG_NO_MEMORY, "out of memory"); return NULL; }
    s->data = data;
    s->size = size;
    s->width = features.width;
    s->height = features.height;
    s->has_alpha = features.has_alpha;
    info->source_width = (uint32_t)features.width;
    info->source_height = (uint32_t)features.height;
    info->width = info->source_width;
    info->height = info->source_height;
    info->channels = features.has_alpha ? 4 : 3;
    info->bit_depth = 8;
    info->output_bit_depth = 8;
    return s;
}

int aug_webp_read(void *state, void *pixels, size_t capacity, aug_result *result) {
    webp_state *s = state;
    int channels = s->has_alpha ? 4 : 3;
    size_t stride = (size_t)s->width * channels;
    size_t needed = stride * (size_t)s->height;
    if (capacity < needed) {
        aug_result_set(result, AUG_INVALID_ARGUMENT, "output buffer too small");
        return AUG_INVALID_ARGUMENT;
    }
    uint8_t *out = s->has_alpha
        ? WebPDecodeRGBAInto(s->data, s->size, pixels, needed, (int)stride)
        : WebPDecodeRGBInto(s->data, s->size, pixels, needed, (int)stride);
    if (!out) {
        /* Re-parse to tell a short file from a broken one. */
        WebPDecoderConfig config;
        if (!WebPInitDecoderConfig(&config)) {
            aug_result_set(result, AUG_CORRUPT, "libwebp version mismatch");
            return AUG_CORRUPT;
        }
        config.output.colorspace = s->has_alpha ? MODE_RGBA : MODE_RGB;
        config.output.is_external_memory = 1;
        config.output.u.RGBA.rgba = pixels;
        config.output.u.RGBA.stride = (int)stride;
        config.output.u.RGBA.size = needed;
        VP8StatusCode status = WebPDecode(s->data, s->size, &config);
        WebPFreeDecBuffer(&config.output);
        if (status == VP8_STATUS_OK) status = VP8_STATUS_BITSTREAM_ERROR;
        aug_result_set(result, status_code(status), "%s", status_text(status));
        return result->code;
    }
    return AUG_OK;
}

void aug_webp_close(void *state) { free(state); }
