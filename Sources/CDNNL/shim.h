#include <oneapi/dnnl/dnnl.h>
/* libdnnl is built on OpenMP (libgomp): its thread count is the calling
   thread's OpenMP setting. */
void omp_set_num_threads(int num_threads);
int omp_get_max_threads(void);
