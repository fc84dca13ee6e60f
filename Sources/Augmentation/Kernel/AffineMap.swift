import Foundation

/// A 2-D affine map on (x = column, y = row): `x' = a·x + b·y + c`, `y' = d·x + e·y + f`.
struct AffineMap: Sendable, Equatable {
    var a, b, c, d, e, f: Double

    static let identity = AffineMap(a: 1, b: 0, c: 0, d: 0, e: 1, f: 0)

    static func translation(_ x: Double, _ y: Double) -> AffineMap {
        AffineMap(a: 1, b: 0, c: x, d: 0, e: 1, f: y)
    }

    static func scale(_ x: Double, _ y: Double) -> AffineMap {
        AffineMap(a: x, b: 0, c: 0, d: 0, e: y, f: 0)
    }

    /// `self ∘ other`: apply `other` first.
    func after(_ o: AffineMap) -> AffineMap {
        AffineMap(a: a * o.a + b * o.d, b: a * o.b + b * o.e, c: a * o.c + b * o.f + c,
                  d: d * o.a + e * o.d, e: d * o.b + e * o.e, f: d * o.c + e * o.f + f)
    }

    /// (cos, sin) of an angle in degrees, exact at multiples of 90° so quarter turns are
    /// exact permutations.
    static func cosSin(degrees: Double) -> (Double, Double) {
        let quarter = degrees / 90
        if quarter == quarter.rounded() {
            switch ((Int(quarter) % 4) + 4) % 4 {
            case 0: return (1, 0)
            case 1: return (0, 1)
            case 2: return (-1, 0)
            default: return (0, -1)
            }
        }
        let radians = degrees * .pi / 180
        return (cos(radians), sin(radians))
    }

    /// The exact-mode map from an output pixel (column, row) of a `width × height` output to the
    /// source pixel coordinate of a `sourceWidth × sourceHeight` image.
    ///
    /// Output flips first (Keras flips the warped image), then the Keras formula about the true
    /// centre in output pixels, then the resize `(p + 0.5)·source/output - 0.5` (pixel centres
    /// aligned, as PIL and OpenCV resize).
    static func exact(_ t: Transform, width: Int, height: Int, sourceWidth: Int, sourceHeight: Int) -> AffineMap {
        let cx = Double(width - 1) / 2, cy = Double(height - 1) / 2
        var flip = AffineMap.identity
        if t.flipHorizontal { flip = AffineMap(a: -1, b: 0, c: Double(width - 1), d: 0, e: 1, f: 0) }
        if t.flipVertical { flip = AffineMap(a: 1, b: 0, c: 0, d: 0, e: -1, f: Double(height - 1)).after(flip) }
        let (cosS, sinS) = cosSin(degrees: t.shear)
        let (cosT, sinT) = cosSin(degrees: t.theta)
        let zoom = AffineMap.scale(t.zx, t.zy)
        let shear = AffineMap(a: 1, b: -sinS, c: 0, d: 0, e: cosS, f: 0)
        let rotation = AffineMap(a: cosT, b: -sinT, c: 0, d: sinT, e: cosT, f: 0)
        let sx = Double(sourceWidth) / Double(width), sy = Double(sourceHeight) / Double(height)
        let resize = AffineMap(a: sx, b: 0, c: 0.5 * sx - 0.5, d: 0, e: sy, f: 0.5 * sy - 0.5)
        return resize
            .after(.translation(cx, cy))
            .after(rotation)
            .after(.translation(t.tx, t.ty))
            .after(shear)
            .after(zoom)
            .after(.translation(-cx, -cy))
            .after(flip)
    }
}
