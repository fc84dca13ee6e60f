import Foundation
import Testing
@testable import Augmentation

/// Drawing batch mixes: keys, the choice between listed ops, `p`, validation and the list's
/// decoding.
@Suite struct BatchOpRecipeTests {
    let both = try! BatchOpRecipe(ops: [.mixup(MixUp(alpha: 0.2)), .cutmix(CutMix(alpha: 1.0, p: 0.5))], seed: 9)

    @Test func drawsAreKeyedBySeedEpochAndBatch() throws {
        let recipe = try BatchOpRecipe(ops: [.mixup(MixUp())], seed: 1)
        let a = recipe.draw(epoch: 2, batch: 64, height: 8, width: 8)
        #expect(recipe.draw(epoch: 2, batch: 64, height: 8, width: 8) == a)
        #expect(recipe.draw(epoch: 2, batch: 128, height: 8, width: 8) != a)
        #expect(recipe.draw(epoch: 3, batch: 64, height: 8, width: 8) != a)
        #expect(try BatchOpRecipe(ops: [.mixup(MixUp())], seed: 2).draw(epoch: 2, batch: 64, height: 8, width: 8) != a)
    }

    /// Listing both gives each batch one of them with probability 1/2; CutMix then acts half the time.
    @Test func bothListedChooseOnePerBatchEvenly() {
        let mixes = (0..<4_000).map { both.draw(epoch: 0, batch: $0 * 32, height: 16, width: 16) }
        let mixups = mixes.filter { if case .mixup = $0 { true } else { false } }.count
        let cutmixes = mixes.filter { if case .cutmix = $0 { true } else { false } }.count
        let untouched = mixes.filter { $0 == .none }.count
        #expect(abs(Double(mixups) / 4_000 - 0.5) < 0.03, "\(mixups) mixups")
        #expect(abs(Double(cutmixes) / Double(cutmixes + untouched) - 0.5) < 0.04, "\(cutmixes) cutmixes, \(untouched) none")
        #expect(mixups + cutmixes + untouched == 4_000)
    }

    /// An op's draws come from its own stream: MixUp's λ for a batch is the same whether or not
    /// CutMix is listed beside it (when the batch gets MixUp).
    @Test func addingAnOpLeavesTheOtherOpsDrawsUnchanged() throws {
        let alone = try BatchOpRecipe(ops: [.mixup(MixUp(alpha: 0.2))], seed: 9)
        var compared = 0
        for batch in 0..<200 {
            guard case .mixup(let lambda) = both.draw(epoch: 1, batch: batch, height: 16, width: 16) else { continue }
            #expect(alone.draw(epoch: 1, batch: batch, height: 16, width: 16) == .mixup(lambda: lambda))
            compared += 1
        }
        #expect(compared > 50)
    }

    /// CutMix boxes lie inside the image and their λ is the share outside the box.
    @Test func cutmixBoxesStayInsideTheImage() throws {
        let recipe = try BatchOpRecipe(ops: [.cutmix(CutMix())], seed: 4)
        for batch in 0..<500 {
            guard case .cutmix(let box) = recipe.draw(epoch: 0, batch: batch, height: 12, width: 20) else {
                Issue.record("p = 1 must always mix")
                continue
            }
            #expect(0 <= box.x1 && box.x1 <= box.x2 && box.x2 <= 20 && 0 <= box.y1 && box.y1 <= box.y2 && box.y2 <= 12)
            #expect(box.lambda == 1 - Double((box.x2 - box.x1) * (box.y2 - box.y1)) / 240)
        }
    }

    @Test func badParametersNameTheOpAndKey() {
        func parameter(_ ops: [BatchOp]) -> String? {
            do { _ = try BatchOpRecipe(ops: ops, seed: 0); return nil } catch { return error.parameter }
        }
        #expect(parameter([]) == "batch_ops")
        #expect(parameter([.mixup(MixUp(alpha: 0))]) == "batch_ops[0].mixup.alpha")
        #expect(parameter([.mixup(MixUp()), .cutmix(CutMix(p: 1.5))]) == "batch_ops[1].cutmix.p")
        #expect(parameter([.cutmix(CutMix(alpha: .infinity))]) == "batch_ops[0].cutmix.alpha")
        #expect(parameter([.cutmix(CutMix(alpha: 0.4, p: 0))]) == nil)
    }

    @Test func decodesTheListForm() throws {
        let json = #"[{"mixup": {"alpha": 0.2}}, "cutmix", {"cutmix": {"alpha": 0.5, "p": 0.25}}, {"mixup": null}]"#
        let ops = try JSONDecoder().decode([BatchOp].self, from: Data(json.utf8))
        #expect(ops == [.mixup(MixUp(alpha: 0.2)), .cutmix(CutMix()), .cutmix(CutMix(alpha: 0.5, p: 0.25)), .mixup(MixUp())])
        let encoded = try JSONEncoder().encode(ops)
        #expect(try JSONDecoder().decode([BatchOp].self, from: encoded) == ops)
        for (bad, words) in [(#"["mixer"]"#, "unknown batch op 'mixer'"), (#"[{"mixup": {"beta": 1}}]"#, "unknown parameter 'beta'"),
                             (#"[{"cutmix": {"alpha": -1}}]"#, "must be positive"), (#"[{"mixup": {"p": 2}}]"#, "must be in [0, 1]")] {
            #expect(throws: DecodingError.self, "\(bad)") { try JSONDecoder().decode([BatchOp].self, from: Data(bad.utf8)) }
            do {
                _ = try JSONDecoder().decode([BatchOp].self, from: Data(bad.utf8))
            } catch DecodingError.dataCorrupted(let context) {
                #expect(context.debugDescription.contains(words), "\(context.debugDescription)")
            } catch {
                Issue.record("\(bad): \(error)")
            }
        }
    }
}
