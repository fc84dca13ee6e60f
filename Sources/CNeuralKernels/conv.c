#include "internal.h"
#include "winograd.h"
#include <string.h>

/* A weight tensor in Keras's HWIO layout and in the layout a primitive chose,
   with the reorder between them (none when they coincide). */
typedef struct weights {
    dnnl_memory_t memory;
    void *data;
    nk_op reorder;
    int reordered;
} weights;

/* A convolution's three passes. */
typedef enum nk_pass { NK_FORWARD, NK_BACKWARD_DATA, NK_BACKWARD_WEIGHTS, NK_PASSES } nk_pass;

/* One of a Winograd plan's activations in oneDNN's nChw16c layout, which its kernels require:
   the thread's scratch buffer `slot` with reorders from and to the caller's NHWC tensor, or, for
   16 channels, where the two layouts are the same bytes, the caller's buffer itself. */
typedef struct blocked_tensor {
    dnnl_memory_t memory;
    size_t bytes;
    int same;
    nk_scratch_slot slot;
    nk_op in, out;
} blocked_tensor;

typedef struct blocked {
    blocked_tensor src, dst;
} blocked;

struct nk_conv {
    nk_conv_geometry geometry;
    int has_bias, sum;
    /* Per pass (nk_pass): whether it runs oneDNN's Winograd over the blocked activations. */
    int winograd[NK_PASSES];
    /* Per pass: whether it runs winograd.c's AVX2 Winograd instead of a oneDNN primitive, with
       the shapes of the forward (also the kernel gradient's) and the input-gradient convolutions
       and their transformed kernels. */
    int avx2[NK_PASSES];
    int activation;
    nk_winograd_shape forward_shape, backward_shape;
    float *forward_transformed, *backward_transformed;
    nk_op forward, backward_data, backward_weights;
    dnnl_memory_t src, dst, bias, diff_src, diff_dst, hwio;
    weights forward_kernel, backward_kernel, diff_kernel;
    blocked blocked;
};

/* to_hwio: the reorder runs from the primitive's layout to HWIO (gradients). */
static int weights_create(weights *w, const dnnl_memory_desc_t *hwio, const dnnl_memory_desc_t *chosen, int to_hwio) {
    memset(w, 0, sizeof *w);
    w->reordered = !dnnl_memory_desc_equal(hwio, chosen);
    if (!w->reordered) return 0;
    NK_TRY(nk_owned_memory(&w->memory, &w->data, chosen));
    return to_hwio ? nk_reorder_create(&w->reorder, chosen, hwio) : nk_reorder_create(&w->reorder, hwio, chosen);
}

static void weights_destroy(weights *w) {
    nk_op_destroy(&w->reorder);
    if (w->memory) dnnl_memory_destroy(w->memory);
    free(w->data);
    memset(w, 0, sizeof *w);
}

static int reorder(nk_op *op, dnnl_memory_t from, dnnl_memory_t to) {
    dnnl_exec_arg_t args[] = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}};
    return nk_op_run(op, 2, args);
}

/* The memory to hand the primitive: the user's HWIO buffer, or the plan's
   reordered copy of it (refreshed here when `refresh`). */
static int weights_prepare(weights *w, dnnl_memory_t hwio, int refresh, dnnl_memory_t *use) {
    if (!w->reordered) { *use = hwio; return 0; }
    if (refresh) NK_TRY(reorder(&w->reorder, hwio, w->memory));
    *use = w->memory;
    return 0;
}

/* The kernel's logical dims and its Keras HWIO layout: 4-D {O, I, H, W} for
   one group, else oneDNN's grouped 5-D {G, O/G, I/G, H, W} over the same
   (kh, kw, channels / groups, filters) buffer, described by its strides. */
