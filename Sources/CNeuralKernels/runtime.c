#include "internal.h"
#include <pthread.h>
#include <string.h>

void omp_set_num_threads(int num_threads);
int omp_get_max_threads(void);

static dnnl_engine_t engine;
static pthread_once_t engine_once = PTHREAD_ONCE_INIT;
static void create_engine(void) {
    if (dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success) engine = NULL;
}

dnnl_engine_t nk_engine(void) {
    pthread_once(&engine_once, create_engine);
    return engine;
}

void nk_set_threads(int threads) { omp_set_num_threads(threads < 1 ? 1 : threads); }
int nk_threads(void) { return omp_get_max_threads(); }

static _Thread_local int thread_local_count;
void nk_set_thread_local_count(int threads) { thread_local_count = threads < 0 ? 0 : threads; }
int nk_thread_local_count(void) { return thread_local_count; }

int nk_sgemm(int transpose_a, int transpose_b, int64_t m, int64_t n, int64_t k, float alpha,
             const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c, int64_t ldc) {
    return (int)dnnl_sgemm(transpose_a ? 'T' : 'N', transpose_b ? 'T' : 'N', m, n, k,
                           alpha, a, lda, b, ldb, beta, c, ldc);
}

void *nk_alloc(size_t bytes) {
    size_t rounded = (bytes + 63) / 64 * 64;
    return aligned_alloc(64, rounded ? rounded : 64);
}

int nk_attr_create(dnnl_primitive_attr_t *attr) {
    NK_TRY(dnnl_primitive_attr_create(attr));
    return (int)dnnl_primitive_attr_set_scratchpad_mode(*attr, dnnl_scratchpad_mode_user);
}

int nk_memory(dnnl_memory_t *memory, const dnnl_memory_desc_t *md) {
    if (!nk_engine()) return (int)dnnl_runtime_error;
    return (int)dnnl_memory_create(memory, md, nk_engine(), DNNL_MEMORY_NONE);
}

int nk_owned_memory(dnnl_memory_t *memory, void **data, const dnnl_memory_desc_t *md) {
    *data = nk_alloc(dnnl_memory_desc_get_size(md));
    if (!*data) return (int)dnnl_out_of_memory;
    if (!nk_engine()) return (int)dnnl_runtime_error;
    return (int)dnnl_memory_create(memory, md, nk_engine(), *data);
}

static int op_finish(nk_op *op);

int nk_op_create(nk_op *op, const_dnnl_op_desc_t desc, const_dnnl_primitive_attr_t attr,
                 const_dnnl_primitive_desc_t hint) {
    memset(op, 0, sizeof *op);
    if (!nk_engine()) return (int)dnnl_runtime_error;
    NK_TRY(dnnl_primitive_desc_create(&op->pd, desc, attr, nk_engine(), hint));
    return op_finish(op);
}

int nk_reorder_create(nk_op *op, const dnnl_memory_desc_t *from, const dnnl_memory_desc_t *to) {
    memset(op, 0, sizeof *op);
    if (!nk_engine()) return (int)dnnl_runtime_error;
    dnnl_primitive_attr_t attr;
    NK_TRY(nk_attr_create(&attr));
    /* oneDNN 2.6 fixes a reorder's thread count when it creates it. Waking the team for a small
       copy (a course model's kernels: 74-147 kB, ~10 us) cost more than the copy, and under load
       ~0.8 ms each (a preempted thread): such reorders are created for the caller alone. A copy's
       result does not depend on the thread count. */
    int threads = omp_get_max_threads();
    if (dnnl_memory_desc_get_size(from) <= NK_SERIAL_REORDER_BYTES) omp_set_num_threads(1);
    dnnl_status_t status = dnnl_reorder_primitive_desc_create(&op->pd, from, nk_engine(), to, nk_engine(), attr);
    dnnl_primitive_attr_destroy(attr);
    int finished = status == dnnl_success ? op_finish(op) : (int)status;
    omp_set_num_threads(threads);
    return finished;
}

static int op_finish(nk_op *op) {
    NK_TRY(dnnl_primitive_create(&op->primitive, op->pd));
    NK_TRY(dnnl_stream_create(&op->stream, nk_engine(), dnnl_stream_default_flags));
    const dnnl_memory_desc_t *md = dnnl_primitive_desc_query_md(op->pd, dnnl_query_scratchpad_md, 0);
    op->scratchpad_bytes = md ? dnnl_memory_desc_get_size(md) : 0;
    return op->scratchpad_bytes > 0 ? nk_memory(&op->scratchpad, md) : 0;
}

/* The calling thread's scratch buffers, one per nk_scratch_slot, each grown to the largest
   request and freed when the thread exits. A primitive runs to completion before its caller
   goes on (nk_op_run waits), so every plan run on one thread can share them: the Winograd
   convolutions' scratchpads reach 140 MB, and owned per primitive they would add up over a
   network's layers and passes. */
typedef struct thread_scratch {
    void *data[NK_SCRATCH_SLOTS];
    size_t bytes[NK_SCRATCH_SLOTS];
} thread_scratch;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_release(void *value) {
    thread_scratch *s = value;
    for (int i = 0; i < NK_SCRATCH_SLOTS; i++) free(s->data[i]);
    free(s);
}

static void scratch_key_create(void) { pthread_key_create(&scratch_key, scratch_release); }

void *nk_scratch(nk_scratch_slot slot, size_t bytes) {
    pthread_once(&scratch_once, scratch_key_create);
    thread_scratch *s = pthread_getspecific(scratch_key);
    if (!s) {
        if (!(s = calloc(1, sizeof *s))) return NULL;
        if (pthread_setspecific(scratch_key, s)) { free(s); return NULL; }
    }
    if (s->bytes[slot] < bytes) {
        free(s->data[slot]);
        s->data[slot] = nk_alloc(bytes);
        s->bytes[slot] = s->data[slot] ? bytes : 0;
    }
    return s->data[slot];
}

void nk_op_destroy(nk_op *op) {
    if (op->scratchpad) dnnl_memory_destroy(op->scratchpad);
    if (op->stream) dnnl_stream_destroy(op->stream);
    if (op->primitive) dnnl_primitive_destroy(op->primitive);
    if (op->pd) dnnl_primitive_desc_destroy(op->pd);
    memset(op, 0, sizeof *op);
}

int nk_op_run(nk_op *op, int count, dnnl_exec_arg_t *args) {
    dnnl_exec_arg_t all[8];
    if (count > 7) return (int)dnnl_invalid_arguments;
    memcpy(all, args, sizeof(dnnl_exec_arg_t) * (size_t)count);
    if (op->scratchpad) {
        void *data = nk_scratch(NK_SCRATCH_PRIMITIVE, op->scratchpad_bytes);
        if (!data) return (int)dnnl_out_of_memory;
        NK_TRY(dnnl_memory_set_data_handle(op->scratchpad, data));
        all[count++] = (dnnl_exec_arg_t){DNNL_ARG_SCRATCHPAD, op->scratchpad};
    }
    NK_TRY(dnnl_primitive_execute(op->primitive, op->stream, count, all));
    return (int)dnnl_stream_wait(op->stream);
}
