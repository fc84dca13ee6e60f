/* One-channel PNGs (class-index masks) decoded only where a window needs them.

   The whole zlib stream is inflated by libdeflate (so a damaged file fails whatever the
   window), but rows are unfiltered only from the first row the window depends on to its last
   row, and only up to its last column; then either the window is copied out, or a grid of
   (column, row) pairs is sampled straight into the output (nearest sampling by a warp that
   keeps the axes). Each thread keeps its inflater and inflate buffer between calls.

   This path takes the plain files masks are: 8- or 16-bit gray without tRNS, or 8-bit
   palette (the index is the sample), not interlaced, with well-formed chunks. It never
   reports an error of its own: anything else, and anything wrong (a CRC, the zlib stream,
   its length, a filter byte), returns AUG_UNSUPPORTED and the caller decodes the file with
   libpng, which gives the same samples or the named error. */
#include "CImageCodecs.h"
#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static uint32_t be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static int is_letter(uint8_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

/* Sub with one byte per pixel: a running sum, 16 bytes at a time (prefix sums by shifted
   adds; the carry chain is one add per block). */
static void unfilter_sub1(uint8_t *row, size_t n) {
    size_t x = 1;
#if defined(__SSE2__)
    __m128i carry = _mm_set1_epi8((char)row[0]);
    for (; x + 16 <= n; x += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(row + x));
        v = _mm_add_epi8(v, _mm_slli_si128(v, 1));
        v = _mm_add_epi8(v, _mm_slli_si128(v, 2));
        v = _mm_add_epi8(v, _mm_slli_si128(v, 4));
        v = _mm_add_epi8(v, _mm_slli_si128(v, 8));
        __m128i top = _mm_unpackhi_epi8(v, v);            /* byte 15 in word 7 */
        top = _mm_shufflehi_epi16(top, 0xFF);             /* ... in words 4..7 */
        top = _mm_shuffle_epi32(top, 0xFF);               /* ... everywhere */
        _mm_storeu_si128((__m128i *)(row + x), _mm_add_epi8(v, carry));
        carry = _mm_add_epi8(carry, top);
    }
#endif
    for (; x < n; x++) row[x] = (uint8_t)(row[x] + row[x - 1]);
}

static int paeth(int a, int b, int c) {
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Reverses the filter of the first `n` bytes of `row` (bpp bytes per pixel); `prior` is the
   row above, already unfiltered over the same bytes (NULL for the first row: zeros). */
static void unfilter(int filter, uint8_t *row, const uint8_t *prior, size_t n, size_t bpp) {
    size_t x;
    switch (filter) {
    case 1:
        if (bpp == 1) { unfilter_sub1(row, n); break; }
        for (x = bpp; x < n; x++) row[x] = (uint8_t)(row[x] + row[x - bpp]);
        break;
    case 2:
        if (prior) for (x = 0; x < n; x++) row[x] = (uint8_t)(row[x] + prior[x]);
        break;
    case 3:
        for (x = 0; x < n; x++) {
            int left = x >= bpp ? row[x - bpp] : 0, up = prior ? prior[x] : 0;
            row[x] = (uint8_t)(row[x] + ((left + up) >> 1));
        }
        break;
    case 4:
        for (x = 0; x < n; x++) {
            int left = x >= bpp ? row[x - bpp] : 0, up = prior ? prior[x] : 0;
            int corner = prior && x >= bpp ? prior[x - bpp] : 0;
            row[x] = (uint8_t)(row[x] + paeth(left, up, corner));
        }
        break;
    default:
        break;
    }
}

/* Each thread keeps its inflater and its largest inflate buffer (freed when the thread ends):
   a loader's workers decode one mask after another, and a fresh 100-KB buffer each time
   costs page faults and cache misses. */
typedef struct {
    struct libdeflate_decompressor *inflater;
    uint8_t *buffer;
    size_t capacity;
} scratch;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *value) {
    scratch *s = value;
    libdeflate_free_decompressor(s->inflater);
    free(s->buffer);
    free(s);
}

static void scratch_make_key(void) { (void)pthread_key_create(&scratch_key, scratch_free); }

