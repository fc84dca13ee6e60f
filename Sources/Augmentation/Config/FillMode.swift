/// How a sample outside the source image is filled (Keras/scipy `mode`).
///
/// The exact semantics differ between ``GeometryMode/keras`` (scipy's legacy rules) and
/// ``GeometryMode/exact`` (true periods); see ``Augmenter``.
public enum FillMode: String, Codable, Sendable, CaseIterable {
    /// Every out-of-range sample reads `cval`.
    case constant
    /// The coordinate is clamped to the edge.
    case nearest
    /// Half-sample symmetric reflection: `… b a | a b … z | z y …`.
    case reflect
    /// Periodic tiling.
    case wrap
    /// Reflection about the edge pixels, which are not repeated: `… c b | a b c … y z | y x …`
    /// (scipy's `mirror`, torchvision's `reflect` padding). Exact geometry and op recipes only:
    /// not a Keras `fill_mode`.
    case mirror
}

/// Keras's `data_format`: where the channel axis sits in the arrays it produces.
public enum DataFormat: String, Codable, Sendable {
    case channelsLast = "channels_last"
    case channelsFirst = "channels_first"
}

/// How sampling positions read the source (Keras `interpolation_order`).
public enum InterpolationOrder: Int, Codable, Sendable {
    /// Order 0: the nearest source pixel.
    case nearest = 0
    /// Order 1: bilinear.
    case bilinear = 1
}
