#!/usr/bin/env python3
"""Golden outputs of torchvision.transforms.v2.functional for Augment's ops.

Writes Tests/AugmentationTests/Fixtures/torchvision-ops/ops.json: one small RGB image
(3 x 10 x 12, uint8 values from torch.manual_seed(0)) and, per case, the functional calls
with fixed parameters and torchvision's output. torchvision runs on the image as float32 in
0...1 (ToDtype(float32, scale=True)); outputs are stored x255 (pixel units, as Augment's
kernel writes them) except after normalize, which stores the normalised values.

Resizes use antialias=False: Augment's warp is plain bilinear up to 1.5 source pixels per output
pixel and box-prefilters beyond (torchvision's antialias uses a triangle filter there), so the
fixtures stay within that range.

    python3 scripts/make_ops_fixtures.py   # torch + torchvision 0.28 (+ Pillow)
"""
import json
import pathlib

import torch
import torch.library

# A torchvision wheel built for another torch may fail to register its C++ ops (nms, ...) at
# import; the functional image ops used here are pure PyTorch, so skip those registrations.
_register_fake = torch.library.register_fake


def _tolerant_register_fake(name, *args, **kwargs):
    def decorate(function):
        try:
            return _register_fake(name, *args, **kwargs)(function)
        except RuntimeError:
            return function
    return decorate


torch.library.register_fake = _tolerant_register_fake
import torchvision  # noqa: E402
from torchvision.transforms.v2 import functional as F  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/AugmentationTests/Fixtures/torchvision-ops/ops.json"
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def main():
    torch.manual_seed(0)
    image8 = torch.randint(0, 256, (3, 10, 12), dtype=torch.uint8)
    image = image8.float() / 255
    bilinear, nearest = F.InterpolationMode.BILINEAR, F.InterpolationMode.NEAREST

    # Each case: the calls in order ([name, {params}]) and the function applying them.
    cases = [
        ("resized_crop", [["resized_crop", {"top": 1, "left": 2, "height": 6, "width": 7, "size": [8, 9]}]],
         lambda x: F.resized_crop(x, 1, 2, 6, 7, [8, 9], interpolation=bilinear, antialias=False)),
        ("resize_down", [["resize", {"size": [8, 10]}]],
         lambda x: F.resize(x, [8, 10], interpolation=bilinear, antialias=False)),
        ("center_crop", [["center_crop", {"size": [6, 9]}]], lambda x: F.center_crop(x, [6, 9])),
        ("center_crop_padded", [["center_crop", {"size": [13, 14]}]], lambda x: F.center_crop(x, [13, 14])),
        ("pad_edge_crop", [["pad", {"padding": [2, 1, 3, 2], "padding_mode": "edge"}],
                           ["crop", {"top": 0, "left": 1, "height": 8, "width": 15}]],
         lambda x: F.crop(F.pad(x, [2, 1, 3, 2], padding_mode="edge"), 0, 1, 8, 15)),
        ("pad_symmetric_crop", [["pad", {"padding": [4, 3, 4, 3], "padding_mode": "symmetric"}],
                                ["crop", {"top": 1, "left": 0, "height": 14, "width": 18}]],
         lambda x: F.crop(F.pad(x, [4, 3, 4, 3], padding_mode="symmetric"), 1, 0, 14, 18)),
        ("pad_constant_crop", [["pad", {"padding": [3, 3, 3, 3], "padding_mode": "constant"}],
                               ["crop", {"top": 5, "left": 4, "height": 9, "width": 12}]],
         lambda x: F.crop(F.pad(x, [3, 3, 3, 3], fill=0.0, padding_mode="constant"), 5, 4, 9, 12)),
        ("horizontal_flip", [["horizontal_flip", {}]], F.horizontal_flip),
        ("vertical_flip", [["vertical_flip", {}]], F.vertical_flip),
        ("rotate_bilinear", [["rotate", {"angle": 30.0, "interpolation": "bilinear"}]],
         lambda x: F.rotate(x, 30.0, interpolation=bilinear)),
        ("rotate_nearest", [["rotate", {"angle": -25.0, "interpolation": "nearest"}]],
         lambda x: F.rotate(x, -25.0, interpolation=nearest)),
        ("affine", [["affine", {"angle": 20.0, "translate": [1, -2], "scale": 1.1, "shear": [5.0, 3.0],
                                "interpolation": "bilinear"}]],
         lambda x: F.affine(x, angle=20.0, translate=[1, -2], scale=1.1, shear=[5.0, 3.0], interpolation=bilinear)),
        ("adjust_brightness", [["adjust_brightness", {"factor": 1.3}]], lambda x: F.adjust_brightness(x, 1.3)),
        ("adjust_contrast", [["adjust_contrast", {"factor": 0.6}]], lambda x: F.adjust_contrast(x, 0.6)),
        ("adjust_saturation", [["adjust_saturation", {"factor": 1.7}]], lambda x: F.adjust_saturation(x, 1.7)),
        ("adjust_hue", [["adjust_hue", {"factor": 0.2}]], lambda x: F.adjust_hue(x, 0.2)),
        ("adjust_hue_negative", [["adjust_hue", {"factor": -0.35}]], lambda x: F.adjust_hue(x, -0.35)),
        ("rgb_to_grayscale", [["rgb_to_grayscale", {}]], lambda x: F.rgb_to_grayscale(x, num_output_channels=3)),
        ("normalize", [["normalize", {"mean": MEAN, "std": STD}]], lambda x: F.normalize(x, MEAN, STD)),
        ("composed", [["resized_crop", {"top": 2, "left": 1, "height": 7, "width": 9, "size": [8, 8]}],
                      ["horizontal_flip", {}],
                      ["adjust_contrast", {"factor": 1.4}],
                      ["adjust_brightness", {"factor": 1.25}],
                      ["adjust_saturation", {"factor": 0.5}],
                      ["adjust_contrast", {"factor": 0.7}],
                      ["adjust_hue", {"factor": -0.1}],
                      ["normalize", {"mean": MEAN, "std": STD}],
                      ["erase", {"i": 2, "j": 3, "h": 4, "w": 2, "v": [0.0]}]],
         lambda x: F.erase(F.normalize(F.adjust_hue(F.adjust_contrast(F.adjust_saturation(F.adjust_brightness(
             F.adjust_contrast(F.horizontal_flip(F.resized_crop(x, 2, 1, 7, 9, [8, 8], interpolation=bilinear,
                                                                antialias=False)), 1.4), 1.25), 0.5), 0.7), -0.1),
             MEAN, STD), 2, 3, 4, 2, torch.tensor(0.0))),
    ]
    out = {
        "generator": "scripts/make_ops_fixtures.py",
        "torchvision": torchvision.__version__,
        "torch": torch.__version__,
        "image": {"shape": [10, 12, 3], "pixels": image8.permute(1, 2, 0).flatten().tolist()},
        "cases": [],
    }
    for name, calls, function in cases:
        result = function(image)
        normalized = any(call[0] == "normalize" for call in calls)
        values = result if normalized else result * 255
        out["cases"].append({
            "name": name, "calls": calls, "normalized": normalized,
            "shape": [result.shape[1], result.shape[2], result.shape[0]],
            "output": [round(v, 5) for v in values.permute(1, 2, 0).flatten().tolist()],
        })
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(cases)} cases)")


if __name__ == "__main__":
    main()
