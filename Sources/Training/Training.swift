// Training: layers, Sequential, losses, optimizers, metrics, callbacks and fit.
// Depends only on Tensors: fit takes any sequence of Batches.
