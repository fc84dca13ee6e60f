import Randomness
import Testing
@testable import Augmentation

/// A class map held only inside `readWindow(of:)` warps to exactly what the whole map warps to,
/// for crops, resizes, flips, rotations and shears, partly or wholly outside the source.
@Suite struct MaskWindowTests {
    static func classMap(width: Int, height: Int) throws -> SegmentationMask {
        try SegmentationMask(classMap: (0..<(width * height)).map { UInt16(($0 * 7919) % 251) }, width: width, height: height)
    }

    static func held(_ mask: SegmentationMask, _ window: SegmentationMask.Window) throws -> SegmentationMask {
        let values = (window.y..<(window.y + window.height)).flatMap { row in
            (window.x..<(window.x + window.width)).map { mask[$0, row] }
        }
        return try SegmentationMask(classMap: values, width: mask.width, height: mask.height, window: window)
    }

    /// Forward maps of every kind the recipes draw, with outputs larger and smaller than the window.
    static func warps(width: Int, height: Int) -> [TargetWarp] {
        let (w, h) = (Double(width), Double(height))
        let random = CounterRandom(key: 14)
        var counter: UInt64 = 0
        func next() -> Double { counter += 1; return random.unit(counter) }
        var maps: [TargetAffine] = [
            .identity, .horizontalFlip(width: width), .scale(224 / 20, 224 / 15).after(.translation(-11, -7)),
            .scale(0.5, 0.5), .rotation(degrees: 33, aboutX: w / 2, y: h / 2), .translation(-1000, 5),
            .rotation(degrees: 90, aboutX: 0, y: 0).after(.translation(0, -h + 1)),
            TargetAffine(a: 1.3, b: 0.4, c: -3, d: -0.2, e: 0.9, f: 2.5),
        ]
        for _ in 0..<40 {
            let scale = 0.5 + 8 * next(), angle = 360 * next() - 180
            let crop = TargetAffine.translation(-w * next(), -h * next())
            let turn = next() < 0.5 ? TargetAffine.identity : .rotation(degrees: angle, aboutX: w / 2, y: h / 2)
            maps.append(TargetAffine.scale(scale, scale * (0.75 + 0.5 * next())).after(crop).after(turn))
        }
        return maps.enumerated().map { index, map in
            TargetWarp(matrix: map, sourceWidth: width, sourceHeight: height,
                       outputWidth: index % 3 == 0 ? 224 : 37, outputHeight: index % 2 == 0 ? 224 : 29)
        }
    }

    @Test func windowedMasksWarpAsTheWholeMask() throws {
        let mask = try Self.classMap(width: 61, height: 47)
        var partial = 0
        for warp in Self.warps(width: 61, height: 47) {
            let window = SegmentationMask.readWindow(of: warp)
            #expect(window.x >= 0 && window.y >= 0 && window.x + window.width <= 61 && window.y + window.height <= 47)
            if window.width * window.height < 61 * 47 { partial += 1 }
            let expected = mask.warped(by: warp, fill: 255)
            let got = try Self.held(mask, window).warped(by: warp, fill: 255)
            #expect(got == expected, "\(warp.matrix) window \(window)")
            let erasures = [Erasure(top: 3, left: 5, height: 10, width: 12, value: [0])]
            #expect(got.erasing(erasures, fill: 255) == expected.erasing(erasures, fill: 255))
        }
        #expect(partial > 30)
    }

    /// For warps that keep the axes, gathering through `nearestGrid`'s tables gives the warped mask;
    /// other warps have no grid.
    @Test func nearestGridsGatherTheWarpedMask() throws {
        let mask = try Self.classMap(width: 61, height: 47)
        var grids = 0
        for warp in Self.warps(width: 61, height: 47) {
            guard let grid = SegmentationMask.nearestGrid(of: warp) else {
                #expect(warp.matrix.b != 0 || warp.matrix.d != 0)
                continue
            }
            grids += 1
            let gathered = grid.rows.flatMap { row in
                grid.columns.map { column in row < 0 || column < 0 ? 255 : mask[Int(column), Int(row)] }
            }
            #expect(gathered == mask.warped(by: warp, fill: 255).values, "\(warp.matrix)")
        }
        #expect(grids >= 20)
    }

    /// A map that sees none of the source reads an empty window and fills everything.
    @Test func outputsThatSeeNoSourceReadNothing() throws {
        let warp = TargetWarp(matrix: .translation(-1000, 0), sourceWidth: 20, sourceHeight: 10, outputWidth: 8, outputHeight: 8)
        let window = SegmentationMask.readWindow(of: warp)
        #expect(window.width * window.height == 0)
        let empty = try SegmentationMask(classMap: [], width: 20, height: 10, window: window)
        #expect(empty.warped(by: warp, fill: 7).values == [UInt16](repeating: 7, count: 64))
        #expect(throws: AugmentationError.self) {
            try SegmentationMask(classMap: [1, 2], width: 20, height: 10, window: .init(x: 19, y: 0, width: 2, height: 1))
        }
    }
}
