// Training: layers, Sequential, losses, optimizers, metrics, callbacks and fit.
// It depends only on Tensors (re-exported, so `import Training` is enough to
// build tensors and batches): fit takes any BatchSource of Batches.
@_exported import Tensors