static int kernel_descs(const nk_conv_geometry *g, dnnl_memory_desc_t *hwio, dnnl_memory_desc_t *any) {
    if (g->groups <= 1) {
        dnnl_dims_t dims = {g->filters, g->channels, g->kernel_h, g->kernel_w};
        NK_TRY(dnnl_memory_desc_init_by_tag(hwio, 4, dims, dnnl_f32, dnnl_hwio));
        return dnnl_memory_desc_init_by_tag(any, 4, dims, dnnl_f32, dnnl_format_tag_any);
    }
    const int64_t in = g->channels / g->groups, out = g->filters / g->groups;
    dnnl_dims_t dims = {g->groups, out, in, g->kernel_h, g->kernel_w};
    dnnl_dims_t strides = {out, 1, g->filters, g->kernel_w * in * g->filters, in * g->filters};
    NK_TRY(dnnl_memory_desc_init_by_strides(hwio, 5, dims, dnnl_f32, strides));
    return dnnl_memory_desc_init_by_tag(any, 5, dims, dnnl_f32, dnnl_format_tag_any);
}

/* Winograd F(4x4, 3x3) (oneDNN's jit_wino_4x3) computes a 3x3 convolution of stride 1 over
   4x4 tiles of the tensor a pass computes (the output forward and for the weight gradient, the
   input for the input gradient). For 16 or more channels in and out it took about half the time
   of the direct kernels where the tiles fit the tensor (2.0-2.4x on ResNet50's 3x3 layers,
   1.3-1.6x at 16 channels), but no less where they cover it poorly (an input gradient of 5x5:
   0.37x; 9x9: 0.93x; a 7x7 input's 5x5 output: 1.0x), and 0.2x from 1 channel. A pass runs
   Winograd when at least half of its tiles' area lies inside the tensor. Its sums are grouped
   otherwise, so its results differ from the direct kernels' in the last bits (relative 1e-6). */
static int winograd_fits(const nk_conv_geometry *g) {
    return g->kernel_h == 3 && g->kernel_w == 3 && g->stride_y == 1 && g->stride_x == 1 &&
           g->dilate_y == 0 && g->dilate_x == 0 && g->groups <= 1 && g->channels >= 16 && g->filters >= 16;
}

/* Whether 4x4 tiles over height x width lie at least `eighths` / 8 inside it. */
static int tiles_cover(int64_t height, int64_t width, int eighths) {
    return 8 * height * width >= eighths * ((height + 3) / 4 * 4) * ((width + 3) / 4 * 4);
}

/* Whether 4x4 tiles over height x width lie at least half inside it (oneDNN's Winograd). */
static int tiles_fit(int64_t height, int64_t width) { return tiles_cover(height, width, 4); }

static int winograd_allowed = 1;
void nk_conv_set_winograd(int allowed) { __atomic_store_n(&winograd_allowed, allowed != 0, __ATOMIC_RELAXED); }
int nk_conv_winograd(void) { return __atomic_load_n(&winograd_allowed, __ATOMIC_RELAXED); }
/* jit_wino_4x3 is oneDNN's only f32 Winograd on x86, and it needs AVX-512 (avx512_core). */
static int onednn_winograd_supported(void) {
    return (dnnl_get_effective_cpu_isa() & dnnl_cpu_isa_avx512_core) == dnnl_cpu_isa_avx512_core;
}
int nk_conv_winograd_supported(void) {
    if (onednn_winograd_supported()) return NK_WINOGRAD_ONEDNN;
    return nk_winograd_avx2_available() ? NK_WINOGRAD_AVX2 : NK_WINOGRAD_NONE;
}
int nk_conv_uses_winograd(const nk_conv *p) {
    for (int pass = 0; pass < NK_PASSES; pass++)
        if (p->winograd[pass] || p->avx2[pass]) return 1;
    return 0;
}

static int tensor_create(blocked_tensor *t, const dnnl_memory_desc_t *nhwc, const dnnl_memory_desc_t *layout,
                         int64_t channels, nk_scratch_slot slot) {
    t->same = channels == 16;
    t->slot = slot;
    t->bytes = dnnl_memory_desc_get_size(layout);
    NK_TRY(nk_memory(&t->memory, layout));
    if (t->same) return 0;
    NK_TRY(nk_reorder_create(&t->in, nhwc, layout));
    return nk_reorder_create(&t->out, layout, nhwc);
}

