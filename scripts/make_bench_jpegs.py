#!/usr/bin/env python3
"""Make the JPEG decode benchmark set: random 200-500 px crops of the colour
photos bundled with scikit-image, saved at quality 90 (Pillow, 4:2:0).

Usage: pip install scikit-image pillow numpy
       python3 scripts/make_bench_jpegs.py [OUT_DIR=/tmp/bench-jpegs] [COUNT=2000]
Deterministic: numpy seed 90 picks the photo, crop size and position of every file.
"""
import os, sys
import numpy as np
from PIL import Image
from skimage import data

PHOTOS = ["astronaut", "chelsea", "coffee", "rocket", "hubble_deep_field", "immunohistochemistry", "retina"]


def load_photos():
    photos = []
    for name in PHOTOS:
        try:
            array = getattr(data, name)()
        except Exception as error:  # not bundled and no network: skip it
            print(f"skipping {name}: {error}", file=sys.stderr)
            continue
        if array.ndim == 3 and array.shape[2] >= 3:
            photos.append((name, np.ascontiguousarray(array[:, :, :3])))
    return photos


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench-jpegs"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    os.makedirs(out, exist_ok=True)
    photos = load_photos()
    rng = np.random.default_rng(90)
    for index in range(count):
        name, photo = photos[rng.integers(len(photos))]
        h, w = photo.shape[:2]
        ch = min(int(rng.integers(200, 501)), h)
        cw = min(int(rng.integers(200, 501)), w)
        y = int(rng.integers(0, h - ch + 1))
        x = int(rng.integers(0, w - cw + 1))
        Image.fromarray(photo[y:y + ch, x:x + cw]).save(os.path.join(out, f"{index:04d}-{name}.jpg"), quality=90)
    print(f"{count} JPEGs from {[n for n, _ in photos]} in {out}")


if __name__ == "__main__":
    main()
