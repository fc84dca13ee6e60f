import COpenSSL
import Tensors

/// A SHA-256 over a stream of batches (each batch's inputs, then its targets,
/// as little-endian Float32 bytes, in delivery order), so anyone can check
/// from the command line that a seed gives the same bytes: OpenSSL's libcrypto.
///
/// ```swift
/// let checksum = BatchChecksum()
/// for batch in loader.epoch(0) { checksum.add(batch) }
/// print(checksum.hexDigest())
/// ```
public final class BatchChecksum {
    private let context: OpaquePointer

    public init() {
        context = EVP_MD_CTX_new()
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds one batch's inputs and targets, then its annotations when it has them (mask
    /// indices or one-hot values, box coordinates, labels and counts, keypoints and counts).
    public func add(_ batch: Batch) {
        for tensor in [batch.inputs, batch.targets] { update(tensor) }
        guard let annotations = batch.annotations else { return }
        switch annotations.masks {
        case .classIndices(let indices): indices.withUnsafeBufferPointer { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count * 4) }
        case .oneHot(let tensor): update(tensor)
        case .instances(let masks):
            update(masks.values)
            update(masks.counts.map { Int64($0) })
        case nil: break
        }
        if let boxes = annotations.boxes {
            update(boxes.coordinates)
            update(boxes.labels)
            update(boxes.counts.map { Int64($0) })
        }
        if let keypoints = annotations.keypoints {
            update(keypoints.values)
            update(keypoints.counts.map { Int64($0) })
        }
    }

    private func update(_ tensor: Tensor) {
        tensor.withUnsafeBufferPointer { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count * MemoryLayout<Float>.stride) }
    }

    private func update<T>(_ values: [T]) {
        values.withUnsafeBytes { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
    }

    /// The digest of everything added so far, as 64 hex digits (finishes the hash).
    public func hexDigest() -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return digest.prefix(Int(length)).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
