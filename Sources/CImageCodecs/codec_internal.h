#ifndef AUG_CODEC_INTERNAL_H
#define AUG_CODEC_INTERNAL_H
#include "CImageCodecs.h"

void aug_result_set(aug_result *result, int code, const char *format, ...);

void *aug_png_open(const uint8_t *data, size_t size, const aug_decode_options *options,
                   aug_image_info *info, aug_result *result);
int aug_png_read(void *state, void *pixels, size_t capacity, aug_result *result);
void aug_png_close(void *state);

void *aug_jpeg_open(const uint8_t *data, size_t size, const aug_decode_options *options,
                    aug_image_info *info, aug_result *result);
int aug_jpeg_read(void *state, void *pixels, size_t capacity, aug_result *result);
void aug_jpeg_close(void *state);

void *aug_tiff_open(const uint8_t *data, size_t size, const aug_decode_options *options,
                    aug_image_info *info, aug_result *result);
int aug_tiff_read(void *state, void *pixels, size_t capacity, aug_result *result);
void aug_tiff_close(void *state);

void *aug_webp_open(const uint8_t *data, size_t size, const aug_decode_options *options,
                    aug_image_info *info, aug_result *result);
int aug_webp_read(void *state, void *pixels, size_t capacity, aug_result *result);
void aug_webp_close(void *state);
#endif
