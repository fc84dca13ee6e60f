/* JPEG decoding through libjpeg-turbo with an error manager that longjmps
   back into this file instead of calling exit(), and never prints. */
#include "codec_internal.h"
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

struct jpeg_error {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    aug_result *result;
    int allow_truncated;
    int truncated;
};

typedef struct {
    struct jpeg_decompress_struct cinfo;
    struct jpeg_error error;
    int created;
    int cmyk;
    JSAMPROW *rows;
    JSAMPLE *scratch;
    int cropped;                       /* decode only [crop_left, crop_left + width) x [crop_top, ...) */
    int widened;                       /* ... and deliver the iMCU-aligned columns around it (started) */
    unsigned crop_left, crop_top, crop_width, crop_height;
} jpeg_state;

static void error_exit(j_common_ptr cinfo) {
    struct jpeg_error *error = (struct jpeg_error *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    int code = AUG_CORRUPT;
    switch (cinfo->err->msg_code) {
    case JERR_IMAGE_TOO_BIG: code = AUG_TOO_LARGE; break;
    case JERR_OUT_OF_MEMORY: code = AUG_NO_MEMORY; break;
    case JERR_INPUT_EMPTY: code = AUG_TRUNCATED; break;
    case JERR_BAD_PRECISION: case JERR_NOT_COMPILED: case JERR_CONVERSION_NOTIMPL:
        code = AUG_UNSUPPORTED; break;
    default: break;
    }
    if (error->truncated && code == AUG_CORRUPT) code = AUG_TRUNCATED;
    aug_result_set(error->result, code, "%s", text);
    longjmp(error->jump, 1);
}

static void output_message(j_common_ptr cinfo) { (void)cinfo; }

static void emit_message(j_common_ptr cinfo, int level) {
    struct jpeg_error *error = (struct jpeg_error *)cinfo->err;
    if (level >= 0) return;
    cinfo->err->num_warnings++;
    error->result->warnings++;
    if (cinfo->err->msg_code == JWRN_JPEG_EOF) {
        error->truncated = 1;
        if (!error->allow_truncated) {
            aug_result_set(error->result, AUG_TRUNCATED, "Premature end of JPEG file");
            longjmp(error->jump, 1);
        }
    }
}

/* Smallest DCT scale M/8 whose output, ceil(size * M / 8) on each axis as
   jpeg_calc_output_dimensions computes it, still covers the minimum size, for M = 1, 2 or 4;
   else full size. libjpeg-turbo runs those IDCTs (and the doubled ones of subsampled chroma) in
   SIMD; every other M/8 runs scalar IDCTs that cost more than decoding the extra pixels at full
   size: allowing 5/8 made the 224-pixel pipeline bench 5% slower, 3/8 and 6/8 more (measured). */
static void crop_columns(jpeg_state *s, JDIMENSION *xoff, JDIMENSION *width);

static unsigned choose_scale_num(const jpeg_state *s, const aug_decode_options *o, int orientation) {
    if (!o || (o->min_width == 0 && o->min_height == 0)) return 8;
    unsigned long w = s->cinfo.image_width, h = s->cinfo.image_height;
    if (o->min_size_is_upright && orientation >= 5) { unsigned long t = w; w = h; h = t; }
    for (unsigned num = 1; num <= 4; num *= 2) {
        unsigned long ow = (w * num + 7) / 8, oh = (h * num + 7) / 8;
        if (ow >= o->min_width && oh >= o->min_height) return num;
    }
    return 8;
}

void aug_jpeg_close(void *state) {
    jpeg_state *s = state;
    if (!s) return;
    if (s->created) jpeg_destroy_decompress(&s->cinfo);
    free(s->rows);
    free(s->scratch);
    free(s);
}

void *aug_jpeg_open(const uint8_t *data, size_t size, const aug_decode_options *options,
                    aug_image_info *info, aug_result *result) {
    jpeg_state *s = calloc(1, sizeof *s);
    if (!s) { aug_result_set(result, AUG_NO_MEMORY, "out of memory"); return NULL; }
    s->cinfo.err = jpeg_std_error(&s->error.pub);
    s->error.pub.error_exit = error_exit;
    s->error.pub.output_message = output_message;
    s->error.pub.emit_message = emit_message;
    s->error.result = result;
    s->error.allow_truncated = options ? options->allow_truncated : 0;
    if (setjmp(s->error.jump)) {
        aug_jpeg_close(s);
        return NULL;
    }
    jpeg_create_decompress(&s->cinfo);
    s->created = 1;
    jpeg_mem_src(&s->cinfo, data, (unsigned long)size);
    jpeg_save_markers(&s->cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&s->cinfo, TRUE);

    info->source_width = s->cinfo.image_width;
    info->source_height = s->cinfo.image_height;
    info->bit_depth = 8;
    info->output_bit_depth = 8;
    for (jpeg_saved_marker_ptr m = s->cinfo.marker_list; m; m = m->next) {
        if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 && memcmp(m->data, "Exif\0\0", 6) == 0) {
            info->orientation = aug_exif_orientation(m->data, m->data_length);
            break;
        }
    }
    switch (s->cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE: s->cinfo.out_color_space = JCS_GRAYSCALE; info->channels = 1; break;
    case JCS_CMYK: case JCS_YCCK:
        s->cinfo.out_color_space = JCS_CMYK; s->cmyk = 1; info->channels = 3; break;
    default: s->cinfo.out_color_space = JCS_RGB; info->channels = 3; break;
    }
    s->cinfo.scale_num = choose_scale_num(s, options, info->orientation);
    s->cinfo.scale_denom = 8;
    jpeg_calc_output_dimensions(&s->cinfo);
    info->width = s->cinfo.output_width;
    info->height = s->cinfo.output_height;
    info->full_width = info->width;
    info->full_height = info->height;
    /* The crop window at the output scale, as TransformKernel computes it from the same numbers. */
    if (options && options->crop_x1 > options->crop_x0 && options->crop_y1 > options->crop_y0
        && info->orientation == 1 && !s->cmyk) {
        double sx = (double)s->cinfo.output_width / (double)s->cinfo.image_width;
        double sy = (double)s->cinfo.output_height / (double)s->cinfo.image_height;
        unsigned w = s->cinfo.output_width, h = s->cinfo.output_height;
        unsigned left = (unsigned)floor((double)options->crop_x0 * sx), top = (unsigned)floor((double)options->crop_y0 * sy);
        unsigned right = (unsigned)ceil((double)options->crop_x1 * sx), bottom = (unsigned)ceil((double)options->crop_y1 * sy);
        if (left >= w) left = w - 1;
        if (top >= h) top = h - 1;
        if (right < left + 1) right = left + 1;
        if (bottom < top + 1) bottom = top + 1;
        if (right > w) right = w;
        if (bottom > h) bottom = h;
        if (left > 0 || top > 0 || right < w || bottom < h) {
            s->cropped = 1;
            s->crop_left = left;
            s->crop_top = top;
            s->crop_width = right - left;
            s->crop_height = bottom - top;
            info->region_x = left;
            info->region_y = top;
            info->width = right - left;
            info->height = bottom - top;
            if (options->crop_may_widen) {
                /* Start here to learn the columns libjpeg-turbo will decode (errors jump above). */
                jpeg_start_decompress(&s->cinfo);
                JDIMENSION xoff, width;
                crop_columns(s, &xoff, &width);
                s->widened = 1;
                s->crop_left = xoff;
                s->crop_width = width;
                info->region_x = xoff;
                info->width = width;
            }
        }
    }
    return s;
}

