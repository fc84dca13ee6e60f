import Augmentation

/// A renderer whose samples carry targets moved by the same drawn transform as their
/// pixels: the loader stacks them into `Batch.annotations` with ``annotationCollator``.
///
/// The same determinism contract as ``SampleRenderer``: the targets depend only on
/// `(index, epoch)` and the renderer's configuration.
public protocol AnnotatingRenderer: SampleRenderer {
    /// How a batch's targets are stacked; `nil` when this renderer's samples have none.
    var annotationCollator: AnnotationCollator? { get }

    /// ``SampleRenderer/render(sample:epoch:into:)``, returning the sample's moved targets
    /// (`nil` when the source has none).
    func renderAnnotated(sample index: Int, epoch: Int, into slot: UnsafeMutableBufferPointer<Float>) throws -> SampleTargets?
}
