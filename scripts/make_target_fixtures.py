#!/usr/bin/env python3
"""Golden outputs of albumentations' target kernels for Augment's target geometry.

For a handful of fixed affine maps (pixel-index coordinates, source -> output, the
convention of OpenCV's warpAffine), records:
  * boxes: albumentations' `bboxes_affine_largest_box` (corners forward, enclosing box)
    on edge coordinates, then `filter_bboxes` (clip + min_area + min_visibility, with
    min_width = min_height = 0), labels carried as an extra column;
  * keypoints: `keypoints_affine` (columns x, y, z, angle, scale) with a constant border, and albumentations' inside
    test (0 <= x < width, 0 <= y < height);
  * masks: `warp_affine` with INTER_NEAREST and fill 255 (albumentations' mask path).
    The maps avoid exact half-pixel pre-images on the border: there OpenCV still samples
    the edge pixel while Augment (round half up) counts the point as outside.
Writes Tests/AugmentationTests/Fixtures/targets/albumentations.json.

torchvision's v2 kernels are the second reference: scripts/make_torchvision_target_fixtures.py.

Usage: pip install albumentations==2.0.8 numpy opencv-python-headless
       python3 scripts/make_target_fixtures.py
Deterministic: numpy seed 14.
"""
import json, math, os
import cv2
import numpy as np
from albumentations.augmentations.geometric import functional as fgeometric
from albumentations.core.bbox_utils import filter_bboxes

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "AugmentationTests", "Fixtures", "targets")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(14)
SW, SH = 20, 16


def translate(x, y):
    return np.array([[1, 0, x], [0, 1, y], [0, 0, 1]], dtype=np.float64)


def rotation(degrees, cx, cy):
    r = math.radians(degrees)
    rotate = np.array([[math.cos(r), math.sin(r), 0], [-math.sin(r), math.cos(r), 0], [0, 0, 1]])
    return translate(cx, cy) @ rotate @ translate(-cx, -cy)


cases = [
    ("shift", translate(3.25, -2.375), SW, SH, 0.0, 0.0),
    ("hflip", np.array([[-1, 0, SW - 1], [0, 1, 0], [0, 0, 1]], dtype=np.float64), SW, SH, 0.0, 0.0),
    ("scale-up", np.diag([1.5, 1.25, 1.0]) @ translate(-2, -1), 24, 18, 0.0, 0.0),
    ("rotate-30", rotation(30, (SW - 1) / 2, (SH - 1) / 2), SW, SH, 4.0, 0.3),
    ("shear-zoom", np.array([[0.8, 0.3, 1.0], [0.1, 0.9, 2.0], [0, 0, 1]]), 18, 14, 0.0, 0.5),
]

boxes = np.array([[2, 3, 9, 8], [11.5, 4, 19, 15], [0, 0, 4, 3], [15, 11, 20, 16], [6, 6, 7, 7]], dtype=np.float64)
labels = np.arange(len(boxes), dtype=np.float64)
points = np.array([[0, 0], [5, 7], [19, 15], [10.5, 3.25], [18, 1], [2, 14]], dtype=np.float64)
mask = rng.integers(0, 6, size=(SH, SW)).astype(np.uint8)
edge = lambda m: translate(0.5, 0.5) @ m @ translate(-0.5, -0.5)

records = []
for name, matrix, width, height, min_area, min_visibility in cases:
    warped = fgeometric.bboxes_affine_largest_box(np.column_stack([boxes, labels]), edge(matrix))
    normalised = warped.copy()
    normalised[:, [0, 2]] /= width
    normalised[:, [1, 3]] /= height
    kept = filter_bboxes(normalised, {"height": height, "width": width}, min_area=min_area,
                         min_visibility=min_visibility, min_width=0, min_height=0)
    kept = np.asarray(kept, dtype=np.float64).reshape(-1, normalised.shape[1] if len(kept) else 4)
    out_boxes = []
    for row in kept:
        out_boxes.append([row[0] * width, row[1] * height, row[2] * width, row[3] * height, int(row[4])])

    keypoints = np.column_stack([points, np.zeros(len(points)), np.zeros(len(points)), np.ones(len(points))])
    moved = fgeometric.keypoints_affine(keypoints, matrix, (height, width), {"x": 1.0, "y": 1.0},
                                        cv2.BORDER_CONSTANT)
    out_points = [[float(x), float(y), bool(0 <= x < width and 0 <= y < height)] for x, y in moved[:, :2]]

    out_mask = fgeometric.warp_affine(mask, matrix, cv2.INTER_NEAREST, 255, cv2.BORDER_CONSTANT, (height, width))
    records.append(dict(name=name, matrix=matrix[:2].reshape(-1).tolist(), width=width, height=height,
                        min_area=min_area, min_visibility=min_visibility, boxes=out_boxes,
                        keypoints=out_points, mask=out_mask.reshape(-1).astype(int).tolist()))

with open(os.path.join(OUT, "albumentations.json"), "w") as f:
    json.dump(dict(source_width=SW, source_height=SH, boxes=boxes.tolist(), keypoints=points.tolist(),
                   mask=mask.reshape(-1).astype(int).tolist(), cases=records), f)
