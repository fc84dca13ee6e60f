#!/usr/bin/env python3
"""Make the targets benchmark annotations for the W1 photos (scripts/make_bench_jpegs.py):
about five objects per image, as a COCO file and as a mask folder.

Usage: python3 scripts/make_bench_targets.py [IMAGES=/tmp/bench-jpegs] [OUT=/tmp/bench-targets]
Writes OUT/instances.json (COCO: per object a pixel `xywh` box inside the image, an octagon
polygon inscribed in it, one of 3 categories; file names relative to IMAGES) and OUT/masks/<stem>.png
(8-bit class maps: the octagons filled with category id, 0 background). Deterministic: numpy seed 14.

    augment bench pipeline /tmp/bench-jpegs --recipe imagenet --task detection --annotations /tmp/bench-targets/instances.json
    augment bench pipeline /tmp/bench-jpegs --recipe imagenet --task segmentation --annotations /tmp/bench-targets/masks
    python3 scripts/baseline_pipeline.py /tmp/bench-jpegs --annotations /tmp/bench-targets \\
        --tool w3-albumentations --tool w3-albumentations-detection --tool w3-albumentations-segmentation
"""
import json
import math
import os
import sys

import cv2
import numpy as np


def octagon(x, y, w, h):
    cx, cy = x + w / 2, y + h / 2
    return [(cx + w / 2 * math.cos(k * math.pi / 4), cy + h / 2 * math.sin(k * math.pi / 4)) for k in range(8)]


def main():
    images_dir = sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench-jpegs"
    out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/bench-targets"
    os.makedirs(os.path.join(out, "masks"), exist_ok=True)
    names = sorted(n for n in os.listdir(images_dir) if n.lower().endswith((".jpg", ".jpeg", ".png")))
    rng = np.random.default_rng(14)
    images, annotations = [], []
    for image_id, name in enumerate(names):
        height, width = cv2.imread(os.path.join(images_dir, name), cv2.IMREAD_GRAYSCALE).shape
        images.append({"id": image_id, "file_name": name, "width": width, "height": height})
        mask = np.zeros((height, width), np.uint8)
        for _ in range(int(rng.integers(4, 7))):
            # Two decimals, rounded down: x + w stays inside the image.
            w = math.floor(rng.uniform(0.1, 0.5) * width * 100) / 100
            h = math.floor(rng.uniform(0.1, 0.5) * height * 100) / 100
            x = math.floor(rng.uniform(0, width - w) * 100) / 100
            y = math.floor(rng.uniform(0, height - h) * 100) / 100
            category = int(rng.integers(1, 4))
            polygon = octagon(x, y, w, h)
            cv2.fillPoly(mask, [np.round(np.array(polygon) - 0.5).astype(np.int32)], category)
            annotations.append({"id": len(annotations) + 1, "image_id": image_id, "category_id": category,
                                "bbox": [x, y, w, h], "iscrowd": 0, "area": round(w * h, 2),
                                "segmentation": [[round(v, 2) for point in polygon for v in point]]})
        cv2.imwrite(os.path.join(out, "masks", os.path.splitext(name)[0] + ".png"), mask)
    categories = [{"id": i, "name": name} for i, name in enumerate(["disc", "tile", "blob"], start=1)]
    with open(os.path.join(out, "instances.json"), "w") as f:
        json.dump({"images": images, "annotations": annotations, "categories": categories}, f)
    print(f"{len(annotations)} objects on {len(images)} images of {images_dir} in {out}")


if __name__ == "__main__":
    main()