static void tensor_destroy(blocked_tensor *t) {
    nk_op_destroy(&t->in);
    nk_op_destroy(&t->out);
    if (t->memory) dnnl_memory_destroy(t->memory);
    memset(t, 0, sizeof *t);
}

/* Points t's memory at its buffer for the caller's NHWC `user`, copying `user` in when `load`. */
static int tensor_enter(blocked_tensor *t, dnnl_memory_t user, int load) {
    void *data;
    if (t->same) NK_TRY(dnnl_memory_get_data_handle(user, &data));
    else if (!(data = nk_scratch(t->slot, t->bytes))) return (int)dnnl_out_of_memory;
    NK_TRY(dnnl_memory_set_data_handle(t->memory, data));
    return load && !t->same ? reorder(&t->in, user, t->memory) : 0;
}

/* Copies a result out of t's memory into the caller's NHWC `user`. */
static int tensor_leave(blocked_tensor *t, dnnl_memory_t user) {
    return t->same ? 0 : reorder(&t->out, t->memory, user);
}

/* A pass's descriptor needs the forward primitive descriptor of its algorithm as a hint: the
   plan's own when they share it, else one made for the purpose (`*made`, for the caller to destroy). */
static int hint_for(nk_conv *p, nk_pass pass, const dnnl_convolution_desc_t *plain_forward,
                    dnnl_primitive_desc_t *made, const_dnnl_primitive_desc_t *hint) {
    *made = NULL;
    if (p->winograd[pass] == p->winograd[NK_FORWARD]) { *hint = p->forward.pd; return 0; }
    NK_TRY(dnnl_primitive_desc_create(made, plain_forward, NULL, nk_engine(), NULL));
    *hint = *made;
    return 0;
}

/* The three primitives, each pass Winograd over nChw16c activations (with reorders to and from
   NHWC) or direct over NHWC as p->winograd says. */
