#include "internal.h"

struct nk_pool {
    nk_op training, inference, backward;
    dnnl_memory_t src, dst, diff_src, diff_dst, workspace;
    void *workspace_data;
};

static int create(nk_pool *p, const nk_conv_geometry *g) {
    dnnl_dims_t src_dims = {g->batch, g->channels, g->height, g->width};
    dnnl_dims_t dst_dims = {g->batch, g->channels, g->out_h, g->out_w};
    dnnl_dims_t strides = {g->stride_y, g->stride_x}, kernel = {g->kernel_h, g->kernel_w};
    dnnl_dims_t pad_l = {g->pad_top, g->pad_left}, pad_r = {g->pad_bottom, g->pad_right};
    dnnl_memory_desc_t src, dst;
    NK_TRY(dnnl_memory_desc_init_by_tag(&src, 4, src_dims, dnnl_f32, dnnl_nhwc));
    NK_TRY(dnnl_memory_desc_init_by_tag(&dst, 4, dst_dims, dnnl_f32, dnnl_nhwc));
    dnnl_pooling_desc_t train, infer, back;
    NK_TRY(dnnl_pooling_forward_desc_init(&train, dnnl_forward_training, dnnl_pooling_max, &src, &dst,
                                          strides, kernel, pad_l, pad_r));
    NK_TRY(dnnl_pooling_forward_desc_init(&infer, dnnl_forward_inference, dnnl_pooling_max, &src, &dst,
                                          strides, kernel, pad_l, pad_r));
    NK_TRY(dnnl_pooling_backward_desc_init(&back, dnnl_pooling_max, &src, &dst, strides, kernel, pad_l, pad_r));
    dnnl_primitive_attr_t attr;
    NK_TRY(nk_attr_create(&attr));
    int status = nk_op_create(&p->training, &train, attr, NULL);
    if (!status) status = nk_op_create(&p->inference, &infer, attr, NULL);
    if (!status) status = nk_op_create(&p->backward, &back, attr, p->training.pd);
    dnnl_primitive_attr_destroy(attr);
    if (status) return status;
    NK_TRY(nk_owned_memory(&p->workspace, &p->workspace_data,
                           dnnl_primitive_desc_query_md(p->training.pd, dnnl_query_workspace_md, 0)));
    NK_TRY(nk_memory(&p->src, &src));
    NK_TRY(nk_memory(&p->dst, &dst));
    NK_TRY(nk_memory(&p->diff_src, &src));
    NK_TRY(nk_memory(&p->diff_dst, &dst));
    return 0;
}

int nk_pool_create(nk_pool **plan, const nk_conv_geometry *g) {
    nk_pool *p = calloc(1, sizeof *p);
    if (!p) return (int)dnnl_out_of_memory;
    int status = create(p, g);
    if (status) { nk_pool_destroy(p); p = NULL; }
    *plan = p;
    return status;
}

void nk_pool_destroy(nk_pool *p) {
    if (!p) return;
    nk_op_destroy(&p->training);
    nk_op_destroy(&p->inference);
    nk_op_destroy(&p->backward);
    dnnl_memory_t all[] = {p->src, p->dst, p->diff_src, p->diff_dst, p->workspace};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i]) dnnl_memory_destroy(all[i]);
    free(p->workspace_data);
    free(p);
}

int nk_pool_forward(nk_pool *p, const float *src, float *dst, int training) {
    NK_TRY(dnnl_memory_set_data_handle(p->src, (void *)src));
    NK_TRY(dnnl_memory_set_data_handle(p->dst, dst));
    dnnl_exec_arg_t args[] = {{DNNL_ARG_SRC, p->src}, {DNNL_ARG_DST, p->dst}, {DNNL_ARG_WORKSPACE, p->workspace}};
    return training ? nk_op_run(&p->training, 3, args) : nk_op_run(&p->inference, 2, args);
}

int nk_pool_backward(nk_pool *p, const float *diff_dst, float *diff_src) {
    NK_TRY(dnnl_memory_set_data_handle(p->diff_dst, (void *)diff_dst));
    NK_TRY(dnnl_memory_set_data_handle(p->diff_src, diff_src));
    dnnl_exec_arg_t args[] = {{DNNL_ARG_DIFF_DST, p->diff_dst}, {DNNL_ARG_DIFF_SRC, p->diff_src},
                              {DNNL_ARG_WORKSPACE, p->workspace}};
    return nk_op_run(&p->backward, 3, args);
}
