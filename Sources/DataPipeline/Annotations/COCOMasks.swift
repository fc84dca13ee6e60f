import Augmentation

/// One image's COCO segmentations, checked when the file is read and rasterised only when
/// the sample's mask is asked for (each epoch, by the worker rendering it). Held whole, a
/// set's masks would take a class map per image: 0.6 MB for a 640×480 image, 70 GB for
/// COCO's 118k training images; held as polygons and run lengths they take kilobytes.
struct COCOMasks: Sendable {
    /// A checked segmentation: polygons of at least 3 points, or run lengths that cover the image.
    enum Shape: Sendable {
        case polygons([[Double]])
        case runLengths([Int])
    }

    /// One annotation's region and what it paints.
    struct Region: Sendable {
        var shape: Shape
        var label: Int
        var crowd: Bool
    }

    /// `.instances` or `.semantic`.
    let kind: COCOReader.MaskKind
    let width: Int
    let height: Int
    let ignoreIndex: UInt16
    let regions: [Region]

    /// The mask: one plane per non-crowd region in annotation order, or one class map with
    /// `label + 1` per pixel, 0 background, crowd regions `ignoreIndex` (later regions on top).
    func mask() -> SegmentationMask {
        switch kind {
        case .instances:
            let planes = regions.filter { !$0.crowd }.map(plane)
            return try! SegmentationMask(instances: planes, width: width, height: height)   // planes of width × height
        case .semantic, .none:
            var classMap = [UInt16](repeating: 0, count: width * height)
            classMap.withUnsafeMutableBufferPointer { map in
                for region in regions { paint(region, value: region.crowd ? ignoreIndex : UInt16(region.label + 1), into: map) }
            }
            return try! SegmentationMask(classMap: classMap, width: width, height: height)   // width × height values
        }
    }

    private func plane(_ region: Region) -> [UInt8] {
        var plane = [UInt8](repeating: 0, count: width * height)
        plane.withUnsafeMutableBufferPointer { paint(region, value: 1, into: $0) }
        return plane
    }

    /// Sets `value` on `region`'s pixels (polygons painted one after the other: their union).
    private func paint<T>(_ region: Region, value: T, into plane: UnsafeMutableBufferPointer<T>) {
        switch region.shape {
        case .polygons(let polygons):
            for polygon in polygons { RunLengthMask.paint(polygon: polygon, value: value, into: plane, width: width, height: height) }
        case .runLengths(let counts):
            RunLengthMask.paint(counts: counts, value: value, into: plane, width: width, height: height)
        }
    }
}
