#!/usr/bin/env python3
"""Golden outputs of torchvision v2's target kernels (`F.affine` on `BoundingBoxes`, `Mask` and
`KeyPoints`) for Augment's target geometry, the second reference beside albumentations
(scripts/make_target_fixtures.py).

For a few affine draws (angle, translate, scale, shear about the canvas centre, no expand),
records torchvision's forward matrix in Augment's pixel-index convention
(T(-0.5) . M . T(+0.5), M being torchvision's matrix on edge coordinates), and what
torchvision gives for:
  * boxes (XYXY, edge coordinates): corners forward, enclosing box, clamped to the canvas;
  * a mask: nearest sampling, fill 255 (the draws avoid exact half-pixel pre-images, which
    torchvision's grid sampling rounds to even and Augment rounds up);
  * keypoints: torchvision moves continuous coordinates, so a keypoint at pixel index p is
    given to it as p + 0.5 and its result is stored minus 0.5.
Writes Tests/AugmentationTests/Fixtures/targets/torchvision.json.

A torchvision wheel built for another torch may fail to register its C++ ops at import; the
kernels used here are pure PyTorch, so those registrations are skipped.

Usage: python3 scripts/make_torchvision_target_fixtures.py   # torch + torchvision 0.28
"""
import json, os
import torch

import tolerant_torchvision  # noqa: F401  (before torchvision: see that module)
import torchvision  # noqa: E402
from torchvision import tv_tensors  # noqa: E402
from torchvision.transforms.v2 import functional as F  # noqa: E402
from torchvision.transforms.v2.functional._geometry import _get_inverse_affine_matrix  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "AugmentationTests", "Fixtures", "targets")
W, H = 20, 16
BOXES = [[2.0, 3.0, 9.0, 8.0], [11.0, 1.0, 18.0, 6.5], [4.5, 9.0, 15.0, 15.0]]
KEYPOINTS = [[5.0, 5.0], [10.0, 2.0], [16.0, 12.0], [1.0, 14.0]]
DRAWS = [
    dict(angle=0.0, translate=[3.0, -2.0], scale=1.0, shear=[0.0, 0.0]),
    dict(angle=0.0, translate=[0.3, -0.2], scale=1.27, shear=[0.0, 0.0]),
    dict(angle=17.0, translate=[1.3, -0.7], scale=1.1, shear=[0.0, 0.0]),
    dict(angle=-33.0, translate=[-2.2, 1.4], scale=0.85, shear=[0.0, 0.0]),
    dict(angle=8.0, translate=[0.6, 0.9], scale=1.05, shear=[11.0, -6.0]),
]


def mask():
    m = torch.zeros(1, H, W, dtype=torch.uint8)
    m[0, 3:8, 2:9] = 1
    m[0, 1:6, 11:18] = 2
    m[0, 9:15, 5:15] = 3
    return m


def main():
    cases = []
    for draw in DRAWS:
        a = _get_inverse_affine_matrix([W * 0.5, H * 0.5], draw["angle"], draw["translate"], draw["scale"],
                                       draw["shear"], inverted=False)
        # Edge coordinates -> pixel index: x_px = M (x_px + 0.5) - 0.5.
        matrix = [a[0], a[1], a[2] + 0.5 * (a[0] + a[1]) - 0.5, a[3], a[4], a[5] + 0.5 * (a[3] + a[4]) - 0.5]
        boxes = F.affine(tv_tensors.BoundingBoxes(BOXES, format="XYXY", canvas_size=(H, W)), **draw)
        moved_mask = F.affine(tv_tensors.Mask(mask()), fill=255, **draw)
        points = F.affine(tv_tensors.KeyPoints([[x + 0.5, y + 0.5] for x, y in KEYPOINTS], canvas_size=(H, W)), **draw)
        cases.append({
            "draw": draw, "matrix": matrix,
            "boxes": boxes.tolist(),
            "mask": moved_mask[0].reshape(-1).tolist(),
            "keypoints": [[x - 0.5, y - 0.5] for x, y in points.tolist()],
        })
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "torchvision.json"), "w") as f:
        json.dump({"torchvision": torchvision.__version__, "width": W, "height": H, "boxes": BOXES,
                   "mask": mask()[0].reshape(-1).tolist(), "keypoints": KEYPOINTS, "cases": cases}, f)


if __name__ == "__main__":
    main()
