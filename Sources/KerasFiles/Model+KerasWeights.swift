import Foundation
import Training

extension Model {
    /// Loads weights from a Keras HDF5 file: a legacy `.h5` (weights only, a
    /// whole model, or a `keras.applications` download such as
    /// `mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5`)
    /// or a Keras 3 `.weights.h5`. Layers are matched by name; the file is
    /// checked against the whole model before any value changes, and a
    /// mismatch is a `TrainingError.weightsFile(path:reason:)` naming the
    /// first layer that does not fit.
    ///
    /// ```swift
    /// let base = try MobileNetV2(inputShape: [224, 224, 3], includeTop: false)
    /// try base.loadKerasWeights(from: "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5")
    /// ```
    public func loadKerasWeights(from path: String) throws {
        try HDF5Group.withLibrary {
            let root = try HDF5Group.open(path)
            let assignment: WeightAssignment
            if KerasV3Weights.recognizes(root) {
                assignment = try KerasV3Weights.assignment(root, to: self)
            } else if try LegacyH5Weights.recognizes(root) {
                assignment = try LegacyH5Weights.assignment(root, to: self)
            } else {
                throw TrainingError.weightsFile(path: path, reason: "neither Keras 3 weights (a 'layers' group) nor legacy Keras weights (a 'layer_names' attribute)")
            }
            assignment.apply()
        }
    }

    /// Saves the weights as Keras 3's `save_weights` does (`.weights.h5`), for
    /// `model.load_weights(path)` in Keras on the same architecture. Written
    /// to a temporary file in the same folder, then renamed.
    public func saveKerasWeights(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp").path
        do {
            try HDF5Group.withLibrary {
                let root = try HDF5Group.create(temporary)
                try KerasV3Weights.write(self, to: root)
            }
            guard rename(temporary, path) == 0 else {
                throw TrainingError.weightsFile(path: path, reason: "cannot move the written file into place (errno \(errno))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            if let error = error as? TrainingError { throw error }
            throw TrainingError.weightsFile(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