/* This thread's scratch with room for `size` bytes, or NULL when memory runs out. */
static scratch *thread_scratch(size_t size) {
    (void)pthread_once(&scratch_once, scratch_make_key);
    scratch *s = pthread_getspecific(scratch_key);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s) return NULL;
        s->inflater = libdeflate_alloc_decompressor();
        if (!s->inflater || pthread_setspecific(scratch_key, s) != 0) { scratch_free(s); return NULL; }
    }
    if (s->capacity < size) {
        uint8_t *bigger = malloc(size);
        if (!bigger) return NULL;
        free(s->buffer);
        s->buffer = bigger;
        s->capacity = size;
    }
    return s;
}

typedef struct {
    uint32_t width, height;
    int depth, color;
    const uint8_t *idat;     /* the first IDAT's data when it is the only one */
    uint8_t *joined;         /* the IDATs' data joined, otherwise (malloc'd) */
    size_t idat_size;
} png_layout;

/* Walks the chunks up to the end of the IDAT run; 0 when this path can take the file. */
static int read_layout(const uint8_t *data, size_t size, uint64_t pixel_limit, png_layout *out) {
    static const uint8_t signature[8] = {137, 80, 78, 71, 13, 10, 26, 10};
    memset(out, 0, sizeof *out);
    if (size < 8 + 25 || memcmp(data, signature, 8) != 0) return -1;
    size_t pos = 8, first_idat = 0, idat_count = 0;
    int palette = 0, seen_idat = 0;
    uint64_t raw_size = 0;
    while (1) {
        if (size - pos < 12) { if (seen_idat && size == pos) break; return -1; }
        uint32_t length = be32(data + pos);
        const uint8_t *type = data + pos + 4;
        if (length > 0x7fffffffu || length > size - pos - 12) return -1;
        if (!is_letter(type[0]) || !is_letter(type[1]) || !is_letter(type[2]) || !is_letter(type[3])) return -1;
        int critical = type[0] >= 'A' && type[0] <= 'Z';
        int is_idat = memcmp(type, "IDAT", 4) == 0;
        if (seen_idat && !is_idat) break;                /* libpng reads no further */
        if (critical && libdeflate_crc32(0, type, (size_t)length + 4) != be32(data + pos + 8 + length)) return -1;
        if (pos == 8) {
            if (memcmp(type, "IHDR", 4) != 0 || length != 13) return -1;
            const uint8_t *h = data + pos + 8;
            out->width = be32(h);
            out->height = be32(h + 4);
            out->depth = h[8];
            out->color = h[9];
            if (out->width == 0 || out->height == 0 || out->width > 0x7fffffffu || out->height > 0x7fffffffu) return -1;
            if ((uint64_t)out->width * out->height > pixel_limit) return -1;
            if (h[10] != 0 || h[11] != 0 || h[12] != 0) return -1;   /* deflate, filter 0, not interlaced */
            if (!((out->color == 0 && (out->depth == 8 || out->depth == 16)) || (out->color == 3 && out->depth == 8))) return -1;
            raw_size = (uint64_t)out->height * ((uint64_t)out->width * (out->depth / 8) + 1);
        } else if (is_idat) {
            if (out->color == 3 && !palette) return -1;
            if (length > raw_size) return -1;
            if (!seen_idat) first_idat = pos;
            seen_idat = 1;
            idat_count++;
            out->idat_size += length;
        } else if (memcmp(type, "PLTE", 4) == 0) {
            if (out->color != 3 || palette || length == 0 || length % 3 != 0 || length > 768) return -1;
            palette = 1;
        } else if (critical || (memcmp(type, "tRNS", 4) == 0 && out->color == 0)) {
            return -1;                                   /* IEND before IDAT, unknown critical chunk, gray + alpha */
        } else if (length > 1000000) {
            return -1;                                   /* libpng's ancillary chunk limits */
        }
        pos += 12 + (size_t)length;
    }
    if (idat_count == 1) {
        out->idat = data + first_idat + 8;
        return 0;
    }
    out->joined = malloc(out->idat_size ? out->idat_size : 1);
    if (!out->joined) return -1;
    size_t at = 0;
    for (pos = first_idat; at < out->idat_size; pos += 12 + (size_t)be32(data + pos)) {
        uint32_t length = be32(data + pos);
        memcpy(out->joined + at, data + pos + 8, length);
        at += length;
    }
    out->idat = out->joined;
    return 0;
}

