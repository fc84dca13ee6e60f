import Augmentation
import DataPipeline
import Foundation

/// One line of `transforms.jsonl`: a previewed variant, its source and file, the sample it is
/// (epoch, index), and what was drawn for it, so it can be replayed in Python.
///
/// For an op recipe `ops` lists every function that ran, in order, with its parameters in the
/// units of `torchvision.transforms.v2.functional` (crop `top`, `left`, `height`, `width` in
/// pixels of the upright source and the output `size`; flips present when applied; colour
/// factors in the order applied; erasing `i`, `j`, `h`, `w`, `v`), ending with the implicit
/// resize when the ops leave another size. For a Keras config `keras_transform` holds Keras's
/// `apply_transform` dictionary.
///
/// ```json
/// {"epoch":0,"file":"preview/cat_0.png","index":3,"ops":[{"name":"resized_crop","parameters":{...}}],"source":"cat.jpg"}
/// ```
struct TransformLogLine: Encodable {
    var source: String
    var file: String
    var epoch: Int
    var index: Int
    var ops: [AppliedOp]?
    var kerasTransform: Transform?

    enum CodingKeys: String, CodingKey {
        case source, file, epoch, index, ops
        case kerasTransform = "keras_transform"
    }

    init(source: String, file: String, epoch: Int, index: Int, renderer: ImageFileRenderer, drawn: SampleTransform?) {
        self.source = source
        self.file = file
        self.epoch = epoch
        self.index = index
        ops = drawn?.applied
        if case .keras(let augmenter, let sampler) = renderer.recipe {
            kerasTransform = sampler.transform(epoch: epoch, index: index, height: augmenter.outputHeight,
                                               width: augmenter.outputWidth)
        }
    }

    /// Writes `lines` as JSON Lines (sorted keys), through a temporary file renamed into place.
    static func write(_ lines: [TransformLogLine], to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var text = Data()
        for line in lines {
            text += try encoder.encode(line)
            text += Data("\n".utf8)
        }
        try text.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
