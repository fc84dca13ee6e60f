/// Keras's `imagenet_utils.preprocess_input` modes, which the applications'
/// `preprocess_input` functions apply to pixels in [0, 255]:
///
/// - ``caffe`` (VGG16, ResNet50): RGB to BGR, then minus the ImageNet mean
///   of each BGR channel (103.939, 116.779, 123.68), no scaling;
/// - ``tf`` (MobileNetV2): `x / 127.5 − 1`, into [−1, 1];
/// - ``torch``: `(x / 255 − mean) / std` with ImageNet's RGB mean
///   (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225);
/// - ``none`` (EfficientNetB0, whose model rescales and normalises itself).
///
/// ```swift
/// var pixels: [Float] = ...                     // (h, w, 3), RGB, 0–255
/// ImageNetPreprocessing.caffe.apply(&pixels, channels: 3)
/// config.preprocessingFunction = try ImageNetPreprocessing.function(named: "mobilenet_v2")
/// ```
public enum ImageNetPreprocessing: String, Sendable, CaseIterable {
    case caffe, tf, torch, none

    /// The mode of a `preprocessing_function` name: an application
    /// (`vgg16`, `resnet50`, `mobilenet_v2`, `efficientnet_b0`) or a mode
    /// (`caffe`, `tf`, `torch`).
    public init?(name: String) {
        switch name {
        case "vgg16", "resnet50": self = .caffe
        case "mobilenet_v2": self = .tf
        case "efficientnet_b0": self = .none
        default: self.init(rawValue: name)
        }
    }

    /// The names ``init(name:)`` accepts.
    public static let names = ["vgg16", "resnet50", "mobilenet_v2", "efficientnet_b0", "caffe", "tf", "torch"]

    /// The `preprocessing_function` of that name, which an
    /// ``AugmentationConfig`` runs where Keras runs it (after the random
    /// transforms, before `rescale`). Throws an ``AugmentationError`` naming
    /// `preprocessing_function` for an unknown name.
    public static func function(named name: String) throws -> PreprocessingFunction {
        guard let mode = ImageNetPreprocessing(name: name) else {
            throw AugmentationError(parameter: "preprocessing_function", value: name,
                                    reason: "must be one of \(names.joined(separator: ", "))")
        }
        return PreprocessingFunction(name: name) { values, height, width, channels, layout in
            mode.apply(values, pixels: height * width, channels: channels, layout: layout)
        }
    }

    /// Preprocesses `values` in place: (h, w, channels) samples one after the other.
    /// Channels other than three are left alone by caffe and torch (Keras's
    /// means and stds have three entries); tf scales every value.
    public func apply(_ values: inout [Float], channels: Int) {
        let pixels = channels > 0 ? values.count / channels : 0
        values.withUnsafeMutableBufferPointer { apply($0, pixels: pixels, channels: channels, layout: .hwc) }
    }

    /// Preprocesses `pixels` pixels of `channels` channels in `layout`, in place.
    /// - Complexity: O(pixels · channels).
    public func apply(_ values: UnsafeMutableBufferPointer<Float>, pixels: Int, channels: Int, layout: PixelLayout) {
        let count = pixels * channels
        guard count > 0, count <= values.count else { return }
        // Element (pixel p, channel c) lies at p·channels + c (hwc) or c·pixels + p (chw).
        let pixelStride = layout == .hwc ? channels : 1
        let channelStride = layout == .hwc ? 1 : pixels
        switch self {
        case .none:
            return
        case .tf:
            for i in 0..<count { values[i] = values[i] / 127.5 - 1 }
        case .torch:
            guard channels == 3 else { return }
            let mean: [Float] = [0.485, 0.456, 0.406], std: [Float] = [0.229, 0.224, 0.225]
            for p in 0..<pixels {
                for c in 0..<3 {
                    let i = p * pixelStride + c * channelStride
                    values[i] = (values[i] / 255 - mean[c]) / std[c]
                }
            }
        case .caffe:
            guard channels == 3 else { return }
            let mean: [Float] = [103.939, 116.779, 123.68]   // B, G, R
            for p in 0..<pixels {
                let red = p * pixelStride, blue = p * pixelStride + 2 * channelStride
                let r = values[red], b = values[blue]
                values[red] = b - mean[0]
                values[p * pixelStride + channelStride] -= mean[1]
                values[blue] = r - mean[2]
            }
        }
    }
}
