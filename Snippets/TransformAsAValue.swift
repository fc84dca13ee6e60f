// One sample's augmentation is a plain value drawn from (seed, epoch, index):
// print it, store it, render it again and get the same bytes.
// snippet.hide
import Foundation
import Augmentation
import Imaging

// snippet.show
let config = try JSONDecoder().decode(AugmentationConfig.self, from: Data("""
    {"rotation_range": 20, "width_shift_range": 0.2, "height_shift_range": 0.2,
     "horizontal_flip": true, "zoom_range": 0.2, "rescale": 0.00392156862745098}
    """.utf8))                                      // Keras's own parameter names and units
let sampler = TransformSampler(config: config, seed: 42)
let augmenter = try Augmenter(config: config, outputHeight: 64, outputWidth: 64)
let image = try Image.decode(contentsOf: "samples/digits/train/3/digit_00003.png")
let t = sampler.transform(epoch: 0, index: 17, height: 64, width: 64)
print(t)                                            // rotation, shifts, zoom, flip: a printable value
let pixels = augmenter.render(image, transform: t)  // 64·64·channels Floats, resize folded in
print(pixels.count)
