#include "CNeuralKernels.h"
#include <stdatomic.h>

/* libgomp's entry point for `#pragma omp parallel` (the ABI that GCC and
   Clang emit for it), called directly: this target is compiled without
   -fopenmp, and these loops must share oneDNN's OpenMP threads rather than
   start a second pool that would spin against them. */
void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags);
int omp_get_max_threads(void);

typedef struct job {
    nk_chunk_body body;
    void *context;
    int64_t count;
    int chunks;
    atomic_int next;
} job;

static void run_chunks(void *data) {
    job *j = data;
    /* Each thread claims the next unclaimed chunk until none is left, so a
       thread that the scheduler starts late (another process has its core)
       finds its chunk already done instead of making the others wait for it.
       Chunk bounds depend on the requested count only, so results do not
       depend on which thread runs a chunk or on how many OpenMP grants. */
    for (int chunk; (chunk = atomic_fetch_add_explicit(&j->next, 1, memory_order_relaxed)) < j->chunks;) {
        int64_t begin = j->count * chunk / j->chunks, end = j->count * (chunk + 1) / j->chunks;
        if (begin < end) j->body(j->context, begin, end);
    }
}

void nk_parallel_for(int64_t count, int chunks, nk_chunk_body body, void *context) {
    if (count <= 0) return;
    if (chunks > count) chunks = (int)count;
    if (chunks <= 1) { body(context, 0, count); return; }
    /* More chunks than threads (batch normalisation asks for 4 per thread) share the team: never
       more threads than nk_threads(), which the cores are budgeted for. */
    int threads = omp_get_max_threads();
    job j = {body, context, count, chunks, 0};
    GOMP_parallel(run_chunks, &j, (unsigned)(threads < chunks ? threads : chunks), 0);
}
