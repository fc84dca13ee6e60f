#ifndef CNEURALKERNELS_H
#define CNEURALKERNELS_H
/* NHWC convolution and ReLU backward on oneDNN (libdnnl), max pooling and
   parallel loops on its OpenMP threads, with
   Keras layouts at the boundary: activations NHWC, convolution kernels HWIO
   (kh, kw, cin, cout), biases (cout). oneDNN's blocked weight formats stay
   inside a plan, reordered on every call (the weights change every step).
   A plan is built for one batch size; its calls run on oneDNN's OpenMP
   threads (nk_set_threads) and are not reentrant: one caller at a time.
   Every function returns 0 on success, else a oneDNN status (> 0). */
#include <stddef.h>
#include <stdint.h>

/* OpenMP threads of the calling thread's later oneDNN calls (at least 1). */
void nk_set_threads(int threads);
/* The calling thread's OpenMP thread count. */
int nk_threads(void);
/* A thread count that holds for the calling thread only (a model replica's thread), over the
   process-wide count Swift's ComputeThreads keeps; 0 clears it. */
void nk_set_thread_local_count(int threads);
/* The calling thread's own count, or 0 when it has none. */
int nk_thread_local_count(void);

/* Calls body(context, begin, end) on `chunks` disjoint ranges covering
   0..<count, on the OpenMP threads that oneDNN uses (the caller included). */
typedef void (*nk_chunk_body)(void *context, int64_t begin, int64_t end);
void nk_parallel_for(int64_t count, int chunks, nk_chunk_body body, void *context);

/* Row-major C[m x n] = alpha op(A) op(B) + beta C (oneDNN's sgemm). */
int nk_sgemm(int transpose_a, int transpose_b, int64_t m, int64_t n, int64_t k, float alpha,
             const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c, int64_t ldc);

/* A convolution's shapes. groups splits channels and filters into that many
   independent convolutions (channels == groups: depthwise); 0 and 1 both mean
   one group. dilate_y/x count the gaps between kernel taps, as oneDNN does
   (Keras's dilation_rate minus 1; 0: dense). Zero-initialised trailing fields
   thus give an ordinary convolution. Pooling reads none of the three. */
typedef struct nk_conv_geometry {
    int64_t batch, height, width, channels, filters;
    int64_t kernel_h, kernel_w, stride_y, stride_x;
    int64_t pad_top, pad_left, pad_bottom, pad_right;
    int64_t out_h, out_w;
    int64_t groups, dilate_y, dilate_x;
} nk_conv_geometry;

typedef struct nk_conv nk_conv;
/* fuse_relu: the forward applies max(., 0) after the bias. A grouped kernel
   keeps Keras's HWIO layout (kh, kw, channels / groups, filters), filter f
   belonging to group f / (filters / groups). */
int nk_conv_create(nk_conv **plan, const nk_conv_geometry *g, int has_bias, int fuse_relu);
void nk_conv_destroy(nk_conv *plan);
/* Activations a convolution's forward can apply as a oneDNN post-op. */
enum { NK_ACTIVATION_NONE = 0, NK_ACTIVATION_RELU = 1, NK_ACTIVATION_RELU6 = 2 };
/* nk_conv_create with post-ops: `sum` adds what dst holds before the forward (a residual),
   then `activation` (NK_ACTIVATION_*) applies. */
int nk_conv_create_fused(nk_conv **plan, const nk_conv_geometry *g, int has_bias, int activation, int sum);
int nk_conv_forward(nk_conv *plan, const float *src, const float *kernel, const float *bias, float *dst);
/* nk_conv_forward that reorders the kernel into the primitive's layout only when refresh_kernel
   (else it reuses the copy the last refreshing call made: the caller knows the kernel is unchanged). */
int nk_conv_forward_cached(nk_conv *plan, const float *src, const float *kernel, const float *bias, float *dst,
                           int refresh_kernel);
/* diff_bias may be NULL when the plan has no bias. */
int nk_conv_backward_weights(nk_conv *plan, const float *src, const float *diff_dst,
                             float *diff_kernel, float *diff_bias);
int nk_conv_backward_data(nk_conv *plan, const float *diff_dst, const float *kernel, float *diff_src);
/* Whether plans created from now on may use Winograd convolutions (3x3, stride 1, 16 or more
   channels in and out; on by default), and whether a plan does. */
void nk_conv_set_winograd(int allowed);
int nk_conv_winograd(void);
/* Which Winograd convolutions this CPU runs: NK_WINOGRAD_ONEDNN (oneDNN's, with AVX-512),
   NK_WINOGRAD_AVX2 (winograd.c's, with AVX2 and FMA, for channels in multiples of 8) or
   NK_WINOGRAD_NONE. */
