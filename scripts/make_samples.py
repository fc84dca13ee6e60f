#!/usr/bin/env python3
"""Regenerate Augment's sample data under samples/ (a build tool, never a runtime dependency).

    pip install scikit-learn scikit-image Pillow tifffile numpy
    python3 scripts/make_samples.py            # writes samples/digits and samples/photos
    python3 scripts/make_sample_references.py  # then the decoder reference arrays

Everything is deterministic: the digits split uses a fixed seed and every photo is derived
from a file bundled inside the scikit-image wheel (no network access). The two output folders
are deleted and rewritten on each run; samples/README.md is hand-written and left alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
SPLIT_SEED = 20240801
TEST_FRACTION = 0.2
DIGIT_SIZE = 28


# --------------------------------------------------------------------------------------------
# Digits: sklearn.datasets.load_digits (UCI optical digits, 1,797 images of 8x8, values 0..16)
# --------------------------------------------------------------------------------------------

def stratified_split(labels: np.ndarray, seed: int, test_fraction: float) -> np.ndarray:
    """Boolean mask, True for test. Per class (in label order), a permutation drawn from one
    numpy Generator(PCG64(seed)); the first round(n * test_fraction) indices go to test."""
    rng = np.random.default_rng(seed)
    is_test = np.zeros(labels.shape[0], dtype=bool)
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        permuted = rng.permutation(members)
        is_test[permuted[: int(round(members.size * test_fraction))]] = True
    return is_test


def digit_to_image(pixels_0_16: np.ndarray) -> Image.Image:
    """8x8 values 0..16 -> 0..255 (round(v * 255 / 16)) -> 28x28 with Pillow bicubic."""
    scaled = np.rint(pixels_0_16.astype(np.float64) * 255.0 / 16.0).astype(np.uint8)
    return Image.fromarray(scaled, mode="L").resize((DIGIT_SIZE, DIGIT_SIZE), Image.Resampling.BICUBIC)


def make_digits(out: Path) -> dict[str, int]:
    from sklearn.datasets import load_digits

    digits = load_digits()
    images, labels = digits.images, digits.target
    assert images.shape == (1797, 8, 8), images.shape
    is_test = stratified_split(labels, SPLIT_SEED, TEST_FRACTION)
    counts = {"train": 0, "test": 0}
    for index in range(images.shape[0]):
        split = "test" if is_test[index] else "train"
        folder = out / split / str(int(labels[index]))
        folder.mkdir(parents=True, exist_ok=True)
        digit_to_image(images[index]).save(folder / f"digit_{index:05d}.png", optimize=True)
        counts[split] += 1
    return counts


# --------------------------------------------------------------------------------------------
# Photos: files bundled in the scikit-image wheel (skimage/data/*), never downloaded
# --------------------------------------------------------------------------------------------

def bundled(name: str) -> Path:
    import skimage

    path = Path(skimage.__file__).parent / "data" / name
    if not path.is_file():
        sys.exit(f"{path} is not bundled in this scikit-image install (no download is attempted)")
    return path


def load_rgb(name: str) -> Image.Image:
    return Image.open(bundled(name)).convert("RGB")


def fit_long_side(image: Image.Image, long_side: int) -> Image.Image:
    """Downscale (Pillow Lanczos, antialiased) so the longer side is long_side pixels."""
    w, h = image.size
    scale = long_side / max(w, h)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def float_resize(channel: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Lanczos-resize one float64 channel through Pillow mode 'F' (float32)."""
    return np.asarray(Image.fromarray(channel.astype(np.float32), mode="F").resize(size, Image.Resampling.LANCZOS))


def to_uint16(values: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(values), 0, 65535).astype(np.uint16)


