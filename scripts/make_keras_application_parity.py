#!/usr/bin/env python3
"""Keras outputs of the four applications on deterministic weights, for
Tests/ApplicationsTests/ApplicationParityTests.swift and KerasWeightFileTests.swift.

The weight rule (implemented again in Tests/ApplicationsTests/WeightRule.swift): weight k in
`model.weights` order, element i in row-major order, u = 2 ((7919 i + 104729 k) mod P) / P - 1 with
the period P = 65521 for the full-size models (a short period makes ResNet50's sums so coherent
that Keras's own float32 and float64 results differ by 8e-4 of the output) and P = 257 for the
small MobileNetV2 files (which then compress to a few hundred KB),
and by the weight's name: kernel sqrt(1 / fan_in) u (fan_in = kh kw for a depthwise kernel
(kh, kw, c, 1), else the product of all extents but the last), bias 0.1 u, gamma 1 + 0.2 u,
beta 0.1 u, moving_mean 0.1 u, moving_variance 1 + 0.5 u, mean 0.5 + 0.1 u, variance 0.06 + 0.02 u,
count 0. Inputs: two samples, element i of sample n = sin(0.013 i + 0.7 n + 0.3), times 127.5 plus
127.5 for EfficientNetB0 (which takes pixels).

Writes Tests/ApplicationsTests/Fixtures/keras-application-parity.json (full-size architectures at
32x32, no top, average pooling) and, for MobileNetV2 alpha 0.35 at 32x32 without top, the weight
files mobilenet_v2_0.35_32_notop.h5 (legacy, as keras.applications downloads) and
mobilenet_v2_0.35_32_notop.weights.h5 (Keras 3), rewritten in the HDF5 1.10 format with the
larger datasets gzip-compressed to stay small (Keras and libhdf5 read them as they are), with
Keras's outputs in mobilenet_v2_0.35_32.json.

    pip install tensorflow-cpu h5py   # Keras 3 with the TensorFlow backend
    python3 scripts/make_keras_application_parity.py
"""
import json, math, os, pathlib
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import h5py
import numpy as np
import keras
from keras.src.legacy.saving import legacy_h5_format

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/ApplicationsTests/Fixtures"


def rule(k, name, shape, period):
    n = int(np.prod(shape)) if shape else 1
    i = np.arange(n, dtype=np.int64)
    u = 2.0 * ((7919 * i + 104729 * k) % period) / period - 1.0
    leaf = name.split("/")[-1]
    if leaf == "kernel":
        fan_in = shape[0] * shape[1] if len(shape) == 4 and shape[3] == 1 else int(np.prod(shape[:-1]))
        v = math.sqrt(1.0 / fan_in) * u
    elif leaf in ("bias", "beta", "moving_mean"):
        v = 0.1 * u
    elif leaf == "gamma":
        v = 1 + 0.2 * u
    elif leaf == "moving_variance":
        v = 1 + 0.5 * u
    elif leaf == "mean":
        v = 0.5 + 0.1 * u
    elif leaf == "variance":
        v = 0.06 + 0.02 * u
    elif leaf == "count":
        v = np.zeros(n)
    else:
        raise ValueError(f"no rule for {name}")
    return v.reshape(shape)


def fill(model, period):
    for k, w in enumerate(model.weights):
        w.assign(rule(k, w.path, tuple(w.shape), period).astype(w.dtype))


def inputs(shape, pixels):
    n = int(np.prod(shape))
    x = np.stack([np.sin(0.013 * np.arange(n) + 0.7 * s + 0.3) for s in range(2)]).astype(np.float32)
    if pixels:
        x = x * 127.5 + 127.5
    return x.reshape((2,) + tuple(shape))


def outputs(model, pixels):
    x = inputs(model.inputs[0].shape[1:], pixels)
    y = model.predict(x, verbose=0)
    return {"output_shape": list(y.shape[1:]), "outputs": y.reshape(2, -1).tolist()}


def compress(path):
    """Rewrites an HDF5 file in the 1.10 format (compact groups), datasets over 512 elements with
    shuffle + gzip, attributes kept."""
    tmp = path.with_suffix(".tmp")
    with h5py.File(path, "r") as src, h5py.File(tmp, "w", libver=("v110", "v110")) as dst:
        def copy(s, d):
            for key, value in s.attrs.items():
                d.attrs[key] = value
            for name, obj in s.items():
                if isinstance(obj, h5py.Group):
                    copy(obj, d.create_group(name))
                else:
                    data = obj[()]
                    # Chunked datasets carry a B-tree of a few KB: only large ones are worth it.
                    opts = dict(compression="gzip", compression_opts=9, shuffle=True) if obj.size > 512 else {}
                    ds = d.create_dataset(name, data=data, **opts)
                    for key, value in obj.attrs.items():
                        ds.attrs[key] = value
        copy(src, dst)
    tmp.replace(path)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    builders = {
        "vgg16": keras.applications.VGG16, "resnet50": keras.applications.ResNet50,
        "mobilenet_v2": keras.applications.MobileNetV2, "efficientnet_b0": keras.applications.EfficientNetB0,
    }
    parity = {}
    for name, build in builders.items():
        keras.backend.clear_session()
        model = build(include_top=False, weights=None, input_shape=(32, 32, 3), pooling="avg")
        fill(model, 65521)
        parity[name] = outputs(model, pixels=name == "efficientnet_b0")
    (OUT / "keras-application-parity.json").write_text(json.dumps(parity) + "\n")

    keras.backend.clear_session()
    small = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(32, 32, 3), alpha=0.35)
    fill(small, 257)
    legacy = OUT / "mobilenet_v2_0.35_32_notop.h5"
    with h5py.File(legacy, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, small)
    compress(legacy)
    v3 = OUT / "mobilenet_v2_0.35_32_notop.weights.h5"
    small.save_weights(v3)
    compress(v3)
    (OUT / "mobilenet_v2_0.35_32.json").write_text(json.dumps(outputs(small, pixels=False)) + "\n")
    # Both files load back into Keras with the same outputs.
    for path in (legacy, v3):
        keras.backend.clear_session()
        again = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(32, 32, 3), alpha=0.35)
        if path.suffix == ".h5" and not path.name.endswith(".weights.h5"):
            with h5py.File(path, "r") as f:
                legacy_h5_format.load_weights_from_hdf5_group(f, again)
        else:
            again.load_weights(path)
        assert outputs(again, pixels=False) == outputs(small, pixels=False), path


if __name__ == "__main__":
    main()
