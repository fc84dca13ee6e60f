// Augmentation: AugmentationConfig, TransformSampler, the fused warp kernel and
// Standardizer. Knows nothing of tensors: writes Floats into caller buffers.