def elliptical_alpha(width: int, height: int) -> np.ndarray:
    """Alpha 255 inside an ellipse at 60% of the half-axes, falling smoothly to 0 at the
    image edge (a feathered vignette, every value 0..255 occurs)."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r = np.hypot((x + 0.5 - width / 2) / (width / 2), (y + 0.5 - height / 2) / (height / 2))
    ramp = np.clip((1.0 - r) / 0.4, 0.0, 1.0)
    return np.rint(255.0 * ramp).astype(np.uint8)


def make_photos(out: Path) -> list[Path]:
    import tifffile

    written: list[Path] = []

    def target(relative: str) -> Path:
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        written.append(path)
        return path

    # animals/chelsea.jpg: baseline JPEG, RGB, quality 90, 4:2:0, optimised Huffman tables.
    chelsea = fit_long_side(load_rgb("chelsea.png"), 256)
    chelsea.save(target("animals/chelsea.jpg"), "JPEG", quality=90, subsampling=2, optimize=True, progressive=False)

    # animals/chelsea_vignette.png: RGBA PNG, alpha = feathered ellipse.
    small = fit_long_side(load_rgb("chelsea.png"), 200)
    rgba = np.dstack([np.asarray(small), elliptical_alpha(*small.size)])
    Image.fromarray(rgba, mode="RGBA").save(target("animals/chelsea_vignette.png"), optimize=True)

    # objects/coffee.png: RGB 8-bit PNG.
    fit_long_side(load_rgb("coffee.png"), 256).save(target("objects/coffee.png"), optimize=True)

    # objects/camera.png: 8-bit grayscale PNG.
    fit_long_side(Image.open(bundled("camera.png")).convert("L"), 256).save(target("objects/camera.png"), optimize=True)

    # objects/coins.jpg: grayscale (1-component) baseline JPEG, quality 90.
    coins = fit_long_side(Image.open(bundled("coins.png")).convert("L"), 256)
    coins.save(target("objects/coins.jpg"), "JPEG", quality=90, optimize=True, progressive=False)

    # space/astronaut.tif: RGB 8-bit TIFF, LZW with horizontal differencing (Predictor=2),
    # written by Pillow through libtiff (several strips).
    astronaut = fit_long_side(load_rgb("astronaut.png"), 224)
    astronaut.save(target("space/astronaut.tif"), "TIFF", compression="tiff_lzw", tiffinfo={317: 2})

    # space/rocket.jpg: progressive JPEG, RGB, quality 90, 4:2:0.
    rocket = fit_long_side(load_rgb("rocket.jpg"), 256)
    rocket.save(target("space/rocket.jpg"), "JPEG", quality=90, subsampling=2, optimize=True, progressive=True)

    # 16-bit files from the Hubble deep field: the 8-bit source is scaled by 257 and resized in
    # float, so the rounded 16-bit samples use the full range (high byte != low byte).
    hubble = np.asarray(load_rgb("hubble_deep_field.jpg")).astype(np.float64) * 257.0
    src_h, src_w = hubble.shape[:2]

    # space/hubble_gray16.png: 16-bit grayscale PNG, ITU-R 601 luma computed in float.
    luma = hubble @ np.array([0.299, 0.587, 0.114])
    size = (256, round(src_h * 256 / src_w))
    Image.fromarray(to_uint16(float_resize(luma, size))).save(target("space/hubble_gray16.png"), optimize=True)

    # space/hubble_rgb16.tif: 16-bit RGB TIFF, Deflate (zlib) compression, written by tifffile.
    size = (160, round(src_h * 160 / src_w))
    rgb16 = np.dstack([to_uint16(float_resize(hubble[..., c], size)) for c in range(3)])
    tifffile.imwrite(target("space/hubble_rgb16.tif"), rgb16, photometric="rgb", compression="zlib")

    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "samples", help="samples folder (default: repo samples/)")
    args = parser.parse_args()

    for sub in ("digits", "photos"):
        shutil.rmtree(args.out / sub, ignore_errors=True)
    counts = make_digits(args.out / "digits")
    photos = make_photos(args.out / "photos")
    print(f"digits: {counts['train']} train, {counts['test']} test")
    for path in photos:
        print(f"{os.path.relpath(path, REPO)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
