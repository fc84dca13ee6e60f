#include <cblas.h>
#include <lapacke.h>
/* OpenBLAS thread control (exported by libopenblas). */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
