#ifndef NK_INTERNAL_H
#define NK_INTERNAL_H
#include "CNeuralKernels.h"
#include <oneapi/dnnl/dnnl.h>
#include <stdlib.h>
#include <string.h>

#define NK_TRY(call) do { dnnl_status_t nk_s = (call); if (nk_s != dnnl_success) return (int)nk_s; } while (0)

/* The process's CPU engine (created once, thread-safe). */
dnnl_engine_t nk_engine(void);

/* A primitive with its own stream, so that plans never share mutable state even when
   oneDNN's cache hands two plans the same kernel; its scratchpad is the running thread's
   (nk_scratch). */
typedef struct nk_op {
    dnnl_primitive_desc_t pd;
    dnnl_primitive_t primitive;
    dnnl_stream_t stream;
    dnnl_memory_t scratchpad;
    size_t scratchpad_bytes;
} nk_op;

/* The calling thread's scratch buffers: one for primitives' scratchpads (nk_op_run), two for
   a convolution's activations in a blocked layout (conv.c) or its Winograd tiles (winograd.c,
   which also takes the first for its kernel gradient's partial sums). */
typedef enum nk_scratch_slot {
    NK_SCRATCH_PRIMITIVE = 0,
    NK_SCRATCH_SOURCE = 1,
    NK_SCRATCH_DESTINATION = 2,
    NK_SCRATCH_SLOTS = 3
} nk_scratch_slot;
/* The thread's buffer of `slot`, at least `bytes` long (its contents are not kept when it
   grows), or NULL when memory runs out. */
void *nk_scratch(nk_scratch_slot slot, size_t bytes);

/* An attribute set to the user-scratchpad mode; the caller destroys it. */
int nk_attr_create(dnnl_primitive_attr_t *attr);
/* Creates pd, primitive, stream and scratchpad from a descriptor. */
int nk_op_create(nk_op *op, const_dnnl_op_desc_t desc, const_dnnl_primitive_attr_t attr,
                 const_dnnl_primitive_desc_t hint);
/* A reorder between two layouts of the same tensor; one of at most NK_SERIAL_REORDER_BYTES runs
   on the calling thread alone. */
enum { NK_SERIAL_REORDER_BYTES = 256 << 10 };
int nk_reorder_create(nk_op *op, const dnnl_memory_desc_t *from, const dnnl_memory_desc_t *to);
void nk_op_destroy(nk_op *op);
/* Executes with the given arguments plus the scratchpad, then waits. */
int nk_op_run(nk_op *op, int count, dnnl_exec_arg_t *args);
/* A memory object without a buffer (handles are set per call). */
int nk_memory(dnnl_memory_t *memory, const dnnl_memory_desc_t *md);
/* A memory object owning a 64-byte-aligned buffer. */
int nk_owned_memory(dnnl_memory_t *memory, void **data, const dnnl_memory_desc_t *md);
/* Aligned allocation of bytes (at least 64), or NULL. */
void *nk_alloc(size_t bytes);

/* Plain C loops compiled twice, for AVX2 and for the baseline, the copy picked at run time:
   `NK_VECTORISED void name_body(void *, int64_t, int64_t)` then `NK_DISPATCH(name)` defines
   `name`, an nk_chunk_body. Not `target_clones`: its ifunc resolver runs while the dynamic
   loader relocates, before a sanitizer's runtime is up, and crashed every
   `swift test --sanitize=thread|address` run at load. */
#define NK_VECTORISED static inline __attribute__((always_inline))
#if defined(__x86_64__) && defined(__clang__)
#define NK_DISPATCH(name) \
    __attribute__((target("avx2,fma"))) static void name##_avx2(void *c, int64_t b, int64_t e) { name##_body(c, b, e); } \
    static void name##_plain(void *c, int64_t b, int64_t e) { name##_body(c, b, e); } \
    static void name(void *c, int64_t b, int64_t e) { \
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) name##_avx2(c, b, e); \
        else name##_plain(c, b, e); \
    }
#else
#define NK_DISPATCH(name) static void name(void *c, int64_t b, int64_t e) { name##_body(c, b, e); }
#endif
/* Max pooling of output pixel (oy, ox) of one sample `in` (height x width x channels, NHWC):
   the window clipped to the sample, every channel into `out`; with `arg`, each maximum's offset
   within the sample (the first one on ties). Shared by the pooling layer and the fused first
   convolution; inlined into each NK_VECTORISED caller. */
NK_VECTORISED void nk_pool_window(const nk_conv_geometry *g, const float *in, int64_t oy, int64_t ox,
                                  float *restrict out, int32_t *restrict arg) {
    const int64_t c = g->channels;
    int64_t y0 = oy * g->stride_y - g->pad_top, y1 = y0 + g->kernel_h;
    int64_t x0 = ox * g->stride_x - g->pad_left, x1 = x0 + g->kernel_w;
    if (y0 < 0) y0 = 0;
    if (y1 > g->height) y1 = g->height;
    if (x0 < 0) x0 = 0;
    if (x1 > g->width) x1 = g->width;
    int32_t first = (int32_t)((y0 * g->width + x0) * c);
    memcpy(out, in + first, (size_t)c * sizeof(float));
    if (arg) for (int32_t k = 0; k < (int32_t)c; k++) arg[k] = first + k;
    for (int64_t y = y0; y < y1; y++) {
        for (int64_t x = (y == y0 ? x0 + 1 : x0); x < x1; x++) {
            int32_t base = (int32_t)((y * g->width + x) * c);
            const float *restrict v = in + base;
            if (arg) {
                for (int32_t k = 0; k < (int32_t)c; k++) {
                    int32_t take = -(int32_t)(v[k] > out[k]);
                    out[k] = v[k] > out[k] ? v[k] : out[k];
                    arg[k] = (arg[k] & ~take) | ((base + k) & take);
                }
            } else {
                for (int32_t k = 0; k < (int32_t)c; k++) out[k] = v[k] > out[k] ? v[k] : out[k];
            }
        }
    }
}

#endif
