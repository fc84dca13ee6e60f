#!/usr/bin/env python3
"""Golden outputs of torchvision.transforms.v2's MixUp and CutMix for Augment's batch ops.

Writes Tests/AugmentationTests/Fixtures/torchvision-batch-ops/batch_ops.json:

- "boxes": CutMix's box and corrected lambda from torchvision's own `CutMix.make_params`, with its
  Beta draw and its two `torch.randint` calls replaced by fixed lambda, r_x and r_y (so the box
  arithmetic, truncation and clamping are torchvision's, not a copy of them);
- "batch": one tiny float32 batch (N x C x H x W, torch's layout) with integer labels, and
  "mixup"/"cutmix": `MixUp.transform` / `CutMix.transform` of that batch and of its labels
  (num_classes one-hot) for fixed parameters, as exact float32 values.

    python3 scripts/make_batch_op_fixtures.py   # torch + torchvision 0.28
"""
import json
import pathlib
import sys
from unittest import mock

import torch

# make_ops_fixtures makes torchvision importable when its compiled ops do not load.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import make_ops_fixtures  # noqa: E402,F401
from torchvision.transforms import v2  # noqa: E402

OUT = (pathlib.Path(__file__).resolve().parent.parent
       / "Tests/AugmentationTests/Fixtures/torchvision-batch-ops/batch_ops.json")
CLASSES = 4


def cutmix_params(height, width, lam, r_x, r_y):
    """torchvision's CutMix.make_params with its three random draws fixed."""
    cutmix = v2.CutMix(num_classes=CLASSES)
    draws = iter([torch.tensor([r_x]), torch.tensor([r_y])])
    with mock.patch.object(cutmix._dist, "sample", return_value=torch.tensor([lam])), \
            mock.patch("torch.randint", side_effect=lambda *a, **k: next(draws)):
        params = cutmix.make_params([torch.zeros(2, 3, height, width)])
    return cutmix, params


def floats(t):
    return [float(v) for v in t.flatten().tolist()]


def main():
    boxes = []
    for height, width, lam, r_x, r_y in [
        (8, 10, 0.75, 3, 7), (8, 10, 0.0, 0, 0), (8, 10, 1.0, 5, 4), (224, 224, 0.3, 17, 200),
        (224, 224, 0.999, 111, 0), (7, 13, 0.5, 12, 6), (5, 3, 0.01, 1, 2), (33, 17, 0.62, 16, 32),
    ]:
        _, params = cutmix_params(height, width, lam, r_x, r_y)
        x1, y1, x2, y2 = params["box"]
        boxes.append({"height": height, "width": width, "lambda": lam, "r_x": r_x, "r_y": r_y,
                      "box": [x1, y1, x2, y2], "lambda_adjusted": params["lam_adjusted"]})

    generator = torch.Generator().manual_seed(0)
    images = torch.rand(3, 2, 4, 5, generator=generator) * 255
    labels = torch.tensor([2, 0, 3])
    mixup = v2.MixUp(num_classes=CLASSES)
    mixups = []
    for lam in [0.3, 0.8125, 0.123456789]:
        params = {"lam": lam, "labels": labels, "batch_size": 3}
        mixups.append({"lambda": lam, "images": floats(mixup.transform(images, params)),
                       "labels": floats(mixup.transform(labels, params))})
    cutmixes = []
    for lam, r_x, r_y in [(0.5, 2, 1), (0.2, 4, 3), (0.9, 0, 0)]:
        cutmix, params = cutmix_params(4, 5, lam, r_x, r_y)
        params = {**params, "labels": labels, "batch_size": 3}
        cutmixes.append({"lambda": lam, "r_x": r_x, "r_y": r_y, "box": list(params["box"]),
                         "lambda_adjusted": params["lam_adjusted"],
                         "images": floats(cutmix.transform(images, params)),
                         "labels": floats(cutmix.transform(labels, params))})

    out = {
        "generator": "scripts/make_batch_op_fixtures.py",
        "torchvision": make_ops_fixtures.torchvision.__version__,
        "torch": torch.__version__,
        "classes": CLASSES,
        "boxes": boxes,
        "batch": {"shape_nchw": list(images.shape), "images": floats(images), "labels": labels.tolist()},
        "mixup": mixups,
        "cutmix": cutmixes,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
