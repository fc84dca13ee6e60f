import Foundation

/// A 2-D affine map from source pixel coordinates to output pixel coordinates,
/// the forward direction targets travel in:
/// `x' = a·x + b·y + c`, `y' = d·x + e·y + f`.
///
/// Coordinates are pixel-index coordinates, as in the image warp and OpenCV: the
/// centre of column `i` is `x = i`. Box edges live half a pixel further out (column
/// `i` spans `i ... i + 1`); ``BoundingBoxes`` converts for itself.
///
/// The image kernel samples backwards (output → source); build this value from
/// that map with ``init(outputToSource:)``.
///
/// ```swift
/// let flip = TargetAffine.horizontalFlip(width: 64)
/// flip.apply(x: 0, y: 5)   // (63, 5)
/// ```
public struct TargetAffine: Sendable, Equatable {
    public var a, b, c, d, e, f: Double

    public init(a: Double, b: Double, c: Double, d: Double, e: Double, f: Double) {
        (self.a, self.b, self.c, self.d, self.e, self.f) = (a, b, c, d, e, f)
    }

    /// The map that leaves every point where it is.
    public static let identity = TargetAffine(a: 1, b: 0, c: 0, d: 0, e: 1, f: 0)

    /// The forward map of a warp whose kernel maps output pixels to source pixels by
    /// `outputToSource`; `nil` when that map is singular.
    public init?(outputToSource m: TargetAffine) {
        guard let inverse = m.inverted() else { return nil }
        self = inverse
    }

    /// A shift by (`x`, `y`) pixels.
    public static func translation(_ x: Double, _ y: Double) -> TargetAffine {
        TargetAffine(a: 1, b: 0, c: x, d: 0, e: 1, f: y)
    }

    /// A scale about the origin.
    public static func scale(_ x: Double, _ y: Double) -> TargetAffine {
        TargetAffine(a: x, b: 0, c: 0, d: 0, e: y, f: 0)
    }

    /// Mirror of a `width`-pixel-wide image: column `i` goes to `width - 1 - i`.
    public static func horizontalFlip(width: Int) -> TargetAffine {
        TargetAffine(a: -1, b: 0, c: Double(width - 1), d: 0, e: 1, f: 0)
    }

    /// A counter-clockwise rotation by `degrees` (on screen, y down) about (`cx`, `cy`).
    public static func rotation(degrees: Double, aboutX cx: Double, y cy: Double) -> TargetAffine {
        let radians = degrees * .pi / 180
        let (cosine, sine) = (cos(radians), sin(radians))
        let rotate = TargetAffine(a: cosine, b: sine, c: 0, d: -sine, e: cosine, f: 0)
        return translation(cx, cy).after(rotate).after(translation(-cx, -cy))
    }

    /// `self ∘ other`: `other` first, then `self`.
    public func after(_ o: TargetAffine) -> TargetAffine {
        TargetAffine(a: a * o.a + b * o.d, b: a * o.b + b * o.e, c: a * o.c + b * o.f + c,
                     d: d * o.a + e * o.d, e: d * o.b + e * o.e, f: d * o.c + e * o.f + f)
    }

    /// The inverse map, or `nil` when the determinant is (nearly) zero.
    public func inverted() -> TargetAffine? {
        let determinant = a * e - b * d
        guard abs(determinant) > 1e-12 else { return nil }
        let ia = e / determinant, ib = -b / determinant, id = -d / determinant, ie = a / determinant
        return TargetAffine(a: ia, b: ib, c: -(ia * c + ib * f), d: id, e: ie, f: -(id * c + ie * f))
    }

    /// The image of the point (`x`, `y`).
    public func apply(x: Double, y: Double) -> (x: Double, y: Double) {
        (a * x + b * y + c, d * x + e * y + f)
    }

    /// The same map acting on edge coordinates (column `i` spans `i ... i + 1`), where
    /// boxes live: shift by -½, map, shift back.
    var onEdges: TargetAffine {
        TargetAffine.translation(0.5, 0.5).after(self).after(.translation(-0.5, -0.5))
    }
}
