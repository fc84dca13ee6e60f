#!/usr/bin/env python3
"""Generate the WebP test fixtures under Tests/ImagingTests/Fixtures/webp/.

Lossless RGB and RGBA, lossy RGB (Pillow's libwebp decodes the reference;
lossy decoders of different libwebp versions may differ by a level or two),
plus broken files the decoder must refuse with a typed error: a damaged
bitstream, a truncated file and a two-frame animation. References are raw
8-bit HWC arrays with a manifest.json in the format of the codecs fixtures.

Usage: pip install pillow numpy && python3 scripts/make_webp_fixtures.py
Deterministic: numpy seed 2026.
"""
import io, json, os
import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "ImagingTests", "Fixtures", "webp")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(2026)
W, H = 13, 9
manifest = []


def pattern(channels):
    y, x = np.mgrid[0:H, 0:W]
    planes = [((x * (c + 1) * 19 + y * (3 - c % 3) * 23 + rng.integers(0, 16, size=(H, W))) % 256)
              for c in range(channels)]
    return np.stack(planes, axis=-1).astype(np.uint8)


def add(name, array, mode, max_abs_diff, **save):
    buffer = io.BytesIO()
    Image.fromarray(array, mode).save(buffer, "WEBP", **save)
    data = buffer.getvalue()
    with open(os.path.join(OUT, name + ".webp"), "wb") as f:
        f.write(data)
    decoded = np.asarray(Image.open(io.BytesIO(data)).convert(mode))
    with open(os.path.join(OUT, name + ".u8"), "wb") as f:
        f.write(np.ascontiguousarray(decoded).tobytes())
    manifest.append(dict(file=name + ".webp", format="webp", mode="decode", width=W, height=H,
                         channels=decoded.shape[2], bit_depth=8, reference=name + ".u8",
                         max_abs_diff=max_abs_diff))
    return data


lossless = add("webp-lossless-rgb", pattern(3), "RGB", 0, lossless=True)
add("webp-lossless-rgba", pattern(4), "RGBA", 0, lossless=True)
add("webp-lossy-rgb", pattern(3), "RGB", 3, quality=80)

# Broken files: a damaged VP8L bitstream (header intact), a cut file, an animation.
damaged = bytearray(lossless)
for i in range(30, len(damaged)):
    damaged[i] ^= 0x5A
with open(os.path.join(OUT, "webp-damaged.webp"), "wb") as f:
    f.write(bytes(damaged))
with open(os.path.join(OUT, "webp-truncated.webp"), "wb") as f:
    f.write(lossless[: len(lossless) // 2])
frames = [Image.fromarray(pattern(3), "RGB") for _ in range(2)]
buffer = io.BytesIO()
frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:], lossless=True, duration=100)
with open(os.path.join(OUT, "webp-animated.webp"), "wb") as f:
    f.write(buffer.getvalue())

with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