/* The decoded columns of a crop window: widened by 16 pixels on each side (fancy chroma
   upsampling replicates at a cropped edge, which changed the pixels next to it by up to 3 levels;
   16 output pixels cover the widest iMCU), then by jpeg_crop_scanline to iMCU boundaries. Call
   after jpeg_start_decompress. */
static void crop_columns(jpeg_state *s, JDIMENSION *xoff, JDIMENSION *width) {
    const unsigned margin = 16, full = s->cinfo.output_width;
    *xoff = s->crop_left > margin ? s->crop_left - margin : 0;
    unsigned right = s->crop_left + s->crop_width + margin < full ? s->crop_left + s->crop_width + margin : full;
    *width = right - *xoff;
    jpeg_crop_scanline(&s->cinfo, xoff, width);
}

/* The crop window only: each row of its decoded columns (crop_columns) goes to scratch and its
   window is copied out, or with `widened` every row straight to `out`, the region being those
   columns. Rows above are skipped (Huffman-decoded, not transformed) and rows below are never
   decoded. */
static int read_cropped(jpeg_state *s, uint8_t *out, unsigned width, unsigned height, unsigned channels,
                        aug_result *result) {
    if (s->widened) {
        if (s->crop_top > 0) jpeg_skip_scanlines(&s->cinfo, s->crop_top);
        const size_t stride = (size_t)width * channels;
        while (s->cinfo.output_scanline < s->crop_top + height) {
            JSAMPROW rows[4];
            const unsigned line = s->cinfo.output_scanline - s->crop_top;
            const unsigned n = height - line < 4 ? height - line : 4;
            for (unsigned i = 0; i < n; i++) rows[i] = out + stride * (line + i);
            jpeg_read_scanlines(&s->cinfo, rows, n);
        }
        jpeg_abort_decompress(&s->cinfo);
        return AUG_OK;
    }
    JDIMENSION xoff, cropWidth;
    crop_columns(s, &xoff, &cropWidth);
    s->scratch = malloc((size_t)cropWidth * channels);
    if (!s->scratch) { aug_result_set(result, AUG_NO_MEMORY, "out of memory"); jpeg_abort_decompress(&s->cinfo); return AUG_NO_MEMORY; }
    if (s->crop_top > 0) jpeg_skip_scanlines(&s->cinfo, s->crop_top);
    JSAMPROW row = s->scratch;
    size_t offset = (size_t)(s->crop_left - xoff) * channels, stride = (size_t)width * channels;
    for (unsigned y = 0; y < height; y++) {
        jpeg_read_scanlines(&s->cinfo, &row, 1);
        memcpy(out + stride * y, s->scratch + offset, stride);
    }
    jpeg_abort_decompress(&s->cinfo);
    return AUG_OK;
}

