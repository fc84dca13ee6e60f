#include "CImageCodecs.h"
#include <stdio.h>
#include <png.h>
#include <jpeglib.h>
#include <tiffio.h>

const char *aug_codec_versions(void) {
    static char text[256];
    static int ready = 0;
    if (!ready) {
        snprintf(text, sizeof text, "libpng %s, libjpeg %d, %s",
                 PNG_LIBPNG_VER_STRING, JPEG_LIB_VERSION, "libtiff 4");
        ready = 1;
    }
    return text;
}
