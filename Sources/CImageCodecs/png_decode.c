/* PNG decoding through libpng from a memory buffer. libpng's errors
   longjmp back into this file; warnings are counted, never printed. */
#include "codec_internal.h"
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>

typedef struct {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t size;
    size_t offset;
    int truncated;
    aug_result *result;
    png_bytep *rows;
} png_state;

static void png_error_fn(png_structp png, png_const_charp message) {
    png_state *s = png_get_error_ptr(png);
    aug_result_set(s->result, s->truncated ? AUG_TRUNCATED : AUG_CORRUPT, "%s", message);
    png_longjmp(png, 1);
}

static void png_warning_fn(png_structp png, png_const_charp message) {
    (void)message;
    png_state *s = png_get_error_ptr(png);
    s->result->warnings++;
}

static void png_read_fn(png_structp png, png_bytep out, size_t length) {
    png_state *s = png_get_io_ptr(png);
    if (length > s->size - s->offset) {
        s->truncated = 1;
        png_error(png, "unexpected end of PNG data");
    }
    memcpy(out, s->data + s->offset, length);
    s->offset += length;
}

void aug_png_close(void *state) {
    png_state *s = state;
    if (!s) return;
    if (s->png) png_destroy_read_struct(&s->png, s->info ? &s->info : NULL, NULL);
    free(s->rows);
    free(s);
}

void *aug_png_open(const uint8_t *data, size_t size, const aug_decode_options *options,
                   aug_image_info *info, aug_result *result) {
    png_state *s = calloc(1, sizeof *s);
    if (!s) { aug_result_set(result, AUG_NO_MEMORY, "out of memory"); return NULL; }
    s->data = data;
    s->size = size;
    s->result = result;
    s->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, s, png_error_fn, png_warning_fn);
    if (!s->png) { aug_png_close(s); aug_result_set(result, AUG_NO_MEMORY, "out of memory"); return NULL; }
    s->info = png_create_info_struct(s->png);
    if (!s->info) { aug_png_close(s); aug_result_set(result, AUG_NO_MEMORY, "out of memory"); return NULL; }
    if (setjmp(png_jmpbuf(s->png))) {
        aug_png_close(s);
        return NULL;
    }
    png_set_read_fn(s->png, s, png_read_fn);
    png_set_user_limits(s->png, 0x7fffffff, 0x7fffffff);
    png_read_info(s->png, s->info);

    int color = png_get_color_type(s->png, s->info);
    int depth = png_get_bit_depth(s->png, s->info);
    info->source_width = png_get_image_width(s->png, s->info);
    info->source_height = png_get_image_height(s->png, s->info);
    info->width = info->source_width;
    info->height = info->source_height;
    info->bit_depth = depth;
    int want16 = options && options->want_16bit;

    int indices = color == PNG_COLOR_TYPE_PALETTE && options && options->palette_indices;
    if (indices && depth < 8) png_set_packing(s->png);   /* one byte per index, unscaled */
    if (color == PNG_COLOR_TYPE_PALETTE && !indices) png_set_palette_to_rgb(s->png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(s->png);
    if (!indices && png_get_valid(s->png, s->info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(s->png);
    if (depth == 16) {
        if (want16) png_set_swap(s->png);     /* host (little-endian) order */
        else png_set_strip_16(s->png);        /* high byte, as Pillow's ";16B" unpackers */
    }
    png_set_interlace_handling(s->png);
    png_read_update_info(s->png, s->info);
    info->channels = png_get_channels(s->png, s->info);
    info->output_bit_depth = png_get_bit_depth(s->png, s->info);
    return s;
}

int aug_png_read(void *state, void *pixels, size_t capacity, aug_result *result) {
    png_state *s = state;
    s->result = result;
    png_uint_32 height = png_get_image_height(s->png, s->info);
    size_t stride = png_get_rowbytes(s->png, s->info);
    if (capacity < stride * height) {
        aug_result_set(result, AUG_INVALID_ARGUMENT, "output buffer too small");
        return AUG_INVALID_ARGUMENT;
    }
    s->rows = malloc(sizeof(png_bytep) * height);
    if (!s->rows) { aug_result_set(result, AUG_NO_MEMORY, "out of memory"); return AUG_NO_MEMORY; }
    for (png_uint_32 y = 0; y < height; y++) s->rows[y] = (png_bytep)pixels + stride * y;
    if (setjmp(png_jmpbuf(s->png))) return result->code;
    png_read_image(s->png, s->rows);
    return AUG_OK;
}