enum { NK_WINOGRAD_NONE = 0, NK_WINOGRAD_ONEDNN = 1, NK_WINOGRAD_AVX2 = 2 };
int nk_conv_winograd_supported(void);
int nk_conv_uses_winograd(const nk_conv *plan);
/* out[c] = sum over rows of grad[r * channels + c], on the OpenMP threads. */
int nk_bias_gradient(const float *grad, int64_t rows, int64_t channels, float *out);

typedef struct nk_pool nk_pool;
/* Max pooling with the same geometry fields (filters ignored); plain C on
   the OpenMP threads, `chunks` of the work at a time (1: the caller only). */
int nk_pool_create(nk_pool **plan, const nk_conv_geometry *g);
void nk_pool_destroy(nk_pool *plan);
/* training != 0 records each window's first maximum (row-major) for nk_pool_backward. */
int nk_pool_forward(nk_pool *plan, const float *src, float *dst, int training, int chunks);
/* Routes each output gradient to its recorded maximum; writes all of diff_src.
   With mask_src (the forward's input), only maxima > 0 receive a gradient:
   the ReLU backward of the layer below, fused. */
int nk_pool_backward(nk_pool *plan, const float *diff_dst, float *diff_src, const float *mask_src, int chunks);

typedef struct nk_conv_pool nk_conv_pool;
/* A ReLU convolution followed by max pooling (`pool`'s input: the convolution's output),
   computed one sample at a time per thread so that the convolution's output stays in cache and
   is never stored; for few input channels (nk_conv_pool_supports), where oneDNN is slow;
   one group, no dilation.
   Plain C on the OpenMP threads, `chunks` of the batch at a time. */
int nk_conv_pool_supports(const nk_conv_geometry *conv);
int nk_conv_pool_create(nk_conv_pool **plan, const nk_conv_geometry *conv, const nk_conv_geometry *pool, int has_bias);
void nk_conv_pool_destroy(nk_conv_pool *plan);
/* dst = maxpool(relu(conv(src, kernel) + bias)); training != 0 records, per pooled value, its
   window's first maximum for the backward pass, or that it is 0 (no gradient). */
int nk_conv_pool_forward(nk_conv_pool *plan, const float *src, const float *kernel, const float *bias, float *dst,
                         int training, int chunks);
/* Kernel and bias gradients (overwritten; diff_bias may be NULL without a bias) of the last
   training forward on `src`, from d(loss)/d(dst). The partial sums of each chunk are added in
   chunk order: the result depends on `chunks`, not on the threads OpenMP grants. */
int nk_conv_pool_backward_weights(nk_conv_pool *plan, const float *src, const float *diff_dst,
                                  float *diff_kernel, float *diff_bias, int chunks);

typedef struct nk_relu nk_relu;
int nk_relu_create(nk_relu **plan, int64_t count);
void nk_relu_destroy(nk_relu *plan);
/* diff_src[i] = dst[i] > 0 ? diff_dst[i] : 0 (may run in place). */
int nk_relu_backward(nk_relu *plan, const float *dst, const float *diff_dst, float *diff_src);

/* Batch normalisation over the last axis of rows x channels (norm.c). Batch mean and biased
   variance (two passes, sums in double per chunk); nonzero: out of memory. */
int nk_bn_statistics(const float *x, int64_t rows, int64_t channels, float *mean, float *variance);
/* xhat = (x - mean) * inverse_std (skipped when xhat is NULL), y = gamma * xhat + beta. */
void nk_bn_apply(const float *x, int64_t rows, int64_t channels, const float *mean, const float *inverse_std,
                 const float *gamma, const float *beta, float *xhat, float *y);
/* Column sums of dy and of dy * xhat, xhat = (x - mean) * inverse_std recomputed from the input. */
int nk_bn_gradient_sums(const float *dy, const float *x, const float *mean, const float *inverse_std, int64_t rows,
                        int64_t channels, float *sum_dy, float *sum_dy_xhat);
/* d(loss)/d(x): with batch statistics (training != 0)
   gamma * inverse_std / m * (m * dy - sum_dy - xhat * sum_dy_xhat), m = count (rows, or every
   process's rows with synchronised statistics); else gamma * inverse_std * dy. */
void nk_bn_input_gradient(const float *dy, const float *x, const float *mean, int64_t rows, float count,
                          int64_t channels,
                          const float *gamma, const float *inverse_std, const float *sum_dy, const float *sum_dy_xhat,
                          int training, float *dx);
/* Keras's ReLU: y = x > threshold ? min(x, top) : slope * (x - threshold). */
void nk_clamp_forward(const float *x, float *y, int64_t count, float threshold, float top, float slope);
/* Its backward: dx = x > threshold ? (x < top ? dy : 0) : slope * dy. */
void nk_clamp_backward(const float *x, const float *dy, float *dx, int64_t count, float threshold, float top,
                       float slope);

#endif
