import CMPI

/// A failed MPI call: which call, its error code and MPI's own message.
///
/// The communicator sets `MPI_ERRORS_RETURN`, so MPI reports errors as codes
/// (turned into this error) instead of aborting the job with a stack trace.
public struct MPIError: Error, Equatable, CustomStringConvertible {
    /// The MPI function that failed, e.g. `MPI_Iallreduce`.
    public let call: String
    /// MPI's error code (`MPI_ERR_…`); 0 for a failure that MPI did not report as one.
    public let code: Int32
    /// What MPI says the code means, or why the call could not be made.
    public let message: String

    public init(call: String, code: Int32, message: String) {
        self.call = call
        self.code = code
        self.message = message
    }

    public var description: String { "\(call) failed (MPI error \(code)): \(message)" }

    /// Throws unless `code` is `MPI_SUCCESS`.
    static func check(_ code: Int32, _ call: String) throws(MPIError) {
        guard code != MPI_SUCCESS else { return }
        var text = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
        var length: Int32 = 0
        let described = MPI_Error_string(code, &text, &length) == MPI_SUCCESS
        throw MPIError(call: call, code: code,
                       message: described ? String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                                          : "unknown error")
    }
}
