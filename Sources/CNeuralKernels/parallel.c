#include "CNeuralKernels.h"

/* libgomp's entry point for `#pragma omp parallel` (the ABI that GCC and
   Clang emit for it), called directly: this target is compiled without
   -fopenmp, and these loops must share oneDNN's OpenMP threads rather than
   start a second pool that would spin against them. */
void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags);
int omp_get_thread_num(void);
int omp_get_num_threads(void);

typedef struct job {
    nk_chunk_body body;
    void *context;
    int64_t count;
    int chunks;
} job;

static void run_chunks(void *data) {
    const job *j = data;
    /* Chunk bounds depend on the requested count only, so results do not
       depend on how many threads OpenMP actually grants. */
    for (int chunk = omp_get_thread_num(); chunk < j->chunks; chunk += omp_get_num_threads()) {
        int64_t begin = j->count * chunk / j->chunks, end = j->count * (chunk + 1) / j->chunks;
        if (begin < end) j->body(j->context, begin, end);
    }
}

void nk_parallel_for(int64_t count, int chunks, nk_chunk_body body, void *context) {
    if (count <= 0) return;
    if (chunks > count) chunks = (int)count;
    if (chunks <= 1) { body(context, 0, count); return; }
    job j = {body, context, count, chunks};
    GOMP_parallel(run_chunks, &j, (unsigned)chunks, 0);
}
