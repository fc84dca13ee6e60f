/// Which geometry the ``Augmenter`` and ``TransformSampler`` follow.
///
/// - `exact` (default): geometrically right. Rotation, shear and zoom turn about the true image
///   centre ((W-1)/2, (H-1)/2); `tx` moves along columns and is drawn from `width_shift_range`;
///   fill modes use true periods (wrap n, reflect 2n); `constant` blends with `cval` across the
///   edge; channel shift and brightness clamp each value to the 8-bit range [0, 255].
/// - `keras`: reproduces `ImageDataGenerator` exactly, defects included: swapped centre
///   (keras-team/keras#17398), shift ranges on swapped axes, scipy's legacy wrap (period n-1),
///   `constant` without blending, channel shift clipped to the warped image's min/max, brightness
///   through PIL's 8-bit round trip. Use it to reproduce a Keras run or compare with one.
public enum GeometryMode: String, Codable, Sendable {
    case exact
    case keras
}

/// Element order of one rendered sample: `hwc` (channels last) or `chw` (channels first).
public enum PixelLayout: String, Codable, Sendable {
    case hwc
    case chw

    /// The layout Keras's `data_format` implies: channels last → `hwc`, channels first → `chw`.
    public init(_ format: DataFormat) {
        self = format == .channelsLast ? .hwc : .chw
    }
}
