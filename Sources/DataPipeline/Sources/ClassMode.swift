/// What a batch's `targets` hold, as Keras's `class_mode` argument.
///
/// | mode | per-sample target | batch `targets` shape |
/// |---|---|---|
/// | `.categorical` | one-hot over the classes (multi-hot when a CSV row lists several labels) | N×K |
/// | `.binary` | the class index (0 or 1) as a Float | N |
/// | `.sparse` | the class index as a Float | N |
/// | `.raw` | the numbers of the label column(s) as given (CSV and arrays only) | N or N×K |
/// | `.input` | the input image itself (autoencoders) | same as `inputs` |
/// | `.none` | nothing | N×0 |
public enum ClassMode: String, Sendable, Equatable, CaseIterable, Codable {
    case categorical
    case binary
    case sparse
    case raw
    case input
    case none

    /// Whether this mode maps labels to class indices (and so needs a class list).
    public var usesClasses: Bool {
        switch self {
        case .categorical, .binary, .sparse: true
        case .raw, .input, .none: false
        }
    }
}
