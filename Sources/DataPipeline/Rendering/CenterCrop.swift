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
        let cropWidth = min(image.width, image.height * width / height)
        let cropHeight = min(image.height, image.width * height / width)
        guard cropWidth != image.width || cropHeight != image.height, cropWidth > 0, cropHeight > 0 else {
            return image
        }
        let left = (image.width - cropWidth) / 2
        let top = (image.height - cropHeight) / 2
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
