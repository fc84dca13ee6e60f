#include <hdf5.h>

/* HDF5's constants are macros that call H5open() and read globals; Swift
   cannot import them, so each is a function here. */
static inline hid_t augment_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t augment_h5s_all(void) { return H5S_ALL; }
static inline unsigned augment_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned augment_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline hid_t augment_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t augment_h5t_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t augment_h5t_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t augment_h5t_c_s1(void) { return H5T_C_S1; }
static inline size_t augment_h5t_variable(void) { return H5T_VARIABLE; }

/* Turns off HDF5's printing of error stacks: failures come back as negative
   return values, which the Swift wrapper turns into typed errors. */
static inline void augment_h5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
