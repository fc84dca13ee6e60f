#!/usr/bin/env python3
"""Generate the codec test fixtures under Tests/ImagingTests/Fixtures/codecs/.

Every PNG colour type x bit depth (written by the small encoder below, with
tRNS and Adam7 variants), JPEGs (baseline, progressive, grayscale, CMYK,
EXIF orientations 2..8, one large enough for DCT scaling) and TIFFs (strips
with several compressions, tiled, 16-bit, palette, gray+alpha, bilevel,
multi-page). Reference arrays are decoded by Pillow (or, for 16-bit samples
Pillow cannot hold, by tifffile / the source array) and stored as raw
little-endian HWC files with a manifest.json.

Usage: pip install pillow numpy tifffile && python3 scripts/make_codec_fixtures.py
Deterministic: numpy seed 2024.
"""
import io, json, os, struct, zlib
import numpy as np
from PIL import Image, ImageOps
import tifffile

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "ImagingTests", "Fixtures", "codecs")
rng = np.random.default_rng(2024)
W, H = 13, 9
manifest = []


def pattern(h, w, channels, maximum):
    """Smooth gradients plus noise, values in 0...maximum."""
    y, x = np.mgrid[0:h, 0:w]
    planes = []
    for c in range(channels):
        base = (x * (c + 1) * 37 + y * (3 - c % 3) * 53) % (maximum + 1)
        noise = rng.integers(0, max(maximum // 8, 1) + 1, size=(h, w))
        planes.append((base + noise) % (maximum + 1))
    return np.stack(planes, axis=-1).astype(np.uint16 if maximum > 255 else np.uint8)


def save_raw(name, array):
    array = np.ascontiguousarray(array)
    if array.ndim == 2:
        array = array[:, :, None]
    suffix = ".u16" if array.dtype == np.uint16 else ".u8"
    path = name + suffix
    with open(os.path.join(OUT, path), "wb") as f:
        f.write(array.astype("<u2" if array.dtype == np.uint16 else np.uint8).tobytes())
    return path, array


def add(file, fmt, reference, mode="decode", max_abs_diff=0, **extra):
    ref_name, array = save_raw(os.path.splitext(file)[0] + ("-" + mode if mode != "decode" else "")
                               + extra.pop("ref_suffix", ""), reference)
    h, w, c = array.shape
    entry = dict(file=file, format=fmt, mode=mode, width=w, height=h, channels=c,
                 bit_depth=16 if array.dtype == np.uint16 else 8, reference=ref_name,
                 max_abs_diff=max_abs_diff)
    entry.update(extra)
    manifest.append(entry)


# ---------------------------------------------------------------- PNG writer
def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def pack_row(row, depth):
    """row: 1-D array of samples (already interleaved)."""
    if depth == 8:
        return row.astype(np.uint8).tobytes()
    if depth == 16:
        return row.astype(">u2").tobytes()
    per_byte = 8 // depth
    padded = np.zeros(-(-len(row) // per_byte) * per_byte, dtype=np.uint8)
    padded[:len(row)] = row
    out = bytearray()
    for i in range(0, len(padded), per_byte):
        v = 0
        for s in padded[i:i + per_byte]:
            v = (v << depth) | int(s)
        out.append(v)
    return bytes(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def write_png(path, samples, color_type, depth, palette=None, trns=None, interlace=False):
    h, w = samples.shape[:2]
    flat = samples.reshape(h, w, -1)
    raw = bytearray()
    if interlace:
        for x0, y0, dx, dy in ADAM7:
            sub = flat[y0::dy, x0::dx]
            if sub.size == 0:
                continue
            for row in sub:
                raw += b"\0" + pack_row(row.reshape(-1), depth)
    else:
        for row in flat:
            raw += b"\0" + pack_row(row.reshape(-1), depth)
    data = b"\x89PNG\r\n\x1a\n"
    data += png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, 1 if interlace else 0))
    if palette is not None:
        data += png_chunk(b"PLTE", palette.astype(np.uint8).tobytes())
    if trns is not None:
        data += png_chunk(b"tRNS", trns)
    data += png_chunk(b"IDAT", zlib.compress(bytes(raw), 9))
    data += png_chunk(b"IEND", b"")
    with open(os.path.join(OUT, path), "wb") as f:
        f.write(data)


def pillow_png_reference(path, channels):
    im = Image.open(os.path.join(OUT, path))
    im.load()
    if im.mode in ("I;16", "I;16B", "I"):
        return (np.array(im).astype(np.uint32) >> 8).astype(np.uint8)
    target = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}[channels]
    return np.array(im.convert(target))


def png_cases():
    cases = []
    for depth in (1, 2, 4, 8, 16):
        cases.append(("gray", 0, depth, 1))
    for depth in (8, 16):
        cases += [("rgb", 2, depth, 3), ("gray-alpha", 4, depth, 2), ("rgba", 6, depth, 4)]
    for depth in (1, 2, 4, 8):
        cases.append(("palette", 3, depth, 3))
    for name, color_type, depth, channels in cases:
        for interlace in (False, True):
            if interlace and not (depth in (2, 16) or color_type == 3 and depth == 8):
                continue
            file = f"png-{name}-{depth}{'-adam7' if interlace else ''}.png"
            maximum = (1 << depth) - 1
            if color_type == 3:
                palette = rng.integers(0, 256, size=(1 << depth, 3))
                indices = pattern(H, W, 1, maximum)
                write_png(file, indices, 3, depth, palette=palette, interlace=interlace)
                source = None
            else:
                source = pattern(H, W, channels, maximum)
                write_png(file, source, color_type, depth, interlace=interlace)
            add(file, "png", pillow_png_reference(file, channels))
            if depth == 16:
                add(file, "png", source, mode="decode16")
    # tRNS variants: palette alpha, gray key colour, RGB key colour.
    palette = rng.integers(0, 256, size=(16, 3))
    write_png("png-palette-4-trns.png", pattern(H, W, 1, 15), 3, 4, palette=palette,
              trns=bytes(rng.integers(0, 256, size=10).astype(np.uint8)))
    add("png-palette-4-trns.png", "png", pillow_png_reference("png-palette-4-trns.png", 4))
    gray = pattern(H, W, 1, 255)
    key = int(gray[0, 0, 0])
    write_png("png-gray-8-trns.png", gray, 0, 8, trns=struct.pack(">H", key))
    add("png-gray-8-trns.png", "png", pillow_png_reference("png-gray-8-trns.png", 2))
    rgb = pattern(H, W, 3, 255)
    write_png("png-rgb-8-trns.png", rgb, 2, 8, trns=struct.pack(">HHH", *[int(v) for v in rgb[1, 1]]))
    add("png-rgb-8-trns.png", "png", pillow_png_reference("png-rgb-8-trns.png", 4))


# ---------------------------------------------------------------------- JPEG
def jpeg_cases():
    rgb = Image.fromarray(pattern(H, W, 3, 255))
    rgb.save(os.path.join(OUT, "jpeg-baseline.jpg"), quality=90)
    rgb.save(os.path.join(OUT, "jpeg-progressive.jpg"), quality=90, progressive=True)
    rgb.convert("L").save(os.path.join(OUT, "jpeg-gray.jpg"), quality=90)
    rgb.convert("CMYK").save(os.path.join(OUT, "jpeg-cmyk.jpg"), quality=90)
    for file, mode in (("jpeg-baseline.jpg", "RGB"), ("jpeg-progressive.jpg", "RGB"),
                       ("jpeg-gray.jpg", "L"), ("jpeg-cmyk.jpg", "RGB")):
        add(file, "jpeg", np.array(Image.open(os.path.join(OUT, file)).convert(mode)), max_abs_diff=1)
    for orientation in range(2, 9):
        file = f"jpeg-exif-{orientation}.jpg"
        exif = Image.Exif()
        exif[0x0112] = orientation
        rgb.save(os.path.join(OUT, file), quality=90, exif=exif.tobytes())
        upright = ImageOps.exif_transpose(Image.open(os.path.join(OUT, file))).convert("RGB")
        add(file, "jpeg", np.array(upright), max_abs_diff=1, orientation=orientation)
    big = Image.fromarray(pattern(48, 64, 3, 255)).resize((64, 48))
    big.save(os.path.join(OUT, "jpeg-64x48.jpg"), quality=90)
    add("jpeg-64x48.jpg", "jpeg", np.array(Image.open(os.path.join(OUT, "jpeg-64x48.jpg"))), max_abs_diff=1)
    for request, suffix in (((30, 20), "-half"), ((16, 12), "-quarter"), ((5, 5), "-eighth")):
        im = Image.open(os.path.join(OUT, "jpeg-64x48.jpg"))
        im.draft("RGB", request)
        add("jpeg-64x48.jpg", "jpeg", np.array(im.convert("RGB")), max_abs_diff=1,
            minimum_size=list(request), ref_suffix=suffix)


# ---------------------------------------------------------------------- TIFF
def tiff_cases():
    rgb = pattern(H, W, 3, 255)
    for compression in ("raw", "tiff_lzw", "tiff_adobe_deflate", "packbits", "jpeg"):
        file = f"tiff-rgb-{compression.replace('tiff_', '').replace('_', '-')}.tif"
        Image.fromarray(rgb).save(os.path.join(OUT, file), compression=compression)
        ref = np.array(Image.open(os.path.join(OUT, file)).convert("RGB"))
        add(file, "tiff", ref, max_abs_diff=2 if compression == "jpeg" else 0)
    gray = pattern(H, W, 1, 255)[:, :, 0]
    Image.fromarray(gray).save(os.path.join(OUT, "tiff-gray.tif"), compression="tiff_lzw")
    add("tiff-gray.tif", "tiff", np.array(Image.open(os.path.join(OUT, "tiff-gray.tif"))))
    rgba = pattern(H, W, 4, 255)
    Image.fromarray(rgba).save(os.path.join(OUT, "tiff-rgba.tif"))
    add("tiff-rgba.tif", "tiff", np.array(Image.open(os.path.join(OUT, "tiff-rgba.tif"))))
    la = pattern(H, W, 2, 255)
    tifffile.imwrite(os.path.join(OUT, "tiff-gray-alpha.tif"), la, photometric="minisblack", extrasamples=["unassalpha"])
    add("tiff-gray-alpha.tif", "tiff", np.array(Image.open(os.path.join(OUT, "tiff-gray-alpha.tif")).convert("LA")))
    bilevel = Image.fromarray(((pattern(H, W, 1, 1)[:, :, 0]) * 255).astype(np.uint8)).convert("1")
    bilevel.save(os.path.join(OUT, "tiff-bilevel-g4.tif"), compression="group4")
    add("tiff-bilevel-g4.tif", "tiff", np.array(Image.open(os.path.join(OUT, "tiff-bilevel-g4.tif")).convert("L")))
    # Tiled (tifffile), 8-bit RGB and 16-bit gray, zlib.
    big = pattern(40, 37, 3, 255)
    tifffile.imwrite(os.path.join(OUT, "tiff-tiled-rgb.tif"), big, tile=(16, 16), photometric="rgb", compression="zlib")
    add("tiff-tiled-rgb.tif", "tiff", np.array(Image.open(os.path.join(OUT, "tiff-tiled-rgb.tif")).convert("RGB")))
    deep = pattern(20, 19, 1, 65535)[:, :, 0]
    tifffile.imwrite(os.path.join(OUT, "tiff-tiled-gray16.tif"), deep, tile=(16, 16), photometric="minisblack")
    add("tiff-tiled-gray16.tif", "tiff", (deep >> 8).astype(np.uint8))
    add("tiff-tiled-gray16.tif", "tiff", tifffile.imread(os.path.join(OUT, "tiff-tiled-gray16.tif")), mode="decode16")
    deep_rgb = pattern(H, W, 3, 65535)
    tifffile.imwrite(os.path.join(OUT, "tiff-rgb16.tif"), deep_rgb, photometric="rgb", rowsperstrip=4)
    add("tiff-rgb16.tif", "tiff", (deep_rgb >> 8).astype(np.uint8))
    add("tiff-rgb16.tif", "tiff", tifffile.imread(os.path.join(OUT, "tiff-rgb16.tif")), mode="decode16")
    # Palette (8-bit indices, 16-bit colormap).
    colormap = rng.integers(0, 65536, size=(3, 256)).astype(np.uint16)
    indices = pattern(H, W, 1, 255)[:, :, 0]
    tifffile.imwrite(os.path.join(OUT, "tiff-palette.tif"), indices, photometric="palette", colormap=colormap)
    add("tiff-palette.tif", "tiff", np.array(Image.open(os.path.join(OUT, "tiff-palette.tif")).convert("RGB")), max_abs_diff=1)
    # Multi-page: three pages of different sizes.
    pages = [pattern(H, W, 3, 255), pattern(7, 5, 3, 255), pattern(4, 6, 3, 255)]
    with tifffile.TiffWriter(os.path.join(OUT, "tiff-multipage.tif")) as writer:
        for page in pages:
            writer.write(page, photometric="rgb")
    for index in (0, 2):
        im = Image.open(os.path.join(OUT, "tiff-multipage.tif"))
        im.seek(index)
        add("tiff-multipage.tif", "tiff", np.array(im.convert("RGB")), page=index, page_count=3,
            ref_suffix=f"-page{index}")


# -------------------------------------------------------------------- resize
RESIZE_OUT = os.path.join(OUT, "..", "resize")
FILTERS = {"nearest": Image.NEAREST, "bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC,
           "box": Image.BOX, "hamming": Image.HAMMING, "lanczos": Image.LANCZOS}


def resize_cases():
    """Pillow's resize of RGB, L and RGBA sources to smaller, larger and mixed sizes."""
    global rng
    codec_rng, rng = rng, np.random.default_rng(31)  # own stream: codec fixtures stay put
    entries = []
    rgba = pattern(23, 31, 4, 255)
    rgba[:, :, 3] = np.where(rgba[:, :, 3] < 40, 0, rgba[:, :, 3])  # some fully transparent pixels
    sources = {"rgb": pattern(23, 31, 3, 255), "gray": pattern(23, 31, 1, 255)[:, :, 0], "rgba": rgba}
    for name, array in sources.items():
        source_file = f"source-{name}.u8"
        with open(os.path.join(RESIZE_OUT, source_file), "wb") as f:
            f.write(array.tobytes())
        for interpolation, resample in FILTERS.items():
            for width, height in ((10, 7), (47, 40), (31, 11), (8, 23)):
                out = np.array(Image.fromarray(array).resize((width, height), resample))
                file = f"{name}-{interpolation}-{width}x{height}.u8"
                with open(os.path.join(RESIZE_OUT, file), "wb") as f:
                    f.write(out.tobytes())
                entries.append(dict(source=source_file, source_width=31, source_height=23,
                                    channels=array.shape[2] if array.ndim == 3 else 1, interpolation=interpolation,
                                    width=width, height=height, reference=file))
    with open(os.path.join(RESIZE_OUT, "manifest.json"), "w") as f:
        json.dump(entries, f, indent=1)
    rng = codec_rng


def main():
    os.makedirs(RESIZE_OUT, exist_ok=True)
    for name in os.listdir(RESIZE_OUT):
        os.remove(os.path.join(RESIZE_OUT, name))
    resize_cases()
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        os.remove(os.path.join(OUT, name))
    png_cases()
    jpeg_cases()
    tiff_cases()
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"{len(manifest)} entries, {len(os.listdir(OUT))} files, {total} bytes")


if __name__ == "__main__":
    main()
