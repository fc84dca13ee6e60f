/// One sample's augmentation parameters: a plain value that can be printed, logged, stored and
/// applied later (Keras's `get_random_transform` / `apply_transform` split).
///
/// Units are Keras's: `theta` and `shear` in degrees, `tx`/`ty` in pixels of the image the
/// transform is applied to (the output size), `zx`/`zy` factors (> 1 shrinks content).
/// `tx` moves along columns and `ty` along rows in both geometry modes: output pixel (r, c)
/// samples near input column `c + tx` and row `r + ty`, so positive values move content left/up.
/// Encoded with Keras's dictionary keys (`flip_horizontal`, `channel_shift_intensity`, ...).
public struct Transform: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Rotation in degrees; positive turns content counter-clockwise on screen.
    public var theta: Double
    /// Shift along columns, pixels (positive: content moves left).
    public var tx: Double
    /// Shift along rows, pixels (positive: content moves up).
    public var ty: Double
    /// Shear angle in degrees.
    public var shear: Double
    /// Sampling step factor along columns (> 1 shrinks content).
    public var zx: Double
    /// Sampling step factor along rows (> 1 shrinks content).
    public var zy: Double
    /// Mirror the columns of the warped image.
    public var flipHorizontal: Bool
    /// Mirror the rows of the warped image (after the horizontal flip).
    public var flipVertical: Bool
    /// Added to every channel (pixel units), or `nil` for none.
    public var channelShiftIntensity: Double?
    /// Brightness factor (1 = unchanged), or `nil` for none.
    public var brightness: Double?

    public init(theta: Double = 0, tx: Double = 0, ty: Double = 0, shear: Double = 0,
                zx: Double = 1, zy: Double = 1, flipHorizontal: Bool = false, flipVertical: Bool = false,
                channelShiftIntensity: Double? = nil, brightness: Double? = nil) {
        self.theta = theta
        self.tx = tx
        self.ty = ty
        self.shear = shear
        self.zx = zx
        self.zy = zy
        self.flipHorizontal = flipHorizontal
        self.flipVertical = flipVertical
        self.channelShiftIntensity = channelShiftIntensity
        self.brightness = brightness
    }

    /// The identity: no geometric change, no colour change.
    public static let identity = Transform()

    /// `true` when the affine part is the identity (Keras then skips resampling).
    public var isGeometricIdentity: Bool {
        theta == 0 && tx == 0 && ty == 0 && shear == 0 && zx == 1 && zy == 1
    }

    enum CodingKeys: String, CodingKey {
        case theta, tx, ty, shear, zx, zy
        case flipHorizontal = "flip_horizontal"
        case flipVertical = "flip_vertical"
        case channelShiftIntensity = "channel_shift_intensity"
        case brightness
    }

    /// Missing keys take Keras's `apply_transform` defaults (0, 1, false, nil).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            theta: try c.decodeIfPresent(Double.self, forKey: .theta) ?? 0,
            tx: try c.decodeIfPresent(Double.self, forKey: .tx) ?? 0,
            ty: try c.decodeIfPresent(Double.self, forKey: .ty) ?? 0,
            shear: try c.decodeIfPresent(Double.self, forKey: .shear) ?? 0,
            zx: try c.decodeIfPresent(Double.self, forKey: .zx) ?? 1,
            zy: try c.decodeIfPresent(Double.self, forKey: .zy) ?? 1,
            flipHorizontal: try c.decodeIfPresent(Bool.self, forKey: .flipHorizontal) ?? false,
            flipVertical: try c.decodeIfPresent(Bool.self, forKey: .flipVertical) ?? false,
            channelShiftIntensity: try c.decodeIfPresent(Double.self, forKey: .channelShiftIntensity),
            brightness: try c.decodeIfPresent(Double.self, forKey: .brightness))
    }

    public var description: String {
        func f(_ v: Double) -> String {
            let scaled = (v * 10_000).rounded() / 10_000
            return "\(scaled)"
        }
        var parts = ["theta=\(f(theta))°", "tx=\(f(tx))", "ty=\(f(ty))", "shear=\(f(shear))°",
                     "zx=\(f(zx))", "zy=\(f(zy))"]
        if flipHorizontal { parts.append("flipH") }
        if flipVertical { parts.append("flipV") }
        if let channelShiftIntensity { parts.append("channelShift=\(f(channelShiftIntensity))") }
        if let brightness { parts.append("brightness=\(f(brightness))") }
        return "Transform(" + parts.joined(separator: " ") + ")"
    }
}
