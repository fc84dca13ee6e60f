// Probing, decoding at a reduced DCT scale, Pillow-exact resizing and encoding.
// snippet.hide
import Imaging

// snippet.show
let path = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "photo.jpg"
let info = try ImageInfo.probe(contentsOf: path)                 // header only: format, size, channels, depth, pages
print(info)
let image = try Image.decode(contentsOf: path,
                             options: DecodeOptions(minimumSize: (224, 224)))  // DCT-scaled, EXIF-upright
let thumb = try image.resized(width: 224, height: 224, interpolation: .bilinear)  // Pillow-exact
try thumb.converted(to: .grayscale).write(to: "/tmp/thumb.png", as: .png(compressionLevel: 6))
