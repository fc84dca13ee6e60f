#include "internal.h"

struct nk_relu {
    nk_op backward;
    dnnl_memory_t dst, diff_dst, diff_src;
};

static int create(nk_relu *p, int64_t count) {
    dnnl_dims_t dims = {count};
    dnnl_memory_desc_t md;
    NK_TRY(dnnl_memory_desc_init_by_tag(&md, 1, dims, dnnl_f32, dnnl_x));
    dnnl_eltwise_desc_t forward, backward;
    NK_TRY(dnnl_eltwise_forward_desc_init(&forward, dnnl_forward_training, dnnl_eltwise_relu_use_dst_for_bwd,
                                          &md, 0.0f, 0.0f));
    NK_TRY(dnnl_eltwise_backward_desc_init(&backward, dnnl_eltwise_relu_use_dst_for_bwd, &md, &md, 0.0f, 0.0f));
    dnnl_primitive_attr_t attr;
    NK_TRY(nk_attr_create(&attr));
    nk_op hint;
    int status = nk_op_create(&hint, &forward, attr, NULL);
    if (!status) status = nk_op_create(&p->backward, &backward, attr, hint.pd);
    nk_op_destroy(&hint);
    dnnl_primitive_attr_destroy(attr);
    if (status) return status;
    NK_TRY(nk_memory(&p->dst, &md));
    NK_TRY(nk_memory(&p->diff_dst, &md));
    NK_TRY(nk_memory(&p->diff_src, &md));
    return 0;
}

int nk_relu_create(nk_relu **plan, int64_t count) {
    nk_relu *p = calloc(1, sizeof *p);
    if (!p) return (int)dnnl_out_of_memory;
    int status = create(p, count);
    if (status) { nk_relu_destroy(p); p = NULL; }
    *plan = p;
    return status;
}

void nk_relu_destroy(nk_relu *p) {
    if (!p) return;
    nk_op_destroy(&p->backward);
    dnnl_memory_t all[] = {p->dst, p->diff_dst, p->diff_src};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i]) dnnl_memory_destroy(all[i]);
    free(p);
}

int nk_relu_backward(nk_relu *p, const float *dst, const float *diff_dst, float *diff_src) {
    NK_TRY(dnnl_memory_set_data_handle(p->dst, (void *)dst));
    NK_TRY(dnnl_memory_set_data_handle(p->diff_dst, (void *)diff_dst));
    NK_TRY(dnnl_memory_set_data_handle(p->diff_src, diff_src));
    dnnl_exec_arg_t args[] = {{DNNL_ARG_DST, p->dst}, {DNNL_ARG_DIFF_DST, p->diff_dst}, {DNNL_ARG_DIFF_SRC, p->diff_src}};
    return nk_op_run(&p->backward, 3, args);
}
