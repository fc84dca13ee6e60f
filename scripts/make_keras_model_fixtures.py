#!/usr/bin/env python3
"""Whole Keras models saved by Keras 3, with Keras's outputs, for
Tests/ApplicationsTests/KerasModelFileTests.swift (loading `.keras` archives and legacy full-model `.h5` files).

Weights follow the deterministic rule of scripts/make_keras_application_parity.py (period 257,
so the archives compress to a few hundred KB); inputs are its two sine samples, times 127.5
plus 127.5 for the models that take pixels.

Writes into Tests/ApplicationsTests/Fixtures/models:
- tiny_cnn.keras and tiny_cnn.h5 (legacy, `model_config` attribute): a Sequential CNN on 8x8x3
  pixels (Rescaling, Conv2D, BatchNormalization, MaxPooling2D, DepthwiseConv2D, ReLU(6), Flatten,
  Dropout, Dense softmax);
- siamese.keras: a Functional model of two inputs that calls one Conv2D on both (a shared layer),
  then Concatenate, GlobalAveragePooling2D, a Dense called twice in a chain, and two outputs;
- mobilenet_head.keras: MobileNetV2 alpha 0.35 at 32x32 without top, inside a Sequential with
  a Dropout and a Dense head (a nested application);
- siamese_keras2.h5: the siamese model as a legacy full-model `.h5` whose `model_config` is
  rewritten in Keras 2's serialisation (no `module` keys, `batch_input_shape`, dtype strings,
  inbound nodes as `[[layer, node, tensor, {}]]` lists), which Keras 3 still loads;
- unsupported_layer.keras: a model with a LayerNormalization (Augment has none);
- unsupported_argument.keras: a Dense with an L2 kernel regularizer (Augment has none);
- keras-model-outputs.json: every fixture's outputs on the two inputs.

    python3 scripts/make_keras_model_fixtures.py
"""
import json, os, pathlib, sys, zipfile
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
from keras import layers

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from make_keras_application_parity import fill, inputs  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/ApplicationsTests/Fixtures/models"


def tiny_cnn():
    return keras.Sequential([
        keras.Input(shape=(8, 8, 3)),
        layers.Rescaling(1 / 127.5, offset=-1),
        layers.Conv2D(6, 3, padding="same", activation="relu"),
        layers.BatchNormalization(),
        layers.MaxPooling2D(),
        layers.DepthwiseConv2D(3, padding="same", use_bias=False),
        layers.ReLU(max_value=6),
        layers.Flatten(),
        layers.Dropout(0.25),
        layers.Dense(3, activation="softmax"),
    ], name="tiny_cnn")


def siamese():
    left = keras.Input(shape=(8, 8, 3), name="left")
    right = keras.Input(shape=(8, 8, 3), name="right")
    shared = layers.Conv2D(4, 3, activation="relu", name="shared_conv")
    merged = layers.Concatenate()([shared(left), shared(right)])
    pooled = layers.GlobalAveragePooling2D()(merged)
    square = layers.Dense(8, activation="tanh", name="square")
    twice = square(square(pooled))
    score = layers.Dense(2, activation="softmax", name="score")(twice)
    embedding = layers.Add(name="sum")([pooled, layers.Dense(8, name="project")(pooled)])
    return keras.Model([left, right], [score, embedding], name="siamese")


def mobilenet_head():
    base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(32, 32, 3), alpha=0.35,
                                          pooling="avg")
    return keras.Sequential([keras.Input(shape=(32, 32, 3)), base, layers.Dropout(0.3),
                             layers.Dense(3, activation="softmax")], name="mobilenet_head")


def unsupported():
    x = keras.Input(shape=(4,))
    y = layers.Dense(4, name="dense")(x)
    y = layers.LayerNormalization(name="norm")(y)
    return keras.Model(x, y, name="with_layer_norm")


def deflate(path):
    """Rewrites a `.keras` archive with its members deflated (Keras stores them uncompressed and
    reads either); the rule's short period makes the weights compress well."""
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info, data in members:
            dst.writestr(info.filename, data)


def unsupported_argument():
    x = keras.Input(shape=(4,))
    y = layers.Dense(4, kernel_regularizer="l2", name="regularized")(x)
    return keras.Model(x, y, name="with_regularizer")


def keras2_config(config):
    """Keras 3's Functional config in Keras 2's serialisation."""
    def plain(value):
        if isinstance(value, dict) and "class_name" in value:
            return {"class_name": value["class_name"], "config": value["config"]}
        return value

    def layer(entry):
        cfg = {k: plain(v) for k, v in entry["config"].items()}
        if entry["class_name"] == "InputLayer":
            cfg["batch_input_shape"] = cfg.pop("batch_shape")
            cfg.pop("optional", None)
        cfg["dtype"] = "float32"
        nodes = []
        for node in entry["inbound_nodes"]:
            args = node["args"][0]
            tensors = args if isinstance(args, list) else [args]
            nodes.append([list(t["config"]["keras_history"]) + [{}] for t in tensors])
        return {"class_name": entry["class_name"], "config": cfg, "name": entry["name"], "inbound_nodes": nodes}

    c = config["config"]
    return {"class_name": "Functional", "config": {"name": c["name"], "layers": [layer(e) for e in c["layers"]],
                                                   "input_layers": c["input_layers"], "output_layers": c["output_layers"]}}


def save_keras2(model, path):
    import h5py
    model.save(path)
    with h5py.File(path, "r+") as f:
        f.attrs["model_config"] = json.dumps(keras2_config(json.loads(f.attrs["model_config"])))
        f.attrs["keras_version"] = "2.15.0"


def predictions(model, pixels):
    xs = [inputs(tuple(i.shape[1:]), pixels) for i in model.inputs]
    ys = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    ys = ys if isinstance(ys, list) else [ys]
    return [{"shape": list(y.shape[1:]), "values": y.reshape(2, -1).tolist()} for y in ys]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    results = {}
    for name, build, pixels in [("tiny_cnn", tiny_cnn, True), ("siamese", siamese, False),
                                ("mobilenet_head", mobilenet_head, False), ("unsupported_layer", unsupported, False),
                                ("unsupported_argument", unsupported_argument, False)]:
        keras.backend.clear_session()
        model = build()
        fill(model, 257)
        path = OUT / f"{name}.keras"
        model.save(path)
        deflate(path)
        results[name] = predictions(model, pixels)
        again = keras.saving.load_model(path)
        assert predictions(again, pixels) == results[name], name
        if name == "tiny_cnn":
            model.save(OUT / "tiny_cnn.h5")
        if name == "siamese":
            legacy = OUT / "siamese_keras2.h5"
            save_keras2(model, legacy)
            keras.backend.clear_session()
            assert predictions(keras.saving.load_model(legacy), pixels) == results[name], legacy
    (OUT / "keras-model-outputs.json").write_text(json.dumps(results) + "\n")
    for path in sorted(OUT.iterdir()):
        print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
