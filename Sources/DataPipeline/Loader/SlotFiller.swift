import Augmentation

/// Fills one slot of a batch buffer with the sample at an epoch position: renders it (with its
/// moved targets when the renderer has them) and, under ``BadFilePolicy/skip``, falls back on
/// the following positions of the epoch order (wrapping) until one renders, recording each
/// failure in the loader's registry. Called by the production's workers, concurrently.
struct SlotFiller: Sendable {
    /// What filled a slot.
    struct Result {
        /// The source index rendered (a substitute's under `.skip`).
        var sample: Int
        /// Why the position's own sample was replaced, when it was.
        var skippedReason: String?
        /// The error that left the slot unfilled (it fails the batch).
        var error: (any Error)?
        /// The sample's moved targets (annotating renderers only).
        var targets: SampleTargets?
    }

    let plan: EpochPlan
    let renderer: any SampleRenderer
    /// The renderer when its samples carry targets.
    let annotating: (any AnnotatingRenderer)?
    let policy: BadFilePolicy
    let registry: BadSampleRegistry

    init(plan: EpochPlan, renderer: any SampleRenderer, policy: BadFilePolicy, registry: BadSampleRegistry) {
        self.plan = plan
        self.renderer = renderer
        self.annotating = (renderer as? any AnnotatingRenderer).flatMap { $0.annotationCollator == nil ? nil : $0 }
        self.policy = policy
        self.registry = registry
    }

    /// Renders the sample at `position` into `slot`.
    func fill(position: Int, into slot: UnsafeMutableBufferPointer<Float>) -> Result {
        let own = plan.order[position]
        if policy == .skip, let reason = registry.reason(for: own) {
            return substitute(for: position, into: slot, reason: reason)
        }
        do {
            return Result(sample: own, targets: try render(own, into: slot))
        } catch {
            guard policy == .skip else { return Result(sample: own, error: error) }
            let reason = String(describing: error)
            registry.record(own, reason: reason)
            return substitute(for: position, into: slot, reason: reason)
        }
    }

    /// Renders `sample` into `slot`, with its moved targets when the renderer has them.
    private func render(_ sample: Int, into slot: UnsafeMutableBufferPointer<Float>) throws -> SampleTargets? {
        guard let annotating else {
            try renderer.render(sample: sample, epoch: plan.epoch, into: slot)
            return nil
        }
        return try annotating.renderAnnotated(sample: sample, epoch: plan.epoch, into: slot)
    }

    private func substitute(for position: Int, into slot: UnsafeMutableBufferPointer<Float>, reason: String) -> Result {
        let own = plan.order[position]
        for step in 1..<max(plan.order.count, 1) {
            let candidate = plan.order[(position + step) % plan.order.count]
            if registry.isKnownBad(candidate) { continue }
            do {
                let targets = try render(candidate, into: slot)
                return Result(sample: candidate, skippedReason: reason, targets: targets)
            } catch {
                registry.record(candidate, reason: String(describing: error))
            }
        }
        let error = DataPipelineError(.noUsableSample,
                                      message: "epoch \(plan.epoch): no sample of the \(plan.order.count) renders (first: \(reason))")
        return Result(sample: own, skippedReason: reason, error: error)
    }
}
