/// A workflow-level failure (preview, train) explained in one sentence.
public struct WorkflowError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
