/* PNG encoding through libpng into a growing memory buffer. */
#include "codec_internal.h"
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>

typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
    int failed;
    aug_result *result;
    png_bytep *rows;
} png_writer;

static void write_error_fn(png_structp png, png_const_charp message) {
    png_writer *w = png_get_error_ptr(png);
    aug_result_set(w->result, AUG_CORRUPT, "%s", message);
    png_longjmp(png, 1);
}

static void write_warning_fn(png_structp png, png_const_charp message) {
    (void)message;
    png_writer *w = png_get_error_ptr(png);
    w->result->warnings++;
}

static void write_fn(png_structp png, png_bytep bytes, size_t length) {
    png_writer *w = png_get_io_ptr(png);
    if (w->size + length > w->capacity) {
        size_t capacity = w->capacity ? w->capacity : 4096;
        while (capacity < w->size + length) capacity *= 2;
        uint8_t *grown = realloc(w->data, capacity);
        if (!grown) { w->failed = 1; png_error(png, "out of memory"); }
        w->data = grown;
        w->capacity = capacity;
    }
    memcpy(w->data + w->size, bytes, length);
    w->size += length;
}

static void flush_fn(png_structp png) { (void)png; }

int aug_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                   int channels, int compression_level,
                   uint8_t **out, size_t *out_size, aug_result *result) {
    memset(result, 0, sizeof *result);
    static const int color_types[5] = { 0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                        PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA };
    if (channels < 1 || channels > 4 || width == 0 || height == 0) {
        aug_result_set(result, AUG_INVALID_ARGUMENT, "invalid image geometry");
        return AUG_INVALID_ARGUMENT;
    }
    png_writer writer = { .result = result };
    png_writer *volatile w = &writer;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, w, write_error_fn, write_warning_fn);
    if (!png) { aug_result_set(result, AUG_NO_MEMORY, "out of memory"); return AUG_NO_MEMORY; }
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        aug_result_set(result, AUG_NO_MEMORY, "out of memory");
        return AUG_NO_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(w->data);
        free(w->rows);
        if (w->failed) result->code = AUG_NO_MEMORY;
        return result->code;
    }
    w->rows = malloc(sizeof(png_bytep) * height);
    if (!w->rows) { w->failed = 1; png_error(png, "out of memory"); }
    for (uint32_t y = 0; y < height; y++) w->rows[y] = (png_bytep)pixels + (size_t)y * width * channels;
    png_set_write_fn(png, w, write_fn, flush_fn);
    png_set_compression_level(png, compression_level);
    png_set_IHDR(png, info, width, height, 8, color_types[channels], PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    png_write_image(png, w->rows);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(w->rows);
    *out = w->data;
    *out_size = w->size;
    return AUG_OK;
}