static int create_with(nk_conv *p, const nk_conv_geometry *g, int activation, int sum) {
    dnnl_dims_t src_dims = {g->batch, g->channels, g->height, g->width};
    dnnl_dims_t dst_dims = {g->batch, g->filters, g->out_h, g->out_w};
    dnnl_dims_t bias_dims = {g->filters};
    dnnl_dims_t strides = {g->stride_y, g->stride_x}, dilates = {g->dilate_y, g->dilate_x};
    dnnl_dims_t pad_l = {g->pad_top, g->pad_left}, pad_r = {g->pad_bottom, g->pad_right};
    dnnl_memory_desc_t src, dst, hwio, any, bias, src_blocked, dst_blocked;
    NK_TRY(dnnl_memory_desc_init_by_tag(&src, 4, src_dims, dnnl_f32, dnnl_nhwc));
    NK_TRY(dnnl_memory_desc_init_by_tag(&dst, 4, dst_dims, dnnl_f32, dnnl_nhwc));
    NK_TRY(dnnl_memory_desc_init_by_tag(&src_blocked, 4, src_dims, dnnl_f32, dnnl_nChw16c));
    NK_TRY(dnnl_memory_desc_init_by_tag(&dst_blocked, 4, dst_dims, dnnl_f32, dnnl_nChw16c));
    NK_TRY(kernel_descs(g, &hwio, &any));
    NK_TRY(dnnl_memory_desc_init_by_tag(&bias, 1, bias_dims, dnnl_f32, dnnl_x));
    const dnnl_memory_desc_t *bias_md = p->has_bias ? &bias : NULL;
    const dnnl_alg_kind_t direct = dnnl_convolution_direct, winograd = dnnl_convolution_winograd;
#define ALGORITHM(pass) (p->winograd[pass] ? winograd : direct)
#define SRC(pass) (p->winograd[pass] ? &src_blocked : &src)
#define DST(pass) (p->winograd[pass] ? &dst_blocked : &dst)

    dnnl_primitive_attr_t attr, plain;
    NK_TRY(nk_attr_create(&attr));
    NK_TRY(nk_attr_create(&plain));
    if (activation || sum) {
        /* dst = act(conv + bias + dst): the sum reads what the caller left in dst (a residual). */
        dnnl_post_ops_t ops;
        NK_TRY(dnnl_post_ops_create(&ops));
        if (sum) NK_TRY(dnnl_post_ops_append_sum(ops, 1.0f));
        if (activation == NK_ACTIVATION_RELU) NK_TRY(dnnl_post_ops_append_eltwise(ops, 1.0f, dnnl_eltwise_relu, 0.0f, 0.0f));
        if (activation == NK_ACTIVATION_RELU6) NK_TRY(dnnl_post_ops_append_eltwise(ops, 1.0f, dnnl_eltwise_clip, 0.0f, 6.0f));
        NK_TRY(dnnl_primitive_attr_set_post_ops(attr, ops));
        dnnl_post_ops_destroy(ops);
    }
    dnnl_convolution_desc_t fd, bd, wd, other_forward;
    /* Zero dilates make the same descriptors as the undilated initialisers. */
    NK_TRY(dnnl_dilated_convolution_forward_desc_init(&fd, dnnl_forward_training, ALGORITHM(NK_FORWARD), SRC(NK_FORWARD),
                                                      &any, bias_md, DST(NK_FORWARD), strides, dilates, pad_l, pad_r));
    /* The forward descriptor of the other algorithm, a hint for a pass that runs it. */
    const int other = !p->winograd[NK_FORWARD];
    NK_TRY(dnnl_dilated_convolution_forward_desc_init(&other_forward, dnnl_forward_training, other ? winograd : direct,
                                                      other ? &src_blocked : &src, &any, bias_md,
                                                      other ? &dst_blocked : &dst, strides, dilates, pad_l, pad_r));
    NK_TRY(dnnl_dilated_convolution_backward_data_desc_init(&bd, ALGORITHM(NK_BACKWARD_DATA), SRC(NK_BACKWARD_DATA), &any,
                                                            DST(NK_BACKWARD_DATA), strides, dilates, pad_l, pad_r));
    /* No diff_bias here: nk_bias_gradient computes it (see bias.c). */
    NK_TRY(dnnl_dilated_convolution_backward_weights_desc_init(&wd, ALGORITHM(NK_BACKWARD_WEIGHTS), SRC(NK_BACKWARD_WEIGHTS),
                                                               &any, NULL, DST(NK_BACKWARD_WEIGHTS),
                                                               strides, dilates, pad_l, pad_r));
#undef ALGORITHM
#undef SRC
#undef DST
    dnnl_primitive_desc_t made = NULL;
    const_dnnl_primitive_desc_t hint;
    int status = nk_op_create(&p->forward, &fd, attr, NULL);
    if (!status) status = hint_for(p, NK_BACKWARD_DATA, &other_forward, &made, &hint);
    if (!status) status = nk_op_create(&p->backward_data, &bd, plain, hint);
    if (made) dnnl_primitive_desc_destroy(made);
    if (!status) status = hint_for(p, NK_BACKWARD_WEIGHTS, &other_forward, &made, &hint);
    if (!status) status = nk_op_create(&p->backward_weights, &wd, plain, hint);
    if (made) dnnl_primitive_desc_destroy(made);
    dnnl_primitive_attr_destroy(attr);
    dnnl_primitive_attr_destroy(plain);
    if (status) return status;

    NK_TRY(weights_create(&p->forward_kernel, &hwio,
                          dnnl_primitive_desc_query_md(p->forward.pd, dnnl_query_weights_md, 0), 0));
    NK_TRY(weights_create(&p->backward_kernel, &hwio,
                          dnnl_primitive_desc_query_md(p->backward_data.pd, dnnl_query_weights_md, 0), 0));
    NK_TRY(weights_create(&p->diff_kernel, &hwio,
                          dnnl_primitive_desc_query_md(p->backward_weights.pd, dnnl_query_diff_weights_md, 0), 1));
    NK_TRY(nk_memory(&p->src, &src));
    NK_TRY(nk_memory(&p->dst, &dst));
    NK_TRY(nk_memory(&p->diff_src, &src));
    NK_TRY(nk_memory(&p->diff_dst, &dst));
    NK_TRY(nk_memory(&p->hwio, &hwio));
    if (p->has_bias) {
        NK_TRY(nk_memory(&p->bias, &bias));
    }
    if (!nk_conv_uses_winograd(p)) return 0;
    NK_TRY(tensor_create(&p->blocked.src, &src, &src_blocked, g->channels, NK_SCRATCH_SOURCE));
    return tensor_create(&p->blocked.dst, &dst, &dst_blocked, g->filters, NK_SCRATCH_DESTINATION);
}

