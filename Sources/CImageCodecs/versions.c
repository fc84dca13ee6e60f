#include "CImageCodecs.h"
#include <stdio.h>
#include <string.h>
#include <pthread.h>
#include <png.h>
#include <jpeglib.h>
#include <tiffio.h>
#include <webp/decode.h>

#define AUG_STRINGIFY(x) #x
#define AUG_EXPAND(x) AUG_STRINGIFY(x)

static char version_text[256];
static pthread_once_t version_once = PTHREAD_ONCE_INIT;

/* "LIBTIFF, Version 4.5.0\n..." -> "4.5.0" */
static void make_version_text(void) {
    char tiff[32] = "4";
    const char *full = TIFFGetVersion();
    const char *number = full ? strstr(full, "Version ") : NULL;
    if (number) {
        number += 8;
        size_t length = strcspn(number, " \n");
        if (length >= sizeof tiff) length = sizeof tiff - 1;
        memcpy(tiff, number, length);
        tiff[length] = 0;
    }
#ifdef LIBJPEG_TURBO_VERSION
    const char *jpeg = "libjpeg-turbo " AUG_EXPAND(LIBJPEG_TURBO_VERSION);
#else
    const char *jpeg = "libjpeg " AUG_EXPAND(JPEG_LIB_VERSION);
#endif
    int webp = WebPGetDecoderVersion();
    snprintf(version_text, sizeof version_text, "libpng %s, %s, libtiff %s, libwebp %d.%d.%d",
             png_get_libpng_ver(NULL), jpeg, tiff, (webp >> 16) & 0xff, (webp >> 8) & 0xff, webp & 0xff);
}

const char *aug_codec_versions(void) {
    pthread_once(&version_once, make_version_text);
    return version_text;
}
