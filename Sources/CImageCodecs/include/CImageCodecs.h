#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H
/* setjmp-safe wrappers around libpng, libjpeg-turbo, libtiff and libwebp.
   Every function reports through an aug_result (status code + the library's
   message); none calls exit(), prints, or leaks on an error path.
   Decoding is two-phase so the caller can check the header against its
   limits and allocate the output itself:
     aug_decoder_open  -> reads the header only, fills aug_image_info
     aug_decoder_read  -> decodes the pixels into the caller's buffer
     aug_decoder_close -> frees everything (always call it after a successful open) */
#include <stddef.h>
#include <stdint.h>

/* Library versions, for `augment --version`. */
const char *aug_codec_versions(void);

typedef enum {
    AUG_OK = 0,
    AUG_CORRUPT = 1,
    AUG_TRUNCATED = 2,
    AUG_UNSUPPORTED = 3,
    AUG_TOO_LARGE = 4,
    AUG_NO_MEMORY = 5,
    AUG_INVALID_ARGUMENT = 6
} aug_status;

typedef enum {
    AUG_FORMAT_PNG = 1,
    AUG_FORMAT_JPEG = 2,
    AUG_FORMAT_TIFF = 3,
    AUG_FORMAT_WEBP = 4
} aug_format;

/* Outcome of one call: status, warning count and the library's message. */
typedef struct {
    int code;
    int warnings;
    char message[256];
} aug_result;

typedef struct {
    uint32_t min_width;      /* JPEG: smallest acceptable output size for DCT scaling; 0 = full size */
    uint32_t min_height;
    int min_size_is_upright; /* JPEG: min_width/min_height are after EXIF orientation (swap for 5..8) */
    int allow_truncated;     /* JPEG: accept a premature end of data (grey-padded) */
    int want_16bit;          /* PNG/TIFF: keep 16-bit samples (native-endian uint16) */
    int palette_indices;     /* PNG: a palette image decodes to its indices (one channel, unscaled) */
    int page;                /* TIFF: zero-based page (directory) */
    uint64_t pixel_limit;    /* TIFF: no tile, strip or library buffer may hold more pixels
                                than this (4 samples of 16 bits each); 0 = the image's own size */
    uint32_t crop_x0;        /* JPEG with orientation 1: decode only columns [crop_x0, crop_x1) and rows */
    uint32_t crop_y0;        /* [crop_y0, crop_y1) of the stored full-resolution image, at the chosen */
    uint32_t crop_x1;        /* DCT scale: floor(x0 * s) ... ceil(x1 * s) with s = output / stored size */
    uint32_t crop_y1;        /* (crop_x1 == 0: no crop) */
    int crop_may_widen;      /* JPEG crop: the decoder may return more columns than asked, whole
                                iMCUs around the window widened by 16 pixels (read in place: no row
                                copy); only the window's pixels equal a full decode's */
} aug_decode_options;

typedef struct {
    uint32_t width;          /* output size (after DCT scaling) */
    uint32_t height;
    uint32_t source_width;   /* size stored in the file */
    uint32_t source_height;
    int channels;            /* output channels 1..4 */
    int bit_depth;           /* bits per sample in the file */
    int output_bit_depth;    /* 8 or 16 */
    int page_count;          /* TIFF: number of pages; 1 otherwise */
    int orientation;         /* JPEG EXIF orientation 1..8; 1 when absent */
    uint32_t region_x;       /* where the decoded pixels sit in the whole image at the output scale */
    uint32_t region_y;       /* (0, 0 and full_width x full_height = width x height without a crop) */
    uint32_t full_width;
    uint32_t full_height;
} aug_image_info;

typedef struct aug_decoder aug_decoder;

aug_decoder *aug_decoder_open(int format, const uint8_t *data, size_t size,
                              const aug_decode_options *options,
                              aug_image_info *info, aug_result *result);
/* `pixels` must hold height * width * channels samples of output_bit_depth. */
int aug_decoder_read(aug_decoder *decoder, void *pixels, size_t capacity,
                     aug_result *result);
void aug_decoder_close(aug_decoder *decoder);

/* The samples of a one-channel PNG inside the window [x0, x1) x [y0, y1) (clipped to the
   image), row-major into `samples` (capacity in samples): 8- or 16-bit gray without tRNS, or
   the indices of an 8-bit palette image, not interlaced. The whole zlib stream is inflated
   (libdeflate) and checked, rows are unfiltered only as far as the window needs.
   AUG_OK, or AUG_UNSUPPORTED for any other file and for any damage (CRC, zlib stream, length,
   filter byte), with no message: decode such a file through aug_decoder_open with
   palette_indices, which gives the same samples or the named error. */
typedef struct {
    uint32_t width;          /* the whole image */
    uint32_t height;
    int bit_depth;           /* 8 or 16 */
    uint32_t x0, y0, x1, y1; /* the window decoded (clipped) */
} aug_sample_window;

int aug_png_sample_window(const uint8_t *data, size_t size, uint64_t pixel_limit,
                          uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1,
                          uint16_t *samples, size_t capacity, aug_sample_window *info);

/* Nearest sampling of the same files straight into an out_width x out_height grid (row-major
   into `out`): pixel (x, y) takes the sample at column columns[x], row rows[y] when both are
   >= 0, else `fill`; rows are unfiltered only from the first one the grid depends on to its
   last. AUG_OK, or AUG_UNSUPPORTED as aug_png_sample_window, and when a table entry lies past
   the image. `info` gives the image's size and the rectangle the grid read. */
int aug_png_sample_grid(const uint8_t *data, size_t size, uint64_t pixel_limit,
                        const int32_t *columns, uint32_t out_width, const int32_t *rows, uint32_t out_height,
                        uint16_t fill, uint16_t *out, aug_sample_window *info);

/* Encoders: on success *out is a malloc'd buffer of *out_size bytes that
   the caller releases with aug_free. Samples are 8-bit HWC. */
int aug_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                   int channels, int compression_level,
                   uint8_t **out, size_t *out_size, aug_result *result);
int aug_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                    int channels, int quality,
                    uint8_t **out, size_t *out_size, aug_result *result);
/* WebP: 3 or 4 channels; `lossless` ignores `quality` (0...100). Release the
   output with aug_webp_free (libwebp's own allocator), not aug_free. */
int aug_webp_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                    int channels, int quality, int lossless,
                    uint8_t **out, size_t *out_size, aug_result *result);
void aug_webp_free(void *pointer);
void aug_free(void *pointer);

/* EXIF orientation (1..8) from an APP1 payload starting with "Exif\0\0";
   1 when absent or malformed. */
int aug_exif_orientation(const uint8_t *data, size_t size);

#endif
