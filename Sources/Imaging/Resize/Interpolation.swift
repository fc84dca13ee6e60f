/// A resampling filter, named as Keras's `interpolation` argument
/// (`keras.utils.load_img(..., interpolation="bilinear")`).
///
/// All but `.nearest` are Pillow's convolution filters: on downscale the
/// kernel is widened by the scale factor, so the result is antialiased.
public enum Interpolation: String, Sendable, Equatable, CaseIterable {
    case nearest
    case bilinear
    case bicubic
    /// Area averaging (Pillow's BOX).
    case box
    case hamming
    case lanczos

    /// The Keras name, e.g. `"bilinear"`; `init(rawValue:)` parses it.
    public var kerasName: String { rawValue }

    /// Half-width of the filter at scale 1.
    var support: Double {
        switch self {
        case .nearest, .box: 0.5
        case .bilinear, .hamming: 1
        case .bicubic: 2
        case .lanczos: 3
        }
    }

    /// The filter's weight at distance `x` (Pillow's `*_filter` functions).
    func weight(_ x: Double) -> Double {
        switch self {
        case .nearest, .box:
            return x > -0.5 && x <= 0.5 ? 1 : 0
        case .bilinear:
            let d = abs(x)
            return d < 1 ? 1 - d : 0
        case .hamming:
            let d = abs(x)
            if d == 0 { return 1 }
            if d >= 1 { return 0 }
            let t = d * Double.pi
            return sin(t) / t * (0.54 + 0.46 * cos(t))
        case .bicubic:
            let a = -0.5, d = abs(x)
            if d < 1 { return ((a + 2) * d - (a + 3)) * d * d + 1 }
            if d < 2 { return (((d - 5) * d + 8) * d - 4) * a }
            return 0
        case .lanczos:
            return -3 <= x && x < 3 ? Self.sinc(x) * Self.sinc(x / 3) : 0
        }
    }

    private static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let t = x * Double.pi
        return sin(t) / t
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
