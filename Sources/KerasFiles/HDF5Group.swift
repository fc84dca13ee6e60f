import CHDF5
import CPUBudget
import Foundation
import Training

/// A group of an HDF5 file (the file itself is its root group), read and
/// written through Debian's libhdf5. Failures are
/// ``TrainingError/weightsFile(path:reason:)`` naming the file and the
/// object inside it.
///
/// libhdf5 (Debian's serial build) is not thread-safe: callers run whole
/// file operations inside ``HDF5Group/withLibrary(_:)``.
final class HDF5Group {
    /// The file on disk, for error messages.
    let file: String
    /// Path of the group inside the file (`/` for the root).
    let path: String
    private let id: hid_t
    private let isFile: Bool

    private init(file: String, path: String, id: hid_t, isFile: Bool) {
        self.file = file
        self.path = path
        self.id = id
        self.isFile = isFile
    }

    deinit { _ = isFile ? H5Fclose(id) : H5Gclose(id) }

    private static let lock = NSLock()

    /// Runs `body` holding the process-wide libhdf5 lock, with HDF5's own
    /// error printing turned off.
    static func withLibrary<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        augment_h5_silence_errors()
        return try body()
    }

    /// Opens `path` for reading; throws when it is missing or not HDF5.
    static func open(_ path: String) throws -> HDF5Group {
        guard FileManager.default.fileExists(atPath: path) else {
            throw TrainingError.weightsFile(path: path, reason: "no such file")
        }
        guard H5Fis_hdf5(path) > 0 else { throw TrainingError.weightsFile(path: path, reason: "not an HDF5 file") }
        let id = H5Fopen(path, augment_h5f_acc_rdonly(), augment_h5p_default())
        guard id >= 0 else { throw TrainingError.weightsFile(path: path, reason: "libhdf5 cannot open it") }
        return HDF5Group(file: path, path: "/", id: id, isFile: true)
    }

    /// Creates (or truncates) `path` for writing.
    static func create(_ path: String) throws -> HDF5Group {
        let id = H5Fcreate(path, augment_h5f_acc_trunc(), augment_h5p_default(), augment_h5p_default())
        guard id >= 0 else { throw TrainingError.weightsFile(path: path, reason: "libhdf5 cannot create it") }
        return HDF5Group(file: path, path: "/", id: id, isFile: true)
    }

    private func fail(_ reason: String, _ name: String? = nil) -> TrainingError {
        let object = name.map { path == "/" ? "/\($0)" : "\(path)/\($0)" } ?? path
        return TrainingError.weightsFile(path: file, reason: "\(object): \(reason)")
    }

    private func child(_ name: String) -> String { path == "/" ? "/\(name)" : "\(path)/\(name)" }

    // MARK: Reading

    /// Whether a link `name` exists in this group.
    func contains(_ name: String) -> Bool { H5Lexists(id, name, augment_h5p_default()) > 0 }

    /// Names of the group's members, in HDF5's name order.
    func memberNames() throws -> [String] {
        var info = H5G_info_t()
        guard H5Gget_info(id, &info) >= 0 else { throw fail("cannot list the group") }
        return try (0..<info.nlinks).map { index in
            let size = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, augment_h5p_default())
            guard size >= 0 else { throw fail("cannot read member \(index)'s name") }
            var buffer = [CChar](repeating: 0, count: Int(size) + 1)
            H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, Int(size) + 1, augment_h5p_default())
            return String(decoding: buffer.prefix(Int(size)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// Whether member `name` is a group (false for datasets and missing members).
    func isGroup(_ name: String) -> Bool {
        guard contains(name) else { return false }
        let object = H5Oopen(id, name, augment_h5p_default())
        guard object >= 0 else { return false }
        defer { H5Oclose(object) }
        return H5Iget_type(object) == H5I_GROUP
    }

    /// The subgroup `name`; throws when it is missing.
    func group(_ name: String) throws -> HDF5Group {
        guard isGroup(name) else { throw fail("no such group", name) }
        let group = H5Gopen2(id, name, augment_h5p_default())
        guard group >= 0 else { throw fail("cannot open the group", name) }
        return HDF5Group(file: file, path: child(name), id: group, isFile: false)
    }

    /// The shape of dataset `name` (empty for a scalar).
    func datasetShape(_ name: String) throws -> [Int] {
        try withDataset(name) { _, shape in shape }
    }

    /// The values of dataset `name` converted to Float (HDF5 converts
    /// float64 and integer datasets), with its shape. A dataset whose
    /// dataspace claims more than `MemoryLimit.current` (a lying or hostile
    /// file: HDF5 stores unwritten chunks as nothing, so a 1 KB file can claim
    /// terabytes) is refused before anything is allocated.
    func dataset(_ name: String) throws -> (shape: [Int], values: [Float]) {
        try withDataset(name) { dataset, shape in
            let bytes = MemoryLimit.product(shape + [MemoryLayout<Float>.size])
            guard bytes <= MemoryLimit.current.bytes else {
                throw fail("the dataset's shape \(shape) needs \(MemoryLimit.format(bytes)), more than the memory limit "
                           + "of \(MemoryLimit.format(MemoryLimit.current.bytes))", name)
            }
            var values = [Float](repeating: 0, count: MemoryLimit.product(shape))
            let status = values.withUnsafeMutableBytes {
                H5Dread(dataset, augment_h5t_native_float(), augment_h5s_all(), augment_h5s_all(), augment_h5p_default(), $0.baseAddress)
            }
            guard status >= 0 else { throw fail("cannot read the values as Float", name) }
            return (shape, values)
        }
    }

    private func withDataset<T>(_ name: String, _ body: (hid_t, [Int]) throws -> T) throws -> T {
        guard contains(name), !isGroup(name) else { throw fail("no such dataset", name) }
        let dataset = H5Dopen2(id, name, augment_h5p_default())
        guard dataset >= 0 else { throw fail("cannot open the dataset", name) }
        defer { H5Dclose(dataset) }
        let space = H5Dget_space(dataset)
        defer { H5Sclose(space) }
        let rank = H5Sget_simple_extent_ndims(space)
        guard rank >= 0 else { throw fail("unreadable dataspace", name) }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        H5Sget_simple_extent_dims(space, &dims, nil)
        return try body(dataset, dims.map { Int($0) })
    }

    /// The strings of attribute `name` (a scalar gives one); nil when the
    /// attribute is missing; an empty non-string array (h5py writes `[]` as
    /// float64) gives none.
    func strings(attribute name: String) throws -> [String]? {
        guard H5Aexists(id, name) > 0 else { return nil }
        let attribute = H5Aopen(id, name, augment_h5p_default())
        guard attribute >= 0 else { throw fail("cannot open attribute '\(name)'") }
        defer { H5Aclose(attribute) }
        let space = H5Aget_space(attribute)
        defer { H5Sclose(space) }
        let count = Int(H5Sget_simple_extent_npoints(space))
        let type = H5Aget_type(attribute)
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_STRING else {
            if count == 0 { return [] }
            throw fail("attribute '\(name)' holds no strings")
        }
        if H5Tis_variable_str(type) > 0 {
            let memory = H5Tcopy(augment_h5t_c_s1())
            defer { H5Tclose(memory) }
            H5Tset_size(memory, augment_h5t_variable())
            H5Tset_cset(memory, H5Tget_cset(type))
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            guard H5Aread(attribute, memory, &pointers) >= 0 else { throw fail("cannot read attribute '\(name)'") }
            defer { H5Dvlen_reclaim(memory, space, augment_h5p_default(), &pointers) }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
        let size = H5Tget_size(type)
        let byteCount = MemoryLimit.product([count, size])
        guard byteCount <= MemoryLimit.current.bytes else {
            throw fail("attribute '\(name)' claims \(MemoryLimit.format(byteCount)), more than the memory limit")
        }
        var bytes = [UInt8](repeating: 0, count: byteCount)
        guard H5Aread(attribute, type, &bytes) >= 0 else { throw fail("cannot read attribute '\(name)'") }
        return (0..<count).map { index in
            let slice = bytes[(index * size)..<((index + 1) * size)]
            return String(decoding: slice.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    // MARK: Writing

    /// A new subgroup `name`.
    func createGroup(_ name: String) throws -> HDF5Group {
        let group = H5Gcreate2(id, name, augment_h5p_default(), augment_h5p_default(), augment_h5p_default())
        guard group >= 0 else { throw fail("cannot create the group", name) }
        return HDF5Group(file: file, path: child(name), id: group, isFile: false)
    }

    /// A new little-endian float32 dataset (int64 when `asInteger`, for
    /// Keras's integer variables), written from `values`.
    func writeDataset(_ name: String, shape: [Int], values: [Float], asInteger: Bool = false) throws {
        var dims = shape.map { hsize_t($0) }
        let space = H5Screate_simple(Int32(dims.count), &dims, nil)
        guard space >= 0 else { throw fail("cannot make a dataspace of shape \(shape)", name) }
        defer { H5Sclose(space) }
        let fileType = asInteger ? augment_h5t_std_i64le() : augment_h5t_ieee_f32le()
        let dataset = H5Dcreate2(id, name, fileType, space, augment_h5p_default(), augment_h5p_default(), augment_h5p_default())
        guard dataset >= 0 else { throw fail("cannot create the dataset", name) }
        defer { H5Dclose(dataset) }
        let status = values.withUnsafeBytes {
            H5Dwrite(dataset, augment_h5t_native_float(), augment_h5s_all(), augment_h5s_all(), augment_h5p_default(), $0.baseAddress)
        }
        guard status >= 0 else { throw fail("cannot write the values", name) }
    }

    /// Attribute `name` as one variable-length UTF-8 string (what h5py writes for a `str`).
    func writeAttribute(_ name: String, string: String) throws {
        let type = H5Tcopy(augment_h5t_c_s1())
        defer { H5Tclose(type) }
        H5Tset_size(type, augment_h5t_variable())
        H5Tset_cset(type, H5T_CSET_UTF8)
        let space = H5Screate(H5S_SCALAR)
        defer { H5Sclose(space) }
        let attribute = H5Acreate2(id, name, type, space, augment_h5p_default(), augment_h5p_default())
        guard attribute >= 0 else { throw fail("cannot create attribute '\(name)'") }
        defer { H5Aclose(attribute) }
        let status = string.withCString { text -> herr_t in
            var pointer: UnsafePointer<CChar>? = text
            return H5Awrite(attribute, type, &pointer)
        }
        guard status >= 0 else { throw fail("cannot write attribute '\(name)'") }
    }
}
