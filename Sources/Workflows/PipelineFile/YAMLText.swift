import Yams

/// The checks a pipeline file's text passes before Yams builds and decodes
/// it, so that hostile YAML gets a named error in bounded time and memory:
/// bytes that are not UTF-8, nesting deep enough to exhaust the stack of a
/// recursive composer, aliases that expand a small file into an
/// exponentially large tree ("billion laughs"), and base-60 numbers that
/// would overflow inside Yams.
enum YAMLText {
    /// Flow collections (`[`, `{`) and compact block sequences (`- - -`) nested deeper are refused.
    static let maximumNesting = 64
    /// Nodes of the tree once every alias (`*name`) is expanded; real pipeline files have a few hundred.
    static let maximumExpandedNodes = 100_000

    /// The bytes as a string, or an error naming the line and column of the first byte that is not UTF-8.
    static func decode(_ bytes: some Collection<UInt8>, file: String) throws(PipelineFileError) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var line = 1, column = 1, offset = 0
        while case .scalarValue(let scalar) = decoder.decode(&iterator) {
            offset += UTF8.width(scalar)
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        let byte = bytes.dropFirst(offset).first.map { String($0, radix: 16, uppercase: true) } ?? "?"
        throw PipelineFileError(file: file, line: line, column: column,
                                reason: "not UTF-8 text (byte 0x\(byte) at offset \(offset))")
    }

    /// Refuses flow collections or compact block sequences nested deeper than ``maximumNesting``,
    /// before the recursive composer sees them. Quoted scalars and comments do not count.
    static func checkNesting(_ text: String, file: String) throws(PipelineFileError) {
        var flowDepth = 0, indicators = 0, line = 1, column = 0
        var quote: Character?
        var inComment = false, atLineStart = true
        var previous: Character = "\n"
        for character in text {
            column += 1
            defer { previous = character }
            if character == "\n" {
                line += 1; column = 0
                inComment = false; atLineStart = true; indicators = 0
                continue
            }
            if inComment { continue }
            if let open = quote {
                if character == open && !(open == "\"" && previous == "\\") { quote = nil }
                continue
            }
            if atLineStart {
                // `- - - x` nests a sequence per indicator without any indentation.
                if character == " " { continue }
                if character == "-" || character == "?" { indicators += 1 } else { atLineStart = false }
            }
            let startsScalar = " \t\n[{,:-".contains(previous)
            switch character {
            case "#" where previous == " " || previous == "\t" || column == 1: inComment = true
            case "'" where startsScalar, "\"" where startsScalar: quote = character
            case "[", "{": flowDepth += 1
            case "]", "}": flowDepth = max(0, flowDepth - 1)
            default: break
            }
            if flowDepth > maximumNesting || indicators > maximumNesting {
                throw PipelineFileError(file: file, line: line, column: column,
                                        reason: "nested more than \(maximumNesting) levels deep")
            }
        }
    }

    /// Walks the composed tree once, as decoding would (an alias shares its anchor's node, so each
    /// use is walked again), refusing it past ``maximumExpandedNodes`` nodes and refusing any plain
    /// scalar that Yams would read as a base-60 integer too large for 64 bits.
    static func checkTree(_ root: Node, file: String) throws(PipelineFileError) {
        var pending: [(node: Node, key: String)] = [(root, "")]
        var count = 0
        while let (node, key) = pending.popLast() {
            count += 1
            guard count <= maximumExpandedNodes else {
                throw PipelineFileError(file: file, line: node.mark?.line, column: node.mark?.column,
                                        reason: "its aliases (*name) expand to more than \(maximumExpandedNodes) "
                                            + "values; a pipeline file needs a few hundred")
            }
            switch node {
            case .mapping(let mapping):
                for (name, value) in mapping {
                    pending.append((name, key))
                    pending.append((value, key.isEmpty ? name.string ?? "?" : key + "." + (name.string ?? "?")))
                }
            case .sequence(let sequence):
                for (index, element) in sequence.enumerated() { pending.append((element, key + "[\(index)]")) }
            case .scalar(let scalar):
                if scalar.style == .plain && sexagesimalOverflows(scalar.string) {
                    throw PipelineFileError(file: file, line: node.mark?.line, column: node.mark?.column, key: key,
                                            reason: "'\(scalar.string)' reads as a base-60 number (as 1:30:00) too large for an integer")
                }
            default:
                break
            }
        }
    }

    /// Whether Yams's YAML 1.1 base-60 reading of `text` (`1:30:00` = 5400) overflows 64 bits:
    /// Yams computes it without overflow checks and would trap. Mirrors its steps: no radix
    /// prefix, parts split at `:`, the parts that parse as decimal integers taken from the right,
    /// each times 60^k.
    static func sexagesimalOverflows(_ text: String) -> Bool {
        guard text.contains(":") else { return false }
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        guard !body.hasPrefix("0") else { return false }
        var value = 0, base = 1
        for digit in body.split(separator: ":", omittingEmptySubsequences: false).compactMap({ Int($0, radix: 10) }).reversed() {
            let (term, termOverflow) = digit.multipliedReportingOverflow(by: base)
            let (sum, sumOverflow) = value.addingReportingOverflow(term)
            let (next, baseOverflow) = base.multipliedReportingOverflow(by: 60)
            if termOverflow || sumOverflow || baseOverflow { return true }
            (value, base) = (sum, next)
        }
        return false
    }
}
