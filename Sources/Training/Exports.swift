// Training: layers, Sequential, losses, optimizers, metrics, callbacks and fit.
// It depends only on Tensors and Randomness (both re-exported, so `import Training`
// is enough to build tensors and batches and to key weight initialisation and
// dropout with CounterRandom): fit takes any BatchSource of Batches.
@_exported import Randomness
@_exported import Tensors