static void nk_conv_release(nk_conv *p);

/* Where winograd.c's AVX2 Winograd beat oneDNN's direct AVX2 kernels, one thread on a Zen 1 EPYC
   (scripts/bench_convolution_layers.c, all three passes): where its 4x4 tiles cover at least 5/8
   of the tensor a pass tiles (28x28: 1.65-2.55x; 14x14: 1.25-1.6x; 13x13 to 11x11: 1.6x; 7x7:
   1.03-1.3x) but not below (8x8 to 6x6: 0.9x; 5x5 to 3x3: 0.37x), and while the transformed kernel
   (36 x channels x filters floats) stays in the caches: up to 128 x 128 channels (256 x 256: 0.73x). */
static int avx2_winograd_suits(const nk_conv_geometry *g, int64_t height, int64_t width) {
    return tiles_cover(height, width, 5) && g->channels * g->filters <= 128 * 128;
}

/* winograd.c's AVX2 Winograd for the passes it suits, with the transformed kernels' buffers, on top
   of direct primitives for the others. */
static int create_avx2(nk_conv *p, const nk_conv_geometry *g, int activation, int sum) {
    p->forward_shape = (nk_winograd_shape){g->batch, g->height, g->width, g->channels, g->out_h, g->out_w,
                                           g->filters, g->pad_top, g->pad_left};
    /* The input gradient: the output gradient convolved with the rotated kernel, padded by 2 - pad. */
    p->backward_shape = (nk_winograd_shape){g->batch, g->out_h, g->out_w, g->filters, g->height, g->width,
                                            g->channels, 2 - g->pad_top, 2 - g->pad_left};
    p->avx2[NK_FORWARD] = p->avx2[NK_BACKWARD_WEIGHTS] = avx2_winograd_suits(g, g->out_h, g->out_w);
    p->avx2[NK_BACKWARD_DATA] = avx2_winograd_suits(g, g->height, g->width);
    const size_t bytes = (size_t)nk_winograd_kernel_count(&p->forward_shape) * sizeof(float);
    if (p->avx2[NK_FORWARD] && !(p->forward_transformed = nk_alloc(bytes))) return (int)dnnl_out_of_memory;
    if (p->avx2[NK_BACKWARD_DATA] && !(p->backward_transformed = nk_alloc(bytes))) return (int)dnnl_out_of_memory;
    return create_with(p, g, activation, sum);
}

/* Winograd for the passes it suits, where oneDNN has it (with these post-ops, on this CPU) or else
   winograd.c does (AVX2, channels in multiples of 8), else direct. */
