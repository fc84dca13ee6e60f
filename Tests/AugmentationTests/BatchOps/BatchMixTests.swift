import Foundation
import Testing
import TestSupport
@testable import Augmentation

/// MixUp and CutMix applied to tiny batches: hand-computed values, then torchvision v2's own
/// outputs (`scripts/make_batch_op_fixtures.py`), compared exactly.
@Suite struct BatchMixTests {
    /// Three samples of two values; λ = 0.25 keeps every product and sum exact in Float.
    @Test func mixupMixesEachSampleWithThePreviousOne() {
        var images: [Float] = [1, 2, 3, 4, 5, 6]
        images.withUnsafeMutableBufferPointer {
            BatchMix.mixup(lambda: 0.25).mixImages($0, shape: BatchShape(count: 3, height: 1, width: 2, channels: 1))
        }
        // out[i] = 0.25·x[i] + 0.75·x[i − 1], x[−1] = x[2].
        #expect(images == [4, 5, 1.5, 2.5, 3.5, 4.5])
        var targets: [Float] = [1, 0, 0, 1, 1, 0]
        targets.withUnsafeMutableBufferPointer { BatchMix.mixup(lambda: 0.25).mixTargets($0, count: 3, classes: 2) }
        #expect(targets == [1, 0, 0.75, 0.25, 0.25, 0.75])
    }

    /// Two 2×3 single-channel images; the box covers columns 1–2 of row 0.
    @Test func cutmixPastesTheBoxFromThePreviousSample() {
        let box = CutMixBox(x1: 1, y1: 0, x2: 3, y2: 1, lambda: 1 - 2.0 / 6)
        var images: [Float] = [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]
        images.withUnsafeMutableBufferPointer {
            BatchMix.cutmix(box).mixImages($0, shape: BatchShape(count: 2, height: 2, width: 3, channels: 1))
        }
        #expect(images == [0, 11, 12, 3, 4, 5, 10, 1, 2, 13, 14, 15])
        var targets: [Float] = [1, 0, 0, 1]
        targets.withUnsafeMutableBufferPointer { BatchMix.cutmix(box).mixTargets($0, count: 2, classes: 2) }
        let expected: [Double] = [2.0 / 3, 1.0 / 3, 1.0 / 3, 2.0 / 3]
        let errors = zip(targets, expected).map { abs(Double($0) - $1) }
        #expect(errors.allSatisfy { $0 < 1e-7 }, "\(targets)")
    }

    /// The same box in HWC and CHW moves the same pixels; a one-sample batch mixes with itself.
    @Test func layoutsAndSingleSamples() {
        let shape = BatchShape(count: 2, height: 2, width: 2, channels: 2, layout: .hwc)
        let box = CutMixBox(x1: 1, y1: 1, x2: 2, y2: 2, lambda: 0.75)
        var hwc: [Float] = Array(0..<16).map(Float.init)
        hwc.withUnsafeMutableBufferPointer { BatchMix.cutmix(box).mixImages($0, shape: shape) }
        // Pixel (1, 1) holds elements 6 and 7 of each sample.
        #expect(hwc == [0, 1, 2, 3, 4, 5, 14, 15, 8, 9, 10, 11, 12, 13, 6, 7])
        var chw: [Float] = Array(0..<16).map(Float.init)
        var planar = shape
        planar.layout = .chw
        chw.withUnsafeMutableBufferPointer { BatchMix.cutmix(box).mixImages($0, shape: planar) }
        // Pixel (1, 1) is element 3 of each channel plane.
        #expect(chw == [0, 1, 2, 11, 4, 5, 6, 15, 8, 9, 10, 3, 12, 13, 14, 7])
        var one: [Float] = [3, 5]
        one.withUnsafeMutableBufferPointer {
            BatchMix.mixup(lambda: 0.5).mixImages($0, shape: BatchShape(count: 1, height: 1, width: 2, channels: 1))
        }
        #expect(one == [3, 5])
        var untouched: [Float] = [1, 2]
        untouched.withUnsafeMutableBufferPointer {
            BatchMix.none.mixImages($0, shape: BatchShape(count: 2, height: 1, width: 1, channels: 1))
            BatchMix.none.mixTargets($0, count: 2, classes: 1)
        }
        #expect(untouched == [1, 2])
    }

