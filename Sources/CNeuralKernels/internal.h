#ifndef NK_INTERNAL_H
#define NK_INTERNAL_H
#include "CNeuralKernels.h"
#include <oneapi/dnnl/dnnl.h>
#include <stdlib.h>

#define NK_TRY(call) do { dnnl_status_t nk_s = (call); if (nk_s != dnnl_success) return (int)nk_s; } while (0)

/* The process's CPU engine (created once, thread-safe). */
dnnl_engine_t nk_engine(void);

/* A primitive with its own stream and scratchpad, so that plans never share
   mutable state even when oneDNN's cache hands two plans the same kernel. */
typedef struct nk_op {
    dnnl_primitive_desc_t pd;
    dnnl_primitive_t primitive;
    dnnl_stream_t stream;
    dnnl_memory_t scratchpad;
    void *scratchpad_data;
} nk_op;

/* An attribute set to the user-scratchpad mode; the caller destroys it. */
int nk_attr_create(dnnl_primitive_attr_t *attr);
/* Creates pd, primitive, stream and scratchpad from a descriptor. */
int nk_op_create(nk_op *op, const_dnnl_op_desc_t desc, const_dnnl_primitive_attr_t attr,
                 const_dnnl_primitive_desc_t hint);
/* A reorder between two layouts of the same tensor. */
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
#endif
