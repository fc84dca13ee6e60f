/// oneDNN failures inside a kernel: shapes are checked when layers are built,
/// so a failure here is a bug or an exhausted machine, and stops the process
/// with oneDNN's status.
enum OneDNNStatus {
    static func check(_ status: Int32, _ what: @autoclosure () -> String) {
        precondition(status == 0, "oneDNN \(what()) failed with status \(status)")
    }
}
