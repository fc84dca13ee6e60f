import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element: name, trimmed text and children, enough for Pascal VOC files.
struct XMLTree: Sendable {
    var name: String
    var text: String
    var children: [XMLTree]

    /// The first child named `name`.
    func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }

    /// Every child named `name`, in document order.
    func all(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }

    /// Parses `data`; the parser's message when it is not well-formed XML.
    static func parse(_ data: Data) -> Result<XMLTree, ParseFailure> {
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            let line = parser.lineNumber
            return .failure(ParseFailure(message: "not well-formed XML near line \(line): "
                + (parser.parserError.map { "\($0.localizedDescription)" } ?? "no root element")))
        }
        return .success(root)
    }

    struct ParseFailure: Error {
        var message: String
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack = [XMLTree]()
        var root: XMLTree?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            stack.append(XMLTree(name: elementName, text: "", children: []))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?) {
            guard var element = stack.popLast() else { return }
            element.text = element.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
        }
    }
}
