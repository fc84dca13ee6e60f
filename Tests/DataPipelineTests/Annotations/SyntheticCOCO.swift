import Foundation
import Imaging
import TestSupport

/// A generated COCO set: RGB PNGs, each with red rectangles (255, 0, 0) and, at each
/// rectangle's centre pixel, a 3 × 3 yellow square (255, 255, 0) that is the rectangle's
/// keypoint; `annotations.json` gives the boxes (`xywh`), polygons (the rectangles) and
/// the keypoints. What the loader delivers can be measured back from its pixels.
struct SyntheticCOCO {
    struct Object {
        var x: Int, y: Int, width: Int, height: Int, category: Int
        var center: (x: Int, y: Int) { (x + width / 2, y + height / 2) }
    }

    let folder: TemporaryDirectory
    var images: String { folder.path("images") }
    var json: String { folder.path("annotations.json") }

    /// `objects[i]` are image `i`'s rectangles, on a `sizes[i % sizes.count]` canvas.
    init(objects: [[Object]], sizes: [(width: Int, height: Int)]) throws {
        folder = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: folder.path("images"), withIntermediateDirectories: true)
        var images: [[String: Any]] = [], annotations: [[String: Any]] = []
        for (index, rectangles) in objects.enumerated() {
            let (width, height) = sizes[index % sizes.count]
            var pixels = [UInt8](repeating: 0, count: width * height * 3)
            for object in rectangles {
                for y in object.y..<(object.y + object.height) {
                    for x in object.x..<(object.x + object.width) { pixels[(y * width + x) * 3] = 255 }
                }
                let (cx, cy) = object.center
                for y in (cy - 1)...(cy + 1) { for x in (cx - 1)...(cx + 1) { pixels[(y * width + x) * 3 + 1] = 255 } }
                let (x0, y0, x1, y1) = (object.x, object.y, object.x + object.width, object.y + object.height)
                annotations.append(["id": annotations.count + 1, "image_id": index, "category_id": object.category,
                                    "bbox": [x0, y0, object.width, object.height], "iscrowd": 0,
                                    "segmentation": [[x0, y0, x1, y0, x1, y1, x0, y1]], "keypoints": [cx, cy, 2]])
            }
            let name = String(format: "img%03d.png", index)
            try Image(width: width, height: height, channels: 3, pixels: pixels).write(to: folder.path("images/" + name), as: .png())
            images.append(["id": index, "file_name": name, "width": width, "height": height])
        }
        let file: [String: Any] = ["images": images, "annotations": annotations,
                                   "categories": [["id": 1, "name": "square"], ["id": 2, "name": "bar"]]]
        try JSONSerialization.data(withJSONObject: file, options: [.sortedKeys]).write(to: URL(fileURLWithPath: json))
    }

    /// `count` images of 2 to 5 rectangles each, laid out on a grid so they never overlap.
    static func detection(count: Int) throws -> SyntheticCOCO {
        let objects = (0..<count).map { i in
            (0..<(2 + i % 4)).map { k in
                Object(x: 4 + (k % 3) * 34, y: 4 + (k / 3) * 40, width: 14 + (i + k) % 12, height: 12 + (i * 3 + k) % 20,
                       category: 1 + k % 2)
            }
        }
        return try SyntheticCOCO(objects: objects, sizes: [(112, 96), (104, 90), (120, 88)])
    }

    /// `count` images with one large rectangle each, placed differently.
    static func roundTrip(count: Int) throws -> SyntheticCOCO {
        let objects = (0..<count).map { i in
            [Object(x: 30 + (i * 7) % 20, y: 24 + (i * 5) % 16, width: 40 + (i * 3) % 14, height: 34 + (i * 11) % 12,
                    category: 1 + i % 2)]
        }
        return try SyntheticCOCO(objects: objects, sizes: [(128, 112), (140, 100)])
    }
}