/* Inflates the image data into `raw` and checks its length and filter bytes: 0 when good. */
static int inflate_rows(struct libdeflate_decompressor *inflater, const png_layout *layout, uint8_t *raw,
                        size_t stride) {
    size_t raw_size = (size_t)layout->height * stride, produced = 0;
    if (libdeflate_zlib_decompress(inflater, layout->idat, layout->idat_size, raw, raw_size, &produced) != LIBDEFLATE_SUCCESS
        || produced != raw_size) return -1;
    for (uint32_t y = 0; y < layout->height; y++) {
        if (raw[(size_t)y * stride] > 4) return -1;
    }
    return 0;
}

/* Inflate buffers up to this size stay with their thread; larger ones are freed after use. */
#define KEPT_BUFFER_BYTES ((size_t)8 << 20)

/* The image data of `layout` inflated and checked (layout->joined is freed): this thread's buffer
   when small enough (*owned = 0), a malloc'd one otherwise (*owned = 1); NULL when it cannot be. */
static uint8_t *inflated(png_layout *layout, size_t stride, int *owned) {
    size_t raw_size = (size_t)layout->height * stride;
    *owned = raw_size > KEPT_BUFFER_BYTES;
    scratch *work = thread_scratch(*owned ? 0 : raw_size);
    uint8_t *raw = !work ? NULL : *owned ? malloc(raw_size) : work->buffer;
    if (raw && inflate_rows(work->inflater, layout, raw, stride) != 0) {
        if (*owned) free(raw);
        raw = NULL;
    }
    free(layout->joined);
    layout->joined = NULL;
    return raw;
}

/* Unfilters rows [y0, y1) over their first `bytes` bytes, from the first row they depend on
   (Up, Average and Paeth read the row above). */
static void unfilter_rows(uint8_t *raw, size_t stride, size_t bpp, uint32_t y0, uint32_t y1, size_t bytes) {
    uint32_t first = y0;
    while (first > 0 && first < y1 && raw[(size_t)first * stride] >= 2) first--;
    for (uint32_t y = first; y < y1; y++) {
        uint8_t *row = raw + (size_t)y * stride;
        unfilter(row[0], row + 1, y > 0 ? row + 1 - stride : NULL, bytes, bpp);
    }
}

/* Copies the (unfiltered) window out as uint16. */
static void copy_window(const uint8_t *raw, size_t stride, size_t bpp, uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1,
                        uint16_t *samples) {
    size_t window_width = x1 - x0;
    for (uint32_t y = y0; y < y1; y++) {
        uint16_t *out = samples + (size_t)(y - y0) * window_width;
        const uint8_t *in = raw + (size_t)y * stride + 1 + (size_t)x0 * bpp;
        if (bpp == 1) for (size_t x = 0; x < window_width; x++) out[x] = in[x];
        else for (size_t x = 0; x < window_width; x++) out[x] = (uint16_t)(in[2 * x] << 8 | in[2 * x + 1]);
    }
}

int aug_png_sample_window(const uint8_t *data, size_t size, uint64_t pixel_limit,
                          uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1,
                          uint16_t *samples, size_t capacity, aug_sample_window *info) {
    memset(info, 0, sizeof *info);
    png_layout layout;
    if (read_layout(data, size, pixel_limit, &layout) != 0) return AUG_UNSUPPORTED;
    size_t bpp = (size_t)layout.depth / 8, stride = (size_t)layout.width * bpp + 1;
    int owned;
    uint8_t *raw = inflated(&layout, stride, &owned);
    if (!raw) return AUG_UNSUPPORTED;
    if (x1 > layout.width) x1 = layout.width;
    if (y1 > layout.height) y1 = layout.height;
    if (x0 > x1) x0 = x1;
    if (y0 > y1) y0 = y1;
    int status = capacity < (size_t)(x1 - x0) * (y1 - y0) ? AUG_INVALID_ARGUMENT : AUG_OK;
    if (status == AUG_OK) {
        unfilter_rows(raw, stride, bpp, y0, y1, (size_t)x1 * bpp);
        copy_window(raw, stride, bpp, x0, y0, x1, y1, samples);
    }
    if (owned) free(raw);
    if (status != AUG_OK) return status;
    info->width = layout.width;
    info->height = layout.height;
    info->bit_depth = layout.depth;
    info->x0 = x0;
    info->y0 = y0;
    info->x1 = x1;
    info->y1 = y1;
    return AUG_OK;
}

