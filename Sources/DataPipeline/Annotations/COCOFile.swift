import Foundation

/// The parts of a COCO instances / keypoints JSON file that Augment reads.
struct COCOFile: Decodable {
    struct ImageEntry: Decodable {
        let id: Int
        let file_name: String
        let width: Int
        let height: Int
    }

    struct Category: Decodable {
        let id: Int
        let name: String
    }

    /// A polygon list or a run-length encoding (counts as numbers or COCO's compressed string).
    enum Segmentation: Decodable {
        case polygons([[Double]])
        case runLengths(counts: [Int], height: Int, width: Int)
        case compressedRunLengths(counts: String, height: Int, width: Int)

        private struct RLE: Decodable {
            enum Counts: Decodable {
                case numbers([Int])
                case text(String)
                init(from decoder: any Decoder) throws {
                    let container = try decoder.singleValueContainer()
                    if let text = try? container.decode(String.self) { self = .text(text) } else {
                        self = .numbers(try container.decode([Int].self))
                    }
                }
            }
            let counts: Counts
            let size: [Int]
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let polygons = try? container.decode([[Double]].self) {
                self = .polygons(polygons)
                return
            }
            let rle = try container.decode(RLE.self)
            guard rle.size.count == 2 else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "RLE size must be [height, width]")
            }
            switch rle.counts {
            case .numbers(let counts): self = .runLengths(counts: counts, height: rle.size[0], width: rle.size[1])
            case .text(let text): self = .compressedRunLengths(counts: text, height: rle.size[0], width: rle.size[1])
            }
        }
    }

    struct Annotation: Decodable {
        let id: Int
        let image_id: Int
        let category_id: Int
        let bbox: [Double]?
        let segmentation: Segmentation?
        let iscrowd: Int?
        let keypoints: [Double]?
    }

    let images: [ImageEntry]
    let annotations: [Annotation]
    let categories: [Category]
}
