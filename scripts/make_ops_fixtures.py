#!/usr/bin/env python3
"""Golden outputs of torchvision.transforms.v2.functional for Augment's ops.

Writes Tests/AugmentationTests/Fixtures/torchvision-ops/ops.json: one small RGB image
(3 x 10 x 12, uint8 values from torch.manual_seed(0)) and, per case, the functional calls
with fixed parameters and torchvision's output. torchvision runs on the image as float32 in
0...1 (ToDtype(float32, scale=True)); outputs are stored x255 (pixel units, as Augment's
kernel writes them) except after normalize, which stores the normalised values.

It also writes pixel-ops.json beside it: the pixel stage (posterize, solarize, equalize,
autocontrast, adjust_sharpness, invert, gaussian_blur, colour after them) and every sub-op of the
automatic augmentation policies at fixed magnitudes, run by torchvision on a uint8 image (3 x 12 x 14,
torch.manual_seed(1)) as RandAugment runs them, outputs in uint8 pixel values (or normalised when
the calls end in normalize); AugMix's mixing (fixed weights and chains, torchvision's formula
m0 * image + sum of w_i * chain_i(image), truncated to uint8, its sub-ops through AugMix's
_apply_image_or_video_transform with bilinear interpolation); and torchvision's magnitude tables
(RandAugment, TrivialAugmentWide and AugMix spaces, 10 and 31 bins, on 14 x 12 and 224 x 224
images) as float32 values.

Resizes use antialias=False: Augment's warp is plain bilinear up to 1.5 source pixels per output
pixel and box-prefilters beyond (torchvision's antialias uses a triangle filter there), so the
fixtures stay within that range.

    python3 scripts/make_ops_fixtures.py   # torch + torchvision 0.28 (+ Pillow)
"""
import json
import pathlib

import torch

import tolerant_torchvision  # noqa: F401  (before torchvision: see that module)
import torchvision  # noqa: E402
from torchvision.transforms import v2  # noqa: E402
from torchvision.transforms.v2 import functional as F  # noqa: E402

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "Tests/AugmentationTests/Fixtures/torchvision-ops"
OUT = FIXTURES / "ops.json"
PIXEL_OUT = FIXTURES / "pixel-ops.json"
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
        ("pad_reflect_crop", [["pad", {"padding": [4, 3, 4, 3], "padding_mode": "reflect"}],
                              ["crop", {"top": 1, "left": 0, "height": 14, "width": 18}]],
         lambda x: F.crop(F.pad(x, [4, 3, 4, 3], padding_mode="reflect"), 1, 0, 14, 18)),
        # A padding after a crop pads the crop: its edges, not the pixels beyond it.
        ("crop_pad_reflect", [["crop", {"top": 1, "left": 2, "height": 7, "width": 8}],
                              ["pad", {"padding": [3, 2, 3, 2], "padding_mode": "reflect"}]],
         lambda x: F.pad(F.crop(x, 1, 2, 7, 8), [3, 2, 3, 2], padding_mode="reflect")),
        ("crop_pad_edge", [["crop", {"top": 2, "left": 1, "height": 6, "width": 9}],
                           ["pad", {"padding": [2, 1, 3, 2], "padding_mode": "edge"}]],
         lambda x: F.pad(F.crop(x, 2, 1, 6, 9), [2, 1, 3, 2], padding_mode="edge")),
        # A rotation or an affine map after a crop fills what lies beyond the crop.
        ("crop_rotate_bilinear", [["crop", {"top": 1, "left": 2, "height": 7, "width": 8}],
                                  ["rotate", {"angle": 30.0, "interpolation": "bilinear"}]],
         lambda x: F.rotate(F.crop(x, 1, 2, 7, 8), 30.0, interpolation=bilinear)),
        ("center_crop_rotate_nearest_fill", [["center_crop", {"size": [6, 8]}],
                                             ["rotate", {"angle": -37.0, "interpolation": "nearest", "fill": 128.0}]],
         lambda x: F.rotate(F.center_crop(x, [6, 8]), -37.0, interpolation=nearest, fill=[128.0 / 255] * 3)),
        # A downscaling resized crop: beyond the crop, the fused warp's taps are never nearer the
        # crop than torchvision's taps on the resized image, so whatever torchvision fills wholly is fill here too.
        ("resized_crop_affine", [["resized_crop", {"top": 1, "left": 2, "height": 7, "width": 8, "size": [5, 6]}],
                                 ["affine", {"angle": 20.0, "translate": [1, -2], "scale": 1.1, "shear": [5.0, 3.0],
                                             "interpolation": "bilinear"}]],
         lambda x: F.affine(F.resized_crop(x, 1, 2, 7, 8, [5, 6], interpolation=bilinear, antialias=False),
                            angle=20.0, translate=[1, -2], scale=1.1, shear=[5.0, 3.0], interpolation=bilinear)),
        ("crop_crop_rotate", [["crop", {"top": 1, "left": 1, "height": 9, "width": 10}],
                              ["crop", {"top": 1, "left": 2, "height": 7, "width": 7}],
                              ["rotate", {"angle": 71.0, "interpolation": "nearest"}]],
         lambda x: F.rotate(F.crop(F.crop(x, 1, 1, 9, 10), 1, 2, 7, 7), 71.0, interpolation=nearest)),
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
        case = {
            "name": name, "calls": calls, "normalized": normalized,
            "shape": [result.shape[1], result.shape[2], result.shape[0]],
            "output": [round(v, 5) for v in values.permute(1, 2, 0).flatten().tolist()],
        }
        if sum(call[0] in ("resized_crop", "resize", "rotate", "affine") for call in calls) > 1:
            # Two resamplings, which one fused warp composes into one: record which output pixels
            # torchvision fills wholly (the same calls on an image of ones, filling with 0, give 0).
            ones = function(torch.ones_like(image)) if not any("fill" in c[1] for c in calls) else None
            if ones is None:
                raise SystemExit(f"{name}: a twice-resampled case must fill with 0")
            case["filled"] = [i for i, v in enumerate(ones[0].flatten().tolist()) if v == 0]
        out["cases"].append(case)
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(cases)} cases)")
    pixel_ops()


