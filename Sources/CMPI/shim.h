#include <mpi.h>

/* Open MPI's predefined handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, ...) are
   macros casting the address of a global, which Swift does not import: these
   functions hand them over. */
static inline MPI_Comm augment_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline int augment_mpi_comm_type_shared(void) { return MPI_COMM_TYPE_SHARED; }
static inline MPI_Info augment_mpi_info_null(void) { return MPI_INFO_NULL; }
static inline MPI_Datatype augment_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype augment_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype augment_mpi_char(void) { return MPI_CHAR; }
static inline MPI_Op augment_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Errhandler augment_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline MPI_Request augment_mpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline void *augment_mpi_in_place(void) { return MPI_IN_PLACE; }
