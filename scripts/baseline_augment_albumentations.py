"""Baseline for `augment bench augment`: albumentations on the same recipe, one process.

64x64x3 uint8 images -> Affine(rotate ±20°, translate ±20 %, scale 0.8–1.2, bilinear, edge
replicate) + HorizontalFlip + /255 -> float32 batches of 64. Prints wall-clock images/s and
process-CPU images/s (the latter stays meaningful on a shared machine). Not a runtime dependency.

    pip install albumentations && python3 scripts/baseline_augment_albumentations.py --images 10000
"""
import argparse
import statistics
import time

import albumentations as A
import cv2
import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=10000)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cv2.setNumThreads(1)
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(256, args.size, args.size, 3), dtype=np.uint8)
    transform = A.Compose([
        A.Affine(rotate=(-20, 20), translate_percent=(-0.2, 0.2), scale=(0.8, 1.2),
                 interpolation=cv2.INTER_LINEAR, border_mode=cv2.BORDER_REPLICATE, p=1.0),
        A.HorizontalFlip(p=0.5),
    ])
    batch = np.empty((args.batch, args.size, args.size, 3), dtype=np.float32)
    walls, cpus = [], []
    for _ in range(args.runs):
        wall0, cpu0 = time.perf_counter(), time.process_time()
        for i in range(args.images):
            out = transform(image=images[i % len(images)])["image"]
            batch[i % args.batch] = out.astype(np.float32) * np.float32(1 / 255)
        walls.append(time.perf_counter() - wall0)
        cpus.append(time.process_time() - cpu0)
    print(f"albumentations {A.__version__}, 1 process: "
          f"{args.images / statistics.median(walls):.0f} images/s wall, "
          f"{args.images / statistics.median(cpus):.0f} images/s per core (CPU time), median of {args.runs}")


if __name__ == "__main__":
    main()
