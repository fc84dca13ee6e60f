#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H
/* setjmp-safe wrappers around libpng, libjpeg-turbo and libtiff.
   Every function returns a status code and fills a caller-provided message
   buffer; none calls exit(), prints, or leaks on an error path. */
#include <stddef.h>
#include <stdint.h>

/* Library versions, for `augment --version`. */
const char *aug_codec_versions(void);

#endif