static int create(nk_conv *p, const nk_conv_geometry *g, int activation, int sum) {
    const int fits = nk_conv_winograd() && winograd_fits(g);
    if (fits && !onednn_winograd_supported()) {
        if (nk_winograd_avx2_available() && g->channels % 8 == 0 && g->filters % 8 == 0)
            return create_avx2(p, g, activation, sum);
        return create_with(p, g, activation, sum);
    }
    p->winograd[NK_FORWARD] = p->winograd[NK_BACKWARD_WEIGHTS] = fits && tiles_fit(g->out_h, g->out_w);
    p->winograd[NK_BACKWARD_DATA] = fits && tiles_fit(g->height, g->width);
    if (nk_conv_uses_winograd(p)) {
        if (create_with(p, g, activation, sum) == 0) return 0;
        nk_conv_release(p);
    }
    return create_with(p, g, activation, sum);
}

int nk_conv_create(nk_conv **plan, const nk_conv_geometry *g, int has_bias, int fuse_relu) {
    return nk_conv_create_fused(plan, g, has_bias, fuse_relu ? NK_ACTIVATION_RELU : NK_ACTIVATION_NONE, 0);
}

int nk_conv_create_fused(nk_conv **plan, const nk_conv_geometry *g, int has_bias, int activation, int sum) {
    nk_conv *p = calloc(1, sizeof *p);
    if (!p) return (int)dnnl_out_of_memory;
    p->geometry = *g;
    p->has_bias = has_bias;
    p->sum = sum;
    p->activation = activation;
    int status = create(p, g, activation, sum);
    if (status) { nk_conv_destroy(p); p = NULL; }
    *plan = p;
    return status;
}

/* Frees what create_with made, leaving the geometry and flags. */
static void nk_conv_release(nk_conv *p) {
    nk_op_destroy(&p->forward);
    nk_op_destroy(&p->backward_data);
    nk_op_destroy(&p->backward_weights);
    weights_destroy(&p->forward_kernel);
    weights_destroy(&p->backward_kernel);
    weights_destroy(&p->diff_kernel);
    dnnl_memory_t all[] = {p->src, p->dst, p->bias, p->diff_src, p->diff_dst, p->hwio};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i]) dnnl_memory_destroy(all[i]);
    tensor_destroy(&p->blocked.src);
    tensor_destroy(&p->blocked.dst);
    memset(p->winograd, 0, sizeof p->winograd);
    memset(p->avx2, 0, sizeof p->avx2);
    free(p->forward_transformed);
    free(p->backward_transformed);
    p->forward_transformed = p->backward_transformed = NULL;
    p->src = p->dst = p->bias = p->diff_src = p->diff_dst = p->hwio = NULL;
}

void nk_conv_destroy(nk_conv *p) {
    if (!p) return;
    nk_conv_release(p);
    free(p);
}

#define HANDLE(memory, pointer) NK_TRY(dnnl_memory_set_data_handle((memory), (void *)(pointer)))

int nk_conv_forward(nk_conv *p, const float *src, const float *kernel, const float *bias, float *dst) {
    return nk_conv_forward_cached(p, src, kernel, bias, dst, 1);
}

int nk_conv_forward_cached(nk_conv *p, const float *src, const float *kernel, const float *bias, float *dst,
                           int refresh_kernel) {
    if (p->avx2[NK_FORWARD]) {
        const nk_winograd_shape *s = &p->forward_shape;
        if (refresh_kernel) nk_winograd_transform_kernel(kernel, s->channels, s->filters, 0, p->forward_transformed);
        return nk_winograd_forward(s, src, p->forward_transformed, p->has_bias ? bias : NULL, p->activation, p->sum, dst);
    }
    HANDLE(p->src, src);
    HANDLE(p->dst, dst);
    HANDLE(p->hwio, kernel);
    dnnl_memory_t w, in = p->src, out = p->dst;
    NK_TRY(weights_prepare(&p->forward_kernel, p->hwio, refresh_kernel, &w));
    const int winograd = p->winograd[NK_FORWARD];
    if (winograd) {
        NK_TRY(tensor_enter(&p->blocked.src, p->src, 1));
        NK_TRY(tensor_enter(&p->blocked.dst, p->dst, p->sum));
        in = p->blocked.src.memory;
        out = p->blocked.dst.memory;
    }
    dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, in}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DST, out}};
    int count = 3;
    if (p->has_bias) {
        HANDLE(p->bias, bias);
        args[count++] = (dnnl_exec_arg_t){DNNL_ARG_BIAS, p->bias};
    }
    NK_TRY(nk_op_run(&p->forward, count, args));
    return winograd ? tensor_leave(&p->blocked.dst, p->dst) : 0;
}

