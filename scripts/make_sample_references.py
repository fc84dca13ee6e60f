#!/usr/bin/env python3
"""Decode the committed sample files with independent decoders and store the pixels as raw
reference arrays for the Swift codec tests (a build tool, never a runtime dependency).

    python3 scripts/make_sample_references.py            # rewrite the fixtures
    python3 scripts/make_sample_references.py --djpeg    # also compare JPEGs with Debian's djpeg

Output: Tests/ImagingTests/Fixtures/samples-reference/manifest.json and one raw file per entry:
HWC, row-major, no header; `.u8` for 8-bit samples, `.u16` (little-endian) for 16-bit samples.
Channels are as decoded natively: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.

Decoders: Pillow (its own bundled libpng/zlib, libjpeg-turbo and libtiff) for everything except
16-bit RGB TIFF, which Pillow truncates to 8 bits; that one is read with tifffile (pure Python +
zlib, no libtiff). JPEG references use Pillow's defaults, which match libjpeg-turbo's defaults
(islow DCT, fancy upsampling); `max_abs_diff` records the tolerance a conforming decoder needs.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "Tests" / "ImagingTests" / "Fixtures" / "samples-reference"
DIGITS_PER_SET = 10
# Tolerance for JPEG entries: Pillow and Debian's libjpeg-turbo 2.1.5 djpeg agree exactly (max diff 0,
# see --djpeg): libjpeg-turbo's islow IDCT and fancy upsampling are bit-exact across versions.
JPEG_TOLERANCE = 0

CHANNELS_BY_MODE = {"L": 1, "LA": 2, "RGB": 3, "RGBA": 4, "I;16": 1}


def sniff(path: Path) -> str:
    head = path.read_bytes()[:8]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    raise ValueError(f"{path}: unknown format")


def decode(path: Path, fmt: str) -> tuple[np.ndarray, str]:
    """Return (HWC array of uint8 or uint16, decoder name)."""
    if fmt == "tiff":
        import tifffile

        with tifffile.TiffFile(path) as tif:
            page = tif.pages[0]
            if page.bitspersample == 16:
                array = page.asarray()
                return (array if array.ndim == 3 else array[..., None]), f"tifffile {tifffile.__version__}"
    with Image.open(path) as image:
        mode = image.mode
        if mode not in CHANNELS_BY_MODE:
            raise ValueError(f"{path}: unexpected Pillow mode {mode}")
        array = np.asarray(image)
    if mode == "I;16":
        array = array.astype(np.uint16)
    if array.ndim == 2:
        array = array[..., None]
    return array, f"Pillow {Image.__version__}"


def djpeg_max_diff(path: Path, reference: np.ndarray) -> int | None:
    """Max |difference| between our reference and Debian's djpeg (default settings)."""
    djpeg = shutil.which("djpeg")
    if djpeg is None:
        return None
    pnm = subprocess.run([djpeg, "-pnm", str(path)], check=True, capture_output=True).stdout
    other = np.asarray(Image.open(BytesIO(pnm)))
    if other.ndim == 2:
        other = other[..., None]
    if other.shape != reference.shape:
        raise ValueError(f"{path}: djpeg shape {other.shape} != {reference.shape}")
    return int(np.abs(other.astype(np.int32) - reference.astype(np.int32)).max())


def chosen_digits() -> list[Path]:
    """The first file (by name) of each class in digits/train: one per digit, 10 in all."""
    root = REPO / "samples" / "digits" / "train"
    return [sorted((root / str(label)).glob("*.png"))[0] for label in range(DIGITS_PER_SET)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--djpeg", action="store_true", help="compare JPEGs with djpeg (libjpeg-turbo-progs)")
    args = parser.parse_args()

    files = sorted((REPO / "samples" / "photos").rglob("*.*")) + chosen_digits()
    shutil.rmtree(FIXTURES, ignore_errors=True)
    FIXTURES.mkdir(parents=True)
    manifest = []
    for path in files:
        relative = path.relative_to(REPO).as_posix()
        fmt = sniff(path)
        array, decoder = decode(path, fmt)
        bit_depth = 16 if array.dtype == np.uint16 else 8
        reference = relative.removeprefix("samples/").replace("/", "-") + (".u16" if bit_depth == 16 else ".u8")
        raw = array.astype("<u2" if bit_depth == 16 else np.uint8, copy=False)
        (FIXTURES / reference).write_bytes(np.ascontiguousarray(raw).tobytes())
        tolerance = JPEG_TOLERANCE if fmt == "jpeg" else 0
        entry = {
            "file": relative,
            "format": fmt,
            "width": int(array.shape[1]),
            "height": int(array.shape[0]),
            "channels": int(array.shape[2]),
            "bit_depth": bit_depth,
            "reference": reference,
            "max_abs_diff": tolerance,
            "decoder": decoder,
        }
        manifest.append(entry)
        note = ""
        if fmt == "jpeg" and args.djpeg:
            diff = djpeg_max_diff(path, array)
            note = f"  djpeg max diff {diff}" if diff is not None else "  (djpeg not installed)"
            if diff is not None and diff > tolerance:
                sys.exit(f"{relative}: djpeg differs by {diff} > tolerance {tolerance}")
        print(f"{relative}: {fmt} {entry['width']}x{entry['height']}x{entry['channels']} {bit_depth}-bit{note}")
    (FIXTURES / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    total = sum(p.stat().st_size for p in FIXTURES.iterdir())
    print(f"{len(manifest)} references, {total} bytes in {FIXTURES.relative_to(REPO)}")


if __name__ == "__main__":
    main()
