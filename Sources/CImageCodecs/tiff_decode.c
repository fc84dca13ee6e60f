/* TIFF decoding through libtiff from a memory buffer. Errors and warnings
   are captured per call through TIFFOpenOptions handlers (thread-safe: the
   message buffer belongs to this decoder), so libtiff never prints. */
#include "codec_internal.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
    int read_past_end;
    int error_seen;
    aug_result *result;
    TIFF *tif;
    int want16;
    int direct;        /* contiguous gray/RGB(A) 8/16-bit: read samples as stored */
    int channels;
    int bits;
    uint32_t width, height;
    uint64_t pixel_limit;  /* bounds tile and strip buffers, checked before allocating */
} tiff_state;

static int error_handler(TIFF *tif, void *user, const char *module, const char *format, va_list args) {
    (void)tif;
    tiff_state *s = user;
    if (!s->error_seen) {
        char text[200];
        vsnprintf(text, sizeof text, format, args);
        snprintf(s->result->message, sizeof s->result->message, "%s: %s", module ? module : "libtiff", text);
        s->error_seen = 1;
    }
    return 1;
}

static int warning_handler(TIFF *tif, void *user, const char *module, const char *format, va_list args) {
    (void)tif; (void)module; (void)format; (void)args;
    tiff_state *s = user;
    s->result->warnings++;
    return 1;
}

static tmsize_t read_proc(thandle_t handle, void *buffer, tmsize_t size) {
    tiff_state *s = (tiff_state *)handle;
    if (size < 0) return -1;
    size_t available = s->size - s->offset;
    size_t count = (size_t)size <= available ? (size_t)size : available;
    if (count < (size_t)size) s->read_past_end = 1;
    memcpy(buffer, s->data + s->offset, count);
    s->offset += count;
    return (tmsize_t)count;
}

static tmsize_t write_proc(thandle_t handle, void *buffer, tmsize_t size) {
    (void)handle; (void)buffer; (void)size;
    return -1;
}

static toff_t seek_proc(thandle_t handle, toff_t offset, int whence) {
    tiff_state *s = (tiff_state *)handle;
    uint64_t base = whence == SEEK_CUR ? s->offset : whence == SEEK_END ? s->size : 0;
    uint64_t target = base + offset;
    if (target > s->size) { s->read_past_end = 1; target = s->size; }
    s->offset = (size_t)target;
    return target;
}

static int close_proc(thandle_t handle) { (void)handle; return 0; }
static toff_t size_proc(thandle_t handle) { return ((tiff_state *)handle)->size; }
static int map_proc(thandle_t h, void **base, toff_t *size) { (void)h; (void)base; (void)size; return 0; }
static void unmap_proc(thandle_t h, void *base, toff_t size) { (void)h; (void)base; (void)size; }

static int fail(tiff_state *s, int fallback) {
    int code = s->read_past_end ? AUG_TRUNCATED : fallback;
    s->result->code = code;
    if (!s->error_seen) snprintf(s->result->message, sizeof s->result->message, "%s",
                                 code == AUG_TRUNCATED ? "unexpected end of TIFF data" : "invalid TIFF data");
    return code;
}

void aug_tiff_close(void *state) {
    tiff_state *s = state;
    if (!s) return;
    if (s->tif) TIFFClose(s->tif);
    free(s);
}

/* libtiff's own buffers (a strip's or tile's compressed bytes, a decoded tile
   in the RGBA path) hold at most a pixel-limit's worth of 4x16-bit pixels. */
static tmsize_t max_library_allocation(uint64_t pixel_limit) {
    const uint64_t floor = (uint64_t)16 << 20, ceiling = (uint64_t)1 << 30;
    if (pixel_limit == 0 || pixel_limit > ceiling / 8) return (tmsize_t)ceiling;
    uint64_t bytes = pixel_limit * 8;
    return (tmsize_t)(bytes < floor ? floor : bytes);
}

static pthread_once_t silence_once = PTHREAD_ONCE_INIT;

/* Per-call handlers catch everything libtiff reports through TIFFErrorExtR;
   clearing the process-wide handlers stops any remaining legacy call from printing. */
static void silence_global_handlers(void) {
    TIFFSetErrorHandler(NULL);
    TIFFSetWarningHandler(NULL);
}

