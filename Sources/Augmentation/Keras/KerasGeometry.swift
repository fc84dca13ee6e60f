import Foundation

/// Keras's `apply_affine_transform` geometry as one affine map from an output pixel
/// (row r, column c) to the input coordinate it reads, in Float64 as scipy computes it.
///
/// On an H-row × W-column image (README "Geometry" of the Keras fixtures):
/// ```
/// cC = (H-1)/2 ; cR = (W-1)/2          // swapped centre: Keras bug keras-team/keras#17398
/// u = zx(c - cC) ; v = zy(r - cR) ; u -= sin(shear)·v ; v = cos(shear)·v ; u += tx ; v += ty
/// in_c = cos θ·u - sin θ·v + cC ; in_r = sin θ·u + cos θ·v + cR
/// ```
/// so `tx` moves along columns, `ty` along rows, and on non-square images the pivot is off-centre.
public struct KerasGeometry: Sendable, Equatable {
    /// in_row = rowPerRow·r + rowPerColumn·c + rowOffset
    public let rowPerRow: Double, rowPerColumn: Double, rowOffset: Double
    /// in_col = columnPerRow·r + columnPerColumn·c + columnOffset
    public let columnPerRow: Double, columnPerColumn: Double, columnOffset: Double
    /// `true` for theta = tx = ty = shear = 0, zx = zy = 1: Keras returns the input untouched.
    public let isIdentity: Bool

    public init(_ t: Transform, rows h: Int, columns w: Int) {
        let cC = Double(h - 1) / 2, cR = Double(w - 1) / 2
        let theta = t.theta * .pi / 180, shear = t.shear * .pi / 180
        let (cosT, sinT) = t.theta == 0 ? (1.0, 0.0) : (cos(theta), sin(theta))
        let (cosS, sinS) = t.shear == 0 ? (1.0, 0.0) : (cos(shear), sin(shear))
        // u = uC·c + uR·r + u0 ; v = vR·r + v0
        let uC = t.zx, uR = -sinS * t.zy, u0 = -t.zx * cC + sinS * t.zy * cR + t.tx
        let vR = cosS * t.zy, v0 = -cosS * t.zy * cR + t.ty
        columnPerColumn = cosT * uC
        columnPerRow = cosT * uR - sinT * vR
        columnOffset = cosT * u0 - sinT * v0 + cC
        rowPerColumn = sinT * uC
        rowPerRow = sinT * uR + cosT * vR
        rowOffset = sinT * u0 + cosT * v0 + cR
        isIdentity = t.isGeometricIdentity
    }

    /// The input (row, column) read by output pixel (r, c).
    @inline(__always)
    public func source(row r: Int, column c: Int) -> (row: Double, column: Double) {
        let rd = Double(r), cd = Double(c)
        return (rowPerRow * rd + rowPerColumn * cd + rowOffset,
                columnPerRow * rd + columnPerColumn * cd + columnOffset)
    }
}
