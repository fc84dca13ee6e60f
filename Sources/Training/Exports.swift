// Training: layers, Sequential, losses, optimizers, metrics, callbacks and fit.
// It depends on Tensors and Randomness (both re-exported, so `import Training`
// is enough to build tensors and batches and to key weight initialisation and
// dropout with CounterRandom) and on the compute kernels in Kernels/ (OpenBLAS,
// oneDNN): fit takes any BatchSource of Batches.
@_exported import Randomness
@_exported import Tensors