void *aug_tiff_open(const uint8_t *data, size_t size, const aug_decode_options *options,
                    aug_image_info *info, aug_result *result) {
    pthread_once(&silence_once, silence_global_handlers);
    tiff_state *s = calloc(1, sizeof *s);
    if (!s) { aug_result_set(result, AUG_NO_MEMORY, "out of memory"); return NULL; }
    s->data = data;
    s->size = size;
    s->result = result;
    s->want16 = options && options->want_16bit;
    s->pixel_limit = options ? options->pixel_limit : 0;
    TIFFOpenOptions *open_options = TIFFOpenOptionsAlloc();
    if (!open_options) { free(s); aug_result_set(result, AUG_NO_MEMORY, "out of memory"); return NULL; }
    TIFFOpenOptionsSetErrorHandlerExtR(open_options, error_handler, s);
    TIFFOpenOptionsSetWarningHandlerExtR(open_options, warning_handler, s);
    TIFFOpenOptionsSetMaxSingleMemAlloc(open_options, max_library_allocation(s->pixel_limit));
    s->tif = TIFFClientOpenExt("memory", "rm", (thandle_t)s, read_proc, write_proc, seek_proc,
                               close_proc, size_proc, map_proc, unmap_proc, open_options);
    TIFFOpenOptionsFree(open_options);
    if (!s->tif) { fail(s, AUG_CORRUPT); aug_tiff_close(s); return NULL; }

    int pages = TIFFNumberOfDirectories(s->tif);
    info->page_count = pages > 0 ? pages : 1;
    int page = options ? options->page : 0;
    if (page < 0 || page >= info->page_count) {
        aug_result_set(result, AUG_INVALID_ARGUMENT, "page %d out of range 0..<%d", page, info->page_count);
        aug_tiff_close(s);
        return NULL;
    }
    if (!TIFFSetDirectory(s->tif, (tdir_t)page)) { fail(s, AUG_CORRUPT); aug_tiff_close(s); return NULL; }

    uint16_t spp = 1, bits = 1, photometric = PHOTOMETRIC_MINISBLACK, planar = PLANARCONFIG_CONTIG;
    uint16_t format = SAMPLEFORMAT_UINT, extra_count = 0;
    uint16_t *extra = NULL;
    TIFFGetField(s->tif, TIFFTAG_IMAGEWIDTH, &s->width);
    TIFFGetField(s->tif, TIFFTAG_IMAGELENGTH, &s->height);
    TIFFGetFieldDefaulted(s->tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
    TIFFGetFieldDefaulted(s->tif, TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetFieldDefaulted(s->tif, TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(s->tif, TIFFTAG_SAMPLEFORMAT, &format);
    TIFFGetFieldDefaulted(s->tif, TIFFTAG_EXTRASAMPLES, &extra_count, &extra);
    if (!TIFFGetField(s->tif, TIFFTAG_PHOTOMETRIC, &photometric))
        photometric = spp >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;

    int color = (photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE) ? 1 : 3;
    int alpha = extra_count > 0 && spp > (photometric == PHOTOMETRIC_SEPARATED ? 4 : color);
    s->channels = color + alpha;
    s->bits = bits;
    s->direct = planar == PLANARCONFIG_CONTIG && format == SAMPLEFORMAT_UINT && (bits == 8 || bits == 16)
        && (photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_RGB)
        && spp == s->channels
        && !(alpha && extra[0] == EXTRASAMPLE_ASSOCALPHA);
    if (!s->direct) {
        char reason[1024];
        if (!TIFFRGBAImageOK(s->tif, reason)) {
            aug_result_set(result, AUG_UNSUPPORTED, "%s", reason);
            aug_tiff_close(s);
            return NULL;
        }
    }
    info->source_width = info->width = s->width;
    info->source_height = info->height = s->height;
    info->channels = s->channels;
    info->bit_depth = bits;
    info->output_bit_depth = s->want16 ? 16 : 8;
    return s;
}

/* Copies `rows` rows of `columns` stored samples into the output, reducing
   16-bit samples to their high byte unless 16-bit output was requested. */
static void copy_samples(const tiff_state *s, const uint8_t *in, size_t in_stride,
                         uint8_t *out, uint32_t x0, uint32_t y0, uint32_t columns, uint32_t rows) {
    size_t samples = (size_t)columns * s->channels;
    size_t out_stride = (size_t)s->width * s->channels;
    for (uint32_t r = 0; r < rows; r++) {
        const uint8_t *src = in + in_stride * r;
        if (s->bits == 8) {
            uint8_t *dst = out + (out_stride * (y0 + r) + (size_t)x0 * s->channels);
            if (s->want16) {
                uint16_t *dst16 = (uint16_t *)out + (out_stride * (y0 + r) + (size_t)x0 * s->channels);
                for (size_t i = 0; i < samples; i++) dst16[i] = (uint16_t)(src[i] * 257);
            } else {
                memcpy(dst, src, samples);
            }
        } else {
            const uint16_t *src16 = (const uint16_t *)src;
            if (s->want16) {
                uint16_t *dst16 = (uint16_t *)out + (out_stride * (y0 + r) + (size_t)x0 * s->channels);
                memcpy(dst16, src16, samples * 2);
            } else {
                uint8_t *dst = out + (out_stride * (y0 + r) + (size_t)x0 * s->channels);
                for (size_t i = 0; i < samples; i++) dst[i] = (uint8_t)(src16[i] >> 8);
            }
        }
    }
}

static int read_direct(tiff_state *s, uint8_t *out) {
    size_t bytes_per_pixel = (size_t)s->channels * (s->bits / 8);
    if (TIFFIsTiled(s->tif)) {
        uint32_t tw = 0, th = 0;
        TIFFGetField(s->tif, TIFFTAG_TILEWIDTH, &tw);
        TIFFGetField(s->tif, TIFFTAG_TILELENGTH, &th);
        if (tw == 0 || th == 0) return fail(s, AUG_CORRUPT);
        /* The header's tile size is checked against the pixel limit before
           anything is allocated: a tiny file may claim 65536x65536 tiles. */
        uint64_t limit = s->pixel_limit ? s->pixel_limit : (uint64_t)s->width * s->height;
        if ((uint64_t)tw * th > limit) {
            aug_result_set(s->result, AUG_TOO_LARGE, "tile %ux%u exceeds the limit of %llu pixels",
                           tw, th, (unsigned long long)limit);
            return AUG_TOO_LARGE;
        }
        tmsize_t tile_size = TIFFTileSize(s->tif);
        if (tile_size != (tmsize_t)((size_t)tw * th * bytes_per_pixel)) return fail(s, AUG_CORRUPT);
        uint8_t *buffer = malloc((size_t)tile_size);
        if (!buffer) return fail(s, AUG_NO_MEMORY);
        for (uint32_t y = 0; y < s->height; y += th) {
            for (uint32_t x = 0; x < s->width; x += tw) {
                if (TIFFReadTile(s->tif, buffer, x, y, 0, 0) < 0) { free(buffer); return fail(s, AUG_CORRUPT); }
                uint32_t columns = s->width - x < tw ? s->width - x : tw;
                uint32_t rows = s->height - y < th ? s->height - y : th;
                copy_samples(s, buffer, tw * bytes_per_pixel, out, x, y, columns, rows);
            }
        }
        free(buffer);
        return AUG_OK;
    }
    uint32_t rows_per_strip = s->height;
    TIFFGetFieldDefaulted(s->tif, TIFFTAG_ROWSPERSTRIP, &rows_per_strip);
    if (rows_per_strip == 0 || rows_per_strip > s->height) rows_per_strip = s->height;
    tmsize_t strip_size = TIFFStripSize(s->tif);
    size_t stride = (size_t)s->width * bytes_per_pixel;
    if (strip_size < (tmsize_t)(stride * rows_per_strip)) return fail(s, AUG_CORRUPT);
    /* One strip of at most the image's rows, whatever size the header claims
       (the image's size already passed the pixel limit). */
    uint8_t *buffer = malloc(stride * rows_per_strip);
    if (!buffer) return fail(s, AUG_NO_MEMORY);
    for (uint32_t y = 0; y < s->height; y += rows_per_strip) {
        uint32_t rows = s->height - y < rows_per_strip ? s->height - y : rows_per_strip;
        tmsize_t got = TIFFReadEncodedStrip(s->tif, TIFFComputeStrip(s->tif, y, 0), buffer, (tmsize_t)(stride * rows));
        if (got < (tmsize_t)(stride * rows)) { free(buffer); return fail(s, AUG_CORRUPT); }
        copy_samples(s, buffer, stride, out, 0, y, s->width, rows);
    }
    free(buffer);
    return AUG_OK;
}

/* Everything else (palette, bilevel, min-is-white, YCbCr, CMYK, planar, ...)
   goes through libtiff's RGBA interface, then back to the output channels. */
static int read_rgba(tiff_state *s, void *out) {
    size_t count = (size_t)s->width * s->height;
    uint32_t *raster = malloc(count * sizeof(uint32_t));
    if (!raster) return fail(s, AUG_NO_MEMORY);
    if (!TIFFReadRGBAImageOriented(s->tif, s->width, s->height, raster, ORIENTATION_TOPLEFT, 1)) {
        free(raster);
        return fail(s, AUG_CORRUPT);
    }
    uint8_t *out8 = out;
    uint16_t *out16 = out;
    for (size_t i = 0; i < count; i++) {
        uint32_t p = raster[i];
        uint8_t v[4] = { (uint8_t)TIFFGetR(p), (uint8_t)TIFFGetG(p), (uint8_t)TIFFGetB(p), (uint8_t)TIFFGetA(p) };
        uint8_t picked[4];
        switch (s->channels) {
        case 1: picked[0] = v[0]; break;
        case 2: picked[0] = v[0]; picked[1] = v[3]; break;
        default: memcpy(picked, v, 4); break;
        }
        for (int c = 0; c < s->channels; c++) {
            if (s->want16) out16[i * s->channels + c] = (uint16_t)(picked[c] * 257);
            else out8[i * s->channels + c] = picked[c];
        }
    }
    free(raster);
    return AUG_OK;
}

int aug_tiff_read(void *state, void *pixels, size_t capacity, aug_result *result) {
    tiff_state *s = state;
    s->result = result;
    s->error_seen = 0;
    s->read_past_end = 0;
    size_t needed = (size_t)s->width * s->height * s->channels * (s->want16 ? 2 : 1);
    if (capacity < needed) {
        aug_result_set(result, AUG_INVALID_ARGUMENT, "output buffer too small");
        return AUG_INVALID_ARGUMENT;
    }
    return s->direct ? read_direct(s, pixels) : read_rgba(s, pixels);
}