/* Pillow's CMYK -> RGB for Adobe-inverted CMYK ("CMYK;I" then cmyk2rgb). */
static void cmyk_to_rgb(const JSAMPLE *in, uint8_t *out, unsigned width) {
    for (unsigned x = 0; x < width; x++, in += 4, out += 3) {
        int nk = in[3];                       /* 255 - k, k stored inverted */
        for (int c = 0; c < 3; c++) {
            int value = 255 - in[c];          /* un-invert */
            int tmp = value * nk + 128;
            int product = ((tmp >> 8) + tmp) >> 8;
            int v = nk - product;
            out[c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}

int aug_jpeg_read(void *state, void *pixels, size_t capacity, aug_result *result) {
    jpeg_state *s = state;
    s->error.result = result;
    if (setjmp(s->error.jump)) {
        jpeg_abort_decompress(&s->cinfo);
        return result->code;
    }
    if (!s->widened) jpeg_start_decompress(&s->cinfo);
    unsigned channels = s->cmyk ? 3 : (unsigned)s->cinfo.output_components;
    if (s->cropped) {
        if (capacity < (size_t)s->crop_width * channels * s->crop_height) {
            aug_result_set(result, AUG_INVALID_ARGUMENT, "output buffer too small");
            jpeg_abort_decompress(&s->cinfo);
            return AUG_INVALID_ARGUMENT;
        }
        return read_cropped(s, pixels, s->crop_width, s->crop_height, channels, result);
    }
    unsigned width = s->cinfo.output_width, height = s->cinfo.output_height;
    size_t stride = (size_t)width * channels;
    if (capacity < stride * height) {
        aug_result_set(result, AUG_INVALID_ARGUMENT, "output buffer too small");
        jpeg_abort_decompress(&s->cinfo);
        return AUG_INVALID_ARGUMENT;
    }
    uint8_t *out = pixels;
    if (!s->cmyk) {
        s->rows = malloc(sizeof(JSAMPROW) * height);
        if (!s->rows) { aug_result_set(result, AUG_NO_MEMORY, "out of memory"); jpeg_abort_decompress(&s->cinfo); return AUG_NO_MEMORY; }
        for (unsigned y = 0; y < height; y++) s->rows[y] = out + stride * y;
        while (s->cinfo.output_scanline < height) {
            unsigned line = s->cinfo.output_scanline;
            jpeg_read_scanlines(&s->cinfo, s->rows + line, height - line);
        }
    } else {
        unsigned block = (unsigned)s->cinfo.rec_outbuf_height;
        s->scratch = malloc((size_t)width * 4 * block);
        s->rows = malloc(sizeof(JSAMPROW) * block);
        if (!s->scratch || !s->rows) { aug_result_set(result, AUG_NO_MEMORY, "out of memory"); jpeg_abort_decompress(&s->cinfo); return AUG_NO_MEMORY; }
        for (unsigned i = 0; i < block; i++) s->rows[i] = s->scratch + (size_t)width * 4 * i;
        while (s->cinfo.output_scanline < height) {
            unsigned line = s->cinfo.output_scanline;
            unsigned got = jpeg_read_scanlines(&s->cinfo, s->rows, block);
            for (unsigned i = 0; i < got; i++) cmyk_to_rgb(s->rows[i], out + stride * (line + i), width);
        }
    }
    jpeg_finish_decompress(&s->cinfo);
    return AUG_OK;
}