/* The kernel gradient by the plan's oneDNN primitive, reordered into the caller's HWIO buffer. */
static int primitive_kernel_gradient(nk_conv *p, const float *src, const float *diff_dst, float *diff_kernel) {
    HANDLE(p->src, src);
    HANDLE(p->diff_dst, diff_dst);
    HANDLE(p->hwio, diff_kernel);
    dnnl_memory_t w, in = p->src, grad = p->diff_dst;
    NK_TRY(weights_prepare(&p->diff_kernel, p->hwio, 0, &w));
    if (p->winograd[NK_BACKWARD_WEIGHTS]) {
        NK_TRY(tensor_enter(&p->blocked.src, p->src, 1));
        NK_TRY(tensor_enter(&p->blocked.dst, p->diff_dst, 1));
        in = p->blocked.src.memory;
        grad = p->blocked.dst.memory;
    }
    dnnl_exec_arg_t args[] = {{DNNL_ARG_SRC, in}, {DNNL_ARG_DIFF_DST, grad}, {DNNL_ARG_DIFF_WEIGHTS, w}};
    NK_TRY(nk_op_run(&p->backward_weights, 3, args));
    if (!p->diff_kernel.reordered) return 0;
    return reorder(&p->diff_kernel.reorder, w, p->hwio);
}

int nk_conv_backward_weights(nk_conv *p, const float *src, const float *diff_dst, float *diff_kernel, float *diff_bias) {
    if (p->avx2[NK_BACKWARD_WEIGHTS]) NK_TRY(nk_winograd_kernel_gradient(&p->forward_shape, src, diff_dst, diff_kernel));
    else NK_TRY(primitive_kernel_gradient(p, src, diff_dst, diff_kernel));
    if (!p->has_bias) return 0;
    const nk_conv_geometry *g = &p->geometry;
    return nk_bias_gradient(diff_dst, g->batch * g->out_h * g->out_w, g->filters, diff_bias);
}

int nk_conv_backward_data(nk_conv *p, const float *diff_dst, const float *kernel, float *diff_src) {
    if (p->avx2[NK_BACKWARD_DATA]) {
        const nk_winograd_shape *s = &p->backward_shape;
        nk_winograd_transform_kernel(kernel, s->filters, s->channels, 1, p->backward_transformed);
        return nk_winograd_forward(s, diff_dst, p->backward_transformed, NULL, NK_ACTIVATION_NONE, 0, diff_src);
    }
    HANDLE(p->diff_dst, diff_dst);
    HANDLE(p->diff_src, diff_src);
    HANDLE(p->hwio, kernel);
    dnnl_memory_t w, grad = p->diff_dst, result = p->diff_src;
    NK_TRY(weights_prepare(&p->backward_kernel, p->hwio, 1, &w));
    const int winograd = p->winograd[NK_BACKWARD_DATA];
    if (winograd) {
        NK_TRY(tensor_enter(&p->blocked.dst, p->diff_dst, 1));
        NK_TRY(tensor_enter(&p->blocked.src, p->diff_src, 0));
        grad = p->blocked.dst.memory;
        result = p->blocked.src.memory;
    }
    dnnl_exec_arg_t args[] = {{DNNL_ARG_DIFF_DST, grad}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DIFF_SRC, result}};
    NK_TRY(nk_op_run(&p->backward_data, 3, args));
    return winograd ? tensor_leave(&p->blocked.src, p->diff_src) : 0;
}
