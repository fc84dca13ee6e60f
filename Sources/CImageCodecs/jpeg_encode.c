/* JPEG encoding through libjpeg-turbo into a malloc'd memory buffer. */
#include "codec_internal.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

struct encode_error {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    aug_result *result;
};

static void encode_error_exit(j_common_ptr cinfo) {
    struct encode_error *error = (struct encode_error *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    aug_result_set(error->result, AUG_CORRUPT, "%s", text);
    longjmp(error->jump, 1);
}

static void encode_output_message(j_common_ptr cinfo) { (void)cinfo; }

/* A growing output buffer this file owns (jpeg_mem_dest's buffer cannot be
   freed safely after an error once it has been reallocated). */
typedef struct {
    struct jpeg_destination_mgr pub;
    unsigned char *buffer;
    size_t capacity;
    size_t size;
} growing_destination;

typedef struct {
    struct jpeg_compress_struct cinfo;
    struct encode_error error;
    growing_destination destination;
} jpeg_writer;

static void destination_init(j_compress_ptr cinfo) {
    growing_destination *d = (growing_destination *)cinfo->dest;
    d->pub.next_output_byte = d->buffer;
    d->pub.free_in_buffer = d->capacity;
}

static boolean destination_empty(j_compress_ptr cinfo) {
    growing_destination *d = (growing_destination *)cinfo->dest;
    size_t capacity = d->capacity * 2;
    unsigned char *grown = realloc(d->buffer, capacity);
    if (!grown) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 10);
    d->pub.next_output_byte = grown + d->capacity;
    d->pub.free_in_buffer = capacity - d->capacity;
    d->buffer = grown;
    d->capacity = capacity;
    return TRUE;
}

static void destination_term(j_compress_ptr cinfo) {
    growing_destination *d = (growing_destination *)cinfo->dest;
    d->size = d->capacity - d->pub.free_in_buffer;
}

int aug_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                    int channels, int quality,
                    uint8_t **out, size_t *out_size, aug_result *result) {
    memset(result, 0, sizeof *result);
    if ((channels != 1 && channels != 3) || width == 0 || height == 0) {
        aug_result_set(result, AUG_INVALID_ARGUMENT, "JPEG needs 1 or 3 channels, got %d", channels);
        return AUG_INVALID_ARGUMENT;
    }
    jpeg_writer *w = calloc(1, sizeof *w);
    if (!w) { aug_result_set(result, AUG_NO_MEMORY, "out of memory"); return AUG_NO_MEMORY; }
    w->cinfo.err = jpeg_std_error(&w->error.pub);
    w->error.pub.error_exit = encode_error_exit;
    w->error.pub.output_message = encode_output_message;
    w->error.result = result;
    w->destination.capacity = 4096 + (size_t)width * height * channels / 4;
    w->destination.buffer = malloc(w->destination.capacity);
    if (!w->destination.buffer) { free(w); aug_result_set(result, AUG_NO_MEMORY, "out of memory"); return AUG_NO_MEMORY; }
    w->destination.pub.init_destination = destination_init;
    w->destination.pub.empty_output_buffer = destination_empty;
    w->destination.pub.term_destination = destination_term;
    if (setjmp(w->error.jump)) {
        jpeg_destroy_compress(&w->cinfo);
        free(w->destination.buffer);
        free(w);
        return result->code;
    }
    jpeg_create_compress(&w->cinfo);
    w->cinfo.dest = &w->destination.pub;
    w->cinfo.image_width = width;
    w->cinfo.image_height = height;
    w->cinfo.input_components = channels;
    w->cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&w->cinfo);
    jpeg_set_quality(&w->cinfo, quality, TRUE);
    jpeg_start_compress(&w->cinfo, TRUE);
    size_t stride = (size_t)width * channels;
    while (w->cinfo.next_scanline < height) {
        JSAMPROW row = (JSAMPROW)(pixels + stride * w->cinfo.next_scanline);
        jpeg_write_scanlines(&w->cinfo, &row, 1);
    }
    jpeg_finish_compress(&w->cinfo);
    jpeg_destroy_compress(&w->cinfo);
    *out = w->destination.buffer;
    *out_size = w->destination.size;
    free(w);
    return AUG_OK;
}