    // MARK: torchvision v2

    struct Fixture: Decodable {
        struct Box: Decodable {
            var height: Int, width: Int, lambda: Double, r_x: Int, r_y: Int, box: [Int], lambda_adjusted: Double
        }
        struct Batch: Decodable { var shape_nchw: [Int]; var images: [Float]; var labels: [Int] }
        struct Mixed: Decodable {
            var lambda: Double, images: [Float], labels: [Float]
            var r_x: Int?, r_y: Int?, box: [Int]?, lambda_adjusted: Double?
        }
        var classes: Int, boxes: [Box], batch: Batch, mixup: [Mixed], cutmix: [Mixed]
    }

    static let fixture: Fixture = {
        let url = RepositoryFiles.fixture("AugmentationTests", "torchvision-batch-ops/batch_ops.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    /// `CutMix.make_params` for fixed λ and centre: the same box and corrected λ.
    @Test func cutmixBoxMatchesTorchvision() {
        for c in Self.fixture.boxes {
            let box = CutMixBox(lambda: c.lambda, centerX: c.r_x, centerY: c.r_y, height: c.height, width: c.width)
            #expect([box.x1, box.y1, box.x2, box.y2] == c.box, "\(c)")
            #expect(box.lambda == c.lambda_adjusted, "\(c)")
        }
    }

    var batchShape: BatchShape {
        let s = Self.fixture.batch.shape_nchw
        return BatchShape(count: s[0], height: s[2], width: s[3], channels: s[1], layout: .chw)
    }

    func oneHot() -> [Float] {
        let k = Self.fixture.classes
        var rows = [Float](repeating: 0, count: Self.fixture.batch.labels.count * k)
        for (i, label) in Self.fixture.batch.labels.enumerated() { rows[i * k + label] = 1 }
        return rows
    }

    /// `mix` of the fixture batch, in CHW as torch holds it and through HWC (transposed there and back).
    func check(_ mix: BatchMix, expected: Fixture.Mixed) {
        var chw = Self.fixture.batch.images
        chw.withUnsafeMutableBufferPointer { mix.mixImages($0, shape: batchShape) }
        #expect(chw == expected.images, "\(mix) in CHW")
        var interleaved = batchShape
        interleaved.layout = .hwc
        var hwc = Self.transpose(Self.fixture.batch.images, batchShape, toHWC: true)
        hwc.withUnsafeMutableBufferPointer { mix.mixImages($0, shape: interleaved) }
        #expect(Self.transpose(hwc, batchShape, toHWC: false) == expected.images, "\(mix) in HWC")
        var labels = oneHot()
        labels.withUnsafeMutableBufferPointer { mix.mixTargets($0, count: batchShape.count, classes: Self.fixture.classes) }
        #expect(labels == expected.labels, "\(mix) labels")
    }

    @Test func mixupMatchesTorchvisionExactly() {
        for c in Self.fixture.mixup { check(.mixup(lambda: c.lambda), expected: c) }
    }

    @Test func cutmixMatchesTorchvisionExactly() {
        for c in Self.fixture.cutmix {
            let box = CutMixBox(lambda: c.lambda, centerX: c.r_x!, centerY: c.r_y!, height: batchShape.height,
                                width: batchShape.width)
            #expect([box.x1, box.y1, box.x2, box.y2] == c.box!)
            #expect(box.lambda == c.lambda_adjusted!)
            check(.cutmix(box), expected: c)
        }
    }

    static func transpose(_ v: [Float], _ s: BatchShape, toHWC: Bool) -> [Float] {
        var out = v
        for n in 0..<s.count {
            for c in 0..<s.channels {
                for y in 0..<s.height {
                    for x in 0..<s.width {
                        let planar = n * s.sampleSize + (c * s.height + y) * s.width + x
                        let interleaved = n * s.sampleSize + (y * s.width + x) * s.channels + c
                        if toHWC { out[interleaved] = v[planar] } else { out[planar] = v[interleaved] }
                    }
                }
            }
        }
        return out
    }
}
