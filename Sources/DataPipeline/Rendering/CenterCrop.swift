import Imaging

/// Keras's `keep_aspect_ratio`: the largest centred region of the image with
/// the target's aspect ratio (as `load_img` crops before resizing).
enum CenterCrop {
    /// The crop of `image` with aspect `width : height`; the image itself when it already fits.
    ///
    /// Keras: `crop_height = (width * target_h) // target_w`,
    /// `crop_width = (height * target_w) // target_h`, keep the smaller side's
    /// full extent, centre with `(size - crop) // 2`.
    static func crop(_ image: Image, toAspectWidth width: Int, height: Int) -> Image {
        rect(width: image.width, height: image.height, toAspectWidth: width, height: height).map { crop(image, to: $0) } ?? image
    }

    /// The region ``crop(_:toAspectWidth:height:)`` keeps of an `imageWidth × imageHeight`
    /// image, `nil` when it keeps all of it.
    static func rect(width imageWidth: Int, height imageHeight: Int, toAspectWidth width: Int,
                     height: Int) -> (x: Int, y: Int, width: Int, height: Int)? {
        let cropWidth = min(imageWidth, imageHeight * width / height)
        let cropHeight = min(imageHeight, imageWidth * height / width)
        guard cropWidth != imageWidth || cropHeight != imageHeight, cropWidth > 0, cropHeight > 0 else { return nil }
        return ((imageWidth - cropWidth) / 2, (imageHeight - cropHeight) / 2, cropWidth, cropHeight)
    }

    /// The `rect` region of `image`.
    static func crop(_ image: Image, to rect: (x: Int, y: Int, width: Int, height: Int)) -> Image {
        let (left, top, cropWidth, cropHeight) = rect
        let rowBytes = cropWidth * image.channels
        var pixels = [UInt8]()
        pixels.reserveCapacity(rowBytes * cropHeight)
        for row in top ..< top + cropHeight {
            let start = ((row * image.width) + left) * image.channels
            pixels += image.pixels[start ..< start + rowBytes]
        }
        var cropped = Image(width: cropWidth, height: cropHeight, channels: image.channels)
        cropped.pixels = pixels
        return cropped
    }
}