def pixel_ops():
    torch.manual_seed(1)
    image = torch.randint(0, 256, (3, 12, 14), dtype=torch.uint8)
    # A low-contrast copy (values 60...139), where equalize and autocontrast do the most.
    dull = (image // 3 + 60).to(torch.uint8)
    policy = v2.RandAugment()

    def sub(op, m):
        return lambda x: policy._apply_image_or_video_transform(x, op, m, interpolation=policy.interpolation,
                                                                fill=policy._fill)

    def normalized(x):
        return F.normalize(F.to_dtype(x, torch.float32, scale=True), MEAN, STD)

    # Each case: the input ("image" or "dull"), the calls ([name, {params}]) and the function.
    cases = [
        ("posterize_3", "image", [["posterize", {"bits": 3}]], lambda x: F.posterize(x, 3)),
        ("posterize_0", "image", [["posterize", {"bits": 0}]], lambda x: F.posterize(x, 0)),
        ("solarize_128", "image", [["solarize", {"threshold": 128.0}]], lambda x: F.solarize(x, 128.0)),
        ("solarize_0", "image", [["solarize", {"threshold": 0.0}]], lambda x: F.solarize(x, 0.0)),
        ("equalize", "image", [["equalize", {}]], F.equalize),
        ("equalize_dull", "dull", [["equalize", {}]], F.equalize),
        ("autocontrast_dull", "dull", [["autocontrast", {}]], F.autocontrast),
        ("adjust_sharpness_0.3", "image", [["adjust_sharpness", {"factor": 0.3}]], lambda x: F.adjust_sharpness(x, 0.3)),
        ("adjust_sharpness_1.8", "image", [["adjust_sharpness", {"factor": 1.8}]], lambda x: F.adjust_sharpness(x, 1.8)),
        ("invert", "image", [["invert", {}]], F.invert),
        ("gaussian_blur_3x5", "image", [["gaussian_blur", {"kernel_size": [3, 5], "sigma": [0.8, 1.3]}]],
         lambda x: F.gaussian_blur(x, [3, 5], [0.8, 1.3])),
        ("gaussian_blur_7", "image", [["gaussian_blur", {"kernel_size": [7, 7], "sigma": [2.0, 2.0]}]],
         lambda x: F.gaussian_blur(x, [7, 7], [2.0, 2.0])),
        ("equalize_then_colour", "dull",
         [["equalize", {}], ["adjust_brightness", {"factor": 1.27}], ["adjust_saturation", {"factor": 0.4}],
          ["adjust_contrast", {"factor": 1.6}], ["rgb_to_grayscale", {}]],
         lambda x: F.rgb_to_grayscale(F.adjust_contrast(F.adjust_saturation(F.adjust_brightness(F.equalize(x), 1.27),
                                                                            0.4), 1.6), num_output_channels=3)),
        ("invert_then_hue", "image", [["invert", {}], ["adjust_hue", {"factor": 0.2}]],
         lambda x: F.adjust_hue(F.invert(x), 0.2)),
        ("posterize_normalize", "image", [["posterize", {"bits": 5}], ["normalize", {"mean": MEAN, "std": STD}]],
         lambda x: normalized(F.posterize(x, 5))),
    ]
    # Geometric magnitudes avoid exact nearest-neighbour ties (a source coordinate at a half),
    # where float rounding alone decides the pixel.
    subops = [("Identity", 0.0), ("ShearX", 0.3), ("ShearX", -0.15), ("ShearY", 0.25), ("TranslateX", 4.7),
              ("TranslateY", -3.2), ("Rotate", 17.0), ("Rotate", -9.0), ("Brightness", 0.27), ("Brightness", -0.5),
              ("Color", 0.63), ("Contrast", -0.36), ("Sharpness", 0.9), ("Sharpness", -0.45), ("Posterize", 6.0),
              ("Solarize", 0.4), ("AutoContrast", 0.0), ("Equalize", 0.0), ("Invert", 0.0)]
    for op, m in subops:
        cases.append((f"policy_{op}_{m}", "image", [["policy", {"op": op, "magnitude": m}]], sub(op, m)))
    # A sequence whose pixel sub-ops come first: the colour sub-ops after them join the pixel stage.
    sequence = [("Equalize", 0.0), ("Brightness", -0.27), ("Posterize", 6.0), ("Contrast", 0.36), ("Sharpness", 0.45),
                ("Solarize", 0.6), ("Color", -0.3), ("AutoContrast", 0.0)]

    def run_sequence(x):
        for op, m in sequence:
            x = sub(op, m)(x)
        return x
    cases.append(("policy_sequence", "dull", [["policy", {"op": op, "magnitude": m}] for op, m in sequence], run_sequence))

    augmix = v2.AugMix()

    def mixed(original, chains):
        def function(x):
            mix = torch.tensor(original, dtype=torch.float32) * x
            for weight, ops in chains:
                chain = x
                for op, m in ops:
                    chain = augmix._apply_image_or_video_transform(chain, op, m, interpolation=augmix.interpolation,
                                                                   fill=augmix._fill)
                mix.add_(torch.tensor(weight, dtype=torch.float32) * chain)
            return mix.to(torch.uint8)
        return function
    mixes = [
        ("augmix_pixel", 0.25, [(0.375, [("Equalize", 0.0)]), (0.125, [("Posterize", 3.0), ("Brightness", 0.3)]),
                                (0.25, [("Solarize", 0.5), ("AutoContrast", 0.0), ("Contrast", -0.4)])]),
        ("augmix_geometric", 0.5, [(0.25, [("Rotate", 12.0)]), (0.125, [("ShearX", 0.2), ("Sharpness", 0.5)]),
                                   (0.125, [("TranslateY", 3.4)])]),
    ]
    out = {
        "generator": "scripts/make_ops_fixtures.py",
        "torchvision": torchvision.__version__,
        "torch": torch.__version__,
        "mixes": [],
        "images": {name: {"shape": [12, 14, 3], "pixels": x.permute(1, 2, 0).flatten().tolist()}
                   for name, x in [("image", image), ("dull", dull)]},
        "cases": [],
        "magnitudes": [],
    }
    inputs = {"image": image, "dull": dull}
    for name, source, calls, function in cases:
        result = function(inputs[source])
        is_normalized = calls[-1][0] == "normalize"
        values = result.permute(1, 2, 0).flatten().tolist()
        out["cases"].append({"name": name, "input": source, "calls": calls, "normalized": is_normalized,
                             "output": [round(v, 6) for v in values] if is_normalized else values})
    for name, original, chains in mixes:
        result = mixed(original, chains)(image)
        out["mixes"].append({"name": name, "original": original, "weights": [w for w, _ in chains],
                             "chains": [[{"op": op, "magnitude": m} for op, m in ops] for _, ops in chains],
                             "output": result.permute(1, 2, 0).flatten().tolist()})
    spaces = {"standard": v2.RandAugment._AUGMENTATION_SPACE, "wide": v2.TrivialAugmentWide._AUGMENTATION_SPACE,
              "augmix": v2.AugMix._AUGMENTATION_SPACE}
    for space, table in spaces.items():
        for bins in (10, 31):
            for height, width in ((12, 14), (224, 224)):
                for op, (magnitudes, signed) in table.items():
                    values = magnitudes(bins, height, width)
                    if values is not None:
                        out["magnitudes"].append({"space": space, "op": op, "bins": bins, "height": height,
                                                  "width": width, "signed": signed,
                                                  "values": [float(v) for v in values.float().tolist()]})
    PIXEL_OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {PIXEL_OUT} ({PIXEL_OUT.stat().st_size} bytes, {len(cases)} cases)")


if __name__ == "__main__":
    main()
