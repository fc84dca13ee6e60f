// DataPipeline: sources (image folder, arrays, CSV), splits, shards and the
// DataLoader (parallel workers + bounded, ordered prefetch queue).
