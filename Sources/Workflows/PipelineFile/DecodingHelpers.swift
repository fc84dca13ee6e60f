extension KeyedDecodingContainer {
    /// The value at `key`, or `fallback` when the key is absent or null.
    func value<T: Decodable>(_ key: Key, default fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }

    /// One of a fixed set of words, with an error that lists the accepted ones.
    func word(_ key: Key, in accepted: [String], default fallback: String) throws -> String {
        guard let word = try decodeIfPresent(String.self, forKey: key) else { return fallback }
        try check(accepted.contains(word), key,
                  "'\(word)' is not one of: \(accepted.joined(separator: ", "))")
        return word
    }

    /// Throws a located error unless `condition` holds for the value at `key`.
    func check(_ condition: Bool, _ key: Key, _ reason: @autoclosure () -> String) throws {
        if !condition {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: reason())
        }
    }
}
