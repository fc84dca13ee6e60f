/// The region CutMix pastes, from torchvision's `CutMix._get_params`: for a drawn λ and a centre
/// `(r_x, r_y)` uniform over the pixels, half-sides `int(0.5·√(1 − λ)·W)` and
/// `int(0.5·√(1 − λ)·H)`, the box clamped to the image, and λ corrected to the share of the
/// image outside the clamped box.
///
/// ```swift
/// let box = CutMixBox(lambda: 0.75, centerX: 3, centerY: 7, height: 8, width: 10)
/// // x1 = 1, x2 = 5, y1 = 5, y2 = 8; lambda = 1 − 4·3/80 = 0.85
/// ```
public struct CutMixBox: Sendable, Equatable {
    /// Left column (inclusive).
    public var x1: Int
    /// Top row (inclusive).
    public var y1: Int
    /// Right column (exclusive).
    public var x2: Int
    /// Bottom row (exclusive).
    public var y2: Int
    /// The corrected λ: the weight of each sample's own target, `1 − box area / image area`.
    public var lambda: Double

    /// The box of `lambda` centred at (`centerX`, `centerY`) on a `height × width` image.
    public init(lambda drawn: Double, centerX: Int, centerY: Int, height: Int, width: Int) {
        let r = 0.5 * (1.0 - drawn).squareRoot()
        let halfWidth = Int(r * Double(width)), halfHeight = Int(r * Double(height))
        x1 = max(centerX - halfWidth, 0)
        y1 = max(centerY - halfHeight, 0)
        x2 = min(centerX + halfWidth, width)
        y2 = min(centerY + halfHeight, height)
        lambda = 1.0 - Double((x2 - x1) * (y2 - y1)) / Double(width * height)
    }

    /// A box given by its corners and corrected λ.
    public init(x1: Int, y1: Int, x2: Int, y2: Int, lambda: Double) {
        (self.x1, self.y1, self.x2, self.y2, self.lambda) = (x1, y1, x2, y2, lambda)
    }
}
