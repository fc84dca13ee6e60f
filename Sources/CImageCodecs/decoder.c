#include "codec_internal.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct aug_decoder {
    int format;
    void *state;
};

void aug_result_set(aug_result *result, int code, const char *format, ...) {
    result->code = code;
    va_list args;
    va_start(args, format);
    vsnprintf(result->message, sizeof result->message, format, args);
    va_end(args);
}

aug_decoder *aug_decoder_open(int format, const uint8_t *data, size_t size,
                              const aug_decode_options *options,
                              aug_image_info *info, aug_result *result) {
    memset(result, 0, sizeof *result);
    memset(info, 0, sizeof *info);
    info->page_count = 1;
    info->orientation = 1;
    void *state = NULL;
    switch (format) {
    case AUG_FORMAT_PNG: state = aug_png_open(data, size, options, info, result); break;
    case AUG_FORMAT_JPEG: state = aug_jpeg_open(data, size, options, info, result); break;
    case AUG_FORMAT_TIFF: state = aug_tiff_open(data, size, options, info, result); break;
    case AUG_FORMAT_WEBP: state = aug_webp_open(data, size, options, info, result); break;
    default: aug_result_set(result, AUG_UNSUPPORTED, "unknown format %d", format); return NULL;
    }
    if (!state) return NULL;
    if (info->full_width == 0) {
        info->full_width = info->width;
        info->full_height = info->height;
    }
    aug_decoder *decoder = malloc(sizeof *decoder);
    if (!decoder) {
        switch (format) {
        case AUG_FORMAT_PNG: aug_png_close(state); break;
        case AUG_FORMAT_JPEG: aug_jpeg_close(state); break;
        case AUG_FORMAT_WEBP: aug_webp_close(state); break;
        default: aug_tiff_close(state); break;
        }
        aug_result_set(result, AUG_NO_MEMORY, "out of memory");
        return NULL;
    }
    decoder->format = format;
    decoder->state = state;
    return decoder;
}

int aug_decoder_read(aug_decoder *decoder, void *pixels, size_t capacity, aug_result *result) {
    memset(result, 0, sizeof *result);
    switch (decoder->format) {
    case AUG_FORMAT_PNG: return aug_png_read(decoder->state, pixels, capacity, result);
    case AUG_FORMAT_JPEG: return aug_jpeg_read(decoder->state, pixels, capacity, result);
    case AUG_FORMAT_WEBP: return aug_webp_read(decoder->state, pixels, capacity, result);
    default: return aug_tiff_read(decoder->state, pixels, capacity, result);
    }
}

void aug_decoder_close(aug_decoder *decoder) {
    if (!decoder) return;
    switch (decoder->format) {
    case AUG_FORMAT_PNG: aug_png_close(decoder->state); break;
    case AUG_FORMAT_JPEG: aug_jpeg_close(decoder->state); break;
    case AUG_FORMAT_WEBP: aug_webp_close(decoder->state); break;
    default: aug_tiff_close(decoder->state); break;
    }
    free(decoder);
}

void aug_free(void *pointer) { free(pointer); }