int aug_png_sample_grid(const uint8_t *data, size_t size, uint64_t pixel_limit,
                        const int32_t *columns, uint32_t out_width, const int32_t *rows, uint32_t out_height,
                        uint16_t fill, uint16_t *out, aug_sample_window *info) {
    memset(info, 0, sizeof *info);
    png_layout layout;
    if (read_layout(data, size, pixel_limit, &layout) != 0) return AUG_UNSUPPORTED;
    int32_t low_row = -1, high_row = -1, low_column = -1, high_column = -1;
    for (uint32_t y = 0; y < out_height; y++) {
        if (rows[y] < 0) continue;
        if (low_row < 0 || rows[y] < low_row) low_row = rows[y];
        if (rows[y] > high_row) high_row = rows[y];
    }
    for (uint32_t x = 0; x < out_width; x++) {
        if (columns[x] < 0) continue;
        if (low_column < 0 || columns[x] < low_column) low_column = columns[x];
        if (columns[x] > high_column) high_column = columns[x];
    }
    if ((uint32_t)(high_row + 1) > layout.height || (uint32_t)(high_column + 1) > layout.width) {
        free(layout.joined);
        return AUG_UNSUPPORTED;                          /* a table past the image: not this file's grid */
    }
    size_t bpp = (size_t)layout.depth / 8, stride = (size_t)layout.width * bpp + 1;
    int owned;
    uint8_t *raw = inflated(&layout, stride, &owned);
    if (!raw) return AUG_UNSUPPORTED;
    if (high_row >= 0 && high_column >= 0) {
        unfilter_rows(raw, stride, bpp, (uint32_t)low_row, (uint32_t)high_row + 1, (size_t)(high_column + 1) * bpp);
    }
    /* The columns inside the image usually form one run (a crop, resize or flip puts the
       outside columns at the ends): sampled without a test per pixel. */
    uint32_t inside_from = 0, inside_to = out_width;
    while (inside_from < out_width && columns[inside_from] < 0) inside_from++;
    while (inside_to > inside_from && columns[inside_to - 1] < 0) inside_to--;
    int one_run = 1;
    for (uint32_t x = inside_from; x < inside_to; x++) if (columns[x] < 0) { one_run = 0; break; }
    int32_t previous = -1;
    uint16_t *previous_out = NULL;
    for (uint32_t y = 0; y < out_height; y++) {
        uint16_t *line = out + (size_t)y * out_width;
        int32_t r = high_column >= 0 ? rows[y] : -1;
        if (r < 0) {
            for (uint32_t x = 0; x < out_width; x++) line[x] = fill;
        } else if (r == previous) {                       /* an enlarged row: the row above again */
            memcpy(line, previous_out, (size_t)out_width * sizeof *line);
        } else {
            const uint8_t *in = raw + (size_t)r * stride + 1;
            if (one_run) {
                for (uint32_t x = 0; x < inside_from; x++) line[x] = fill;
                if (bpp == 1) for (uint32_t x = inside_from; x < inside_to; x++) line[x] = in[columns[x]];
                else for (uint32_t x = inside_from; x < inside_to; x++)
                    line[x] = (uint16_t)(in[2 * columns[x]] << 8 | in[2 * columns[x] + 1]);
                for (uint32_t x = inside_to; x < out_width; x++) line[x] = fill;
            } else if (bpp == 1) {
                for (uint32_t x = 0; x < out_width; x++) line[x] = columns[x] < 0 ? fill : in[columns[x]];
            } else {
                for (uint32_t x = 0; x < out_width; x++)
                    line[x] = columns[x] < 0 ? fill : (uint16_t)(in[2 * columns[x]] << 8 | in[2 * columns[x] + 1]);
            }
            previous = r;
            previous_out = line;
        }
    }
    if (owned) free(raw);
    info->width = layout.width;
    info->height = layout.height;
    info->bit_depth = layout.depth;
    info->x0 = low_column < 0 ? 0 : (uint32_t)low_column;
    info->y0 = low_row < 0 ? 0 : (uint32_t)low_row;
    info->x1 = (uint32_t)(high_column + 1);
    info->y1 = (uint32_t)(high_row + 1);
    return AUG_OK;
}
