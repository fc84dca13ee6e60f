#!/usr/bin/env python3
"""Class-index mask PNGs for SampleWindow's window decode, under
Tests/ImagingTests/Fixtures/mask-windows/.

The PNGs are written by the small encoder below (not libpng), so each row's filter is
chosen (None, Sub, Up, Average, Paeth in turn, then runs of Up and Paeth so a window's first
row depends on rows above it), the image data is split over several IDAT chunks, and the
expected samples (NAME.u16, little-endian uint16, row-major) are the values encoded, known
without any decoder. Files:

  gray8.png     8-bit gray, 53x29 (rows wider than two 16-byte blocks), 3 IDATs, a tEXt chunk
  gray16.png    16-bit gray, 41x19, values above 255
  palette8.png  8-bit palette (PLTE + tRNS), 47x23: the samples are the indices
  palette4.png  4-bit palette, 13x7 (decoded whole by libpng, indices unscaled)
  gray8-trns.png  8-bit gray with tRNS: two channels once decoded (not a mask)

Usage: python3 scripts/make_mask_window_fixtures.py   (numpy; deterministic, seed 14)
"""
import os
import struct
import zlib

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "ImagingTests", "Fixtures", "mask-windows")


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def filtered(rows, bpp):
    """Each row filtered by its filter type (a cycle of all five, then Up and Paeth runs)."""
    out, prior = bytearray(), bytes(len(rows[0]))
    for y, row in enumerate(rows):
        kind = y % 5 if y < 10 else (2 if (y // 3) % 2 else 4)
        encoded = bytearray()
        for x, value in enumerate(row):
            left = row[x - bpp] if x >= bpp else 0
            up = prior[x]
            corner = prior[x - bpp] if x >= bpp else 0
            predictor = [0, left, up, (left + up) // 2, paeth(left, up, corner)][kind]
            encoded.append((value - predictor) & 0xFF)
        out += bytes([kind]) + encoded
        prior = row
    return bytes(out)


def png(width, height, depth, color, rows_bytes, bpp, extra_before=(), idat_parts=3):
    header = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, 0)
    stream = zlib.compress(filtered(rows_bytes, bpp), 9)
    cut = [len(stream) * k // idat_parts for k in range(idat_parts + 1)]
    parts = [chunk(b"IDAT", stream[cut[k]:cut[k + 1]]) for k in range(idat_parts)]
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + b"".join(extra_before) + b"".join(parts)
            + chunk(b"IEND", b""))


def classes(rng, width, height, top):
    """A class map: rectangles of classes over a background, with a few noisy pixels."""
    values = np.zeros((height, width), np.int64)
    for _ in range(6):
        x, y = rng.integers(0, width - 2), rng.integers(0, height - 2)
        w, h = rng.integers(2, width - x + 1), rng.integers(2, height - y + 1)
        values[y:y + h, x:x + w] = rng.integers(1, top)
    noise = rng.random((height, width)) < 0.05
    values[noise] = rng.integers(0, top, noise.sum())
    return values


def save(name, data, samples):
    with open(os.path.join(OUT, name + ".png"), "wb") as f:
        f.write(data)
    with open(os.path.join(OUT, name + ".u16"), "wb") as f:
        f.write(np.asarray(samples, "<u2").tobytes())


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(14)

    gray8 = classes(rng, 53, 29, 256)
    text = chunk(b"tEXt", b"Comment\x00class indices")
    save("gray8", png(53, 29, 8, 0, [bytes(r.tolist()) for r in gray8], 1, [text]), gray8)

    gray16 = classes(rng, 41, 19, 65536)
    rows16 = [b"".join(struct.pack(">H", v) for v in r.tolist()) for r in gray16]
    save("gray16", png(41, 19, 16, 0, rows16, 2), gray16)

    palette8 = classes(rng, 47, 23, 21)
    plte = chunk(b"PLTE", bytes(rng.integers(0, 256, 21 * 3).tolist()))
    trns = chunk(b"tRNS", bytes([0] + [255] * 20))
    save("palette8", png(47, 23, 8, 3, [bytes(r.tolist()) for r in palette8], 1, [plte, trns]), palette8)

    palette4 = classes(rng, 13, 7, 16)
    packed = [bytes(((int(r[2 * i]) << 4) | (int(r[2 * i + 1]) if 2 * i + 1 < len(r) else 0)) for i in range((len(r) + 1) // 2))
              for r in palette4]
    save("palette4", png(13, 7, 4, 3, packed, 1, [chunk(b"PLTE", bytes(range(48)))], idat_parts=1), palette4)

    gray_alpha = classes(rng, 9, 5, 4)
    samples = np.stack([gray_alpha, np.where(gray_alpha == 3, 0, 255)], axis=-1)
    save("gray8-trns", png(9, 5, 8, 0, [bytes(r.tolist()) for r in gray_alpha], 1, [chunk(b"tRNS", b"\x00\x03")], 1),
         samples)
    print("mask window fixtures in", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
