#!/usr/bin/env python3
"""Keras's own description of the four applications, for Tests/ApplicationsTests/ApplicationTableTests.swift.

For each configuration (application, include_top, input shape, alpha, pooling): every
layer's name and class (the input layer left out), the weights in `model.weights` order
as `layer/weight` with their shapes, and the total and trainable parameter counts.
Built with weights=None after `keras.backend.clear_session()`, so unnamed layers get
Keras's first default names (`global_average_pooling2d`, `rescaling`, `normalization`).
Writes Tests/ApplicationsTests/Fixtures/keras-application-tables.json.

    pip install tensorflow-cpu   # Keras 3 with the TensorFlow backend
    python3 scripts/make_keras_application_tables.py
"""
import json, os, pathlib
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/ApplicationsTests/Fixtures/keras-application-tables.json"

BUILDERS = {
    "vgg16": keras.applications.VGG16,
    "resnet50": keras.applications.ResNet50,
    "mobilenet_v2": keras.applications.MobileNetV2,
    "efficientnet_b0": keras.applications.EfficientNetB0,
}

# (application, include_top, input shape, alpha, pooling): two input sizes each, the
# second odd and not square (it exercises correct_pad's asymmetric padding).
CONFIGS = []
for app in BUILDERS:
    for shape in ([224, 224, 3], [75, 99, 3]):
        CONFIGS.append((app, True, shape, None, None))
        CONFIGS.append((app, False, shape, None, None))
    CONFIGS.append((app, False, [96, 96, 3], None, "avg"))
for alpha in (0.35, 0.5, 0.75, 1.3, 1.4):
    CONFIGS.append(("mobilenet_v2", False, [224, 224, 3], alpha, None))
CONFIGS.append(("mobilenet_v2", True, [96, 96, 3], 1.4, "max"))


def describe(app, include_top, shape, alpha, pooling):
    keras.backend.clear_session()
    kwargs = dict(include_top=include_top, weights=None, input_shape=tuple(shape), pooling=pooling, classes=7)
    if alpha is not None:
        kwargs["alpha"] = alpha
    model = BUILDERS[app](**kwargs)
    layers = [[l.name, type(l).__name__] for l in model.layers if type(l).__name__ != "InputLayer"]
    weights = [[w.path, list(w.shape)] for w in model.weights]
    trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
    return {
        "application": app, "include_top": include_top, "input_shape": shape,
        "alpha": alpha if alpha is not None else 1.0, "pooling": pooling or "none", "classes": 7,
        "name": model.name, "output_shape": list(model.outputs[0].shape[1:]),
        "params": int(model.count_params()), "trainable_params": trainable,
        "layers": layers, "weights": weights,
    }


def main():
    tables = [describe(*config) for config in CONFIGS]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"keras": keras.__version__, "models": tables}, separators=(",", ":")) + "\n")
    for t in tables:
        print(t["application"], t["include_top"], t["input_shape"], t["alpha"], t["pooling"], t["params"])


if __name__ == "__main__":
    main()
