#!/usr/bin/env python3
"""Keras references for Augment's graph engine (Tests/TrainingTests/GraphParityTests.swift).

For each small functional model below: the weights (set by a deterministic rule),
an input, one-hot targets, Keras's output, the categorical cross-entropy and the
gradient of every weight from one tf.GradientTape step, and the summary fields
(name, type, output shape, parameter count, connected nodes).
Writes Tests/TrainingTests/Fixtures/keras-graph/<model>.json.

    pip install tensorflow-cpu   # Keras 3 with the TensorFlow backend
    python3 scripts/make_keras_graph_fixtures.py
"""
import json, math, os, pathlib
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import keras
from keras import layers

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/TrainingTests/Fixtures/keras-graph"


def residual():
    x = keras.Input((6, 6, 2))
    a = layers.Conv2D(4, 3, padding="same", activation="relu", name="conv2d")(x)
    b = layers.Conv2D(4, 3, padding="same", name="conv2d_1")(a)
    s = layers.Add(name="add")([a, b])
    r = layers.Activation("relu", name="activation")(s)
    p = layers.MaxPooling2D(name="max_pooling2d")(r)
    f = layers.Flatten(name="flatten")(p)
    y = layers.Dense(3, activation="softmax", name="dense")(f)
    return keras.Model(x, y, name="residual")


def branching():
    x = keras.Input((5, 5, 3))
    a = layers.Conv2D(3, 1, activation="relu", name="conv2d")(x)
    b = layers.Conv2D(2, 3, padding="same", activation="tanh", name="conv2d_1")(x)
    c = layers.Concatenate(name="concatenate")([a, b])
    d = layers.Conv2D(5, 1, name="conv2d_2")(c)
    e = layers.Maximum(name="maximum")([c, d])
    m = layers.Multiply(name="multiply")([e, d])
    s = layers.Subtract(name="subtract")([m, c])
    v = layers.Average(name="average")([c, s, e])
    g = layers.GlobalAveragePooling2D(name="global_average_pooling2d")(v)
    y = layers.Dense(3, activation="softmax", name="dense")(g)
    return keras.Model(x, y, name="branching")


def nested():
    inner_in = keras.Input((6, 6, 2))
    h = layers.Conv2D(4, 3, activation="relu", name="conv2d")(inner_in)
    h = layers.Conv2D(3, 3, padding="same", name="conv2d_1")(h)
    base = keras.Model(inner_in, h, name="base")
    x = keras.Input((6, 6, 2))
    z = base(x)
    z = layers.GlobalMaxPooling2D(name="global_max_pooling2d")(z)
    y = layers.Dense(2, activation="softmax", name="dense")(z)
    return keras.Model(x, y, name="outer")


def squeeze_excitation():
    """EfficientNet's squeeze-and-excitation block after a depthwise convolution."""
    x = keras.Input((5, 5, 4))
    d = layers.DepthwiseConv2D(3, padding="same", name="depthwise_conv2d")(x)
    d = layers.Activation("swish", name="activation")(d)
    s = layers.GlobalAveragePooling2D(keepdims=True, name="global_average_pooling2d")(d)
    s = layers.Conv2D(2, 1, activation="swish", name="conv2d")(s)
    s = layers.Conv2D(4, 1, activation="sigmoid", name="conv2d_1")(s)
    m = layers.Multiply(name="multiply")([d, s])
    g = layers.GlobalAveragePooling2D(name="global_average_pooling2d_1")(m)
    y = layers.Dense(3, activation="softmax", name="dense")(g)
    return keras.Model(x, y, name="squeeze_excitation")


def inverted_residual():
    """MobileNetV2's inverted residual block (expand, depthwise, project, add), in training mode."""
    x = keras.Input((6, 6, 3))
    h = layers.Conv2D(6, 1, use_bias=False, name="expand")(x)
    h = layers.BatchNormalization(epsilon=1e-3, momentum=0.999, name="expand_bn")(h)
    h = layers.ReLU(6.0, name="expand_relu")(h)
    h = layers.DepthwiseConv2D(3, padding="same", use_bias=False, name="depthwise")(h)
    h = layers.BatchNormalization(epsilon=1e-3, momentum=0.999, name="depthwise_bn")(h)
    h = layers.ReLU(6.0, name="depthwise_relu")(h)
    h = layers.Conv2D(3, 1, use_bias=False, name="project")(h)
    h = layers.BatchNormalization(epsilon=1e-3, momentum=0.999, name="project_bn")(h)
    a = layers.Add(name="add")([x, h])
    s = layers.SeparableConv2D(4, 3, strides=2, name="separable_conv2d")(a)
    g = layers.GlobalAveragePooling2D(name="global_average_pooling2d")(s)
    y = layers.Dense(3, activation="softmax", name="dense")(g)
    return keras.Model(x, y, name="inverted_residual")


def fill(model):
    """Weight k (in model.weights order) element i = 0.5 sin(0.37 i + 0.1 + k)."""
    for k, w in enumerate(model.weights):
        n = int(np.prod(w.shape))
        w.assign(np.array([0.5 * math.sin(0.37 * i + 0.1 + k) for i in range(n)], np.float32).reshape(w.shape))


def weight_path(model, w):
    # Keras 3 paths are layer/weight, nested models prefixed by their name.
    return w.path


def record(name, model):
    fill(model)
    shape = (2,) + tuple(model.inputs[0].shape[1:])
    n = int(np.prod(shape))
    x = np.array([math.sin(0.13 * i) * 2 for i in range(n)], np.float32).reshape(shape)
    classes = model.outputs[0].shape[-1]
    t = np.zeros((2, classes), np.float32)
    t[0, 0] = 1
    t[1, classes - 1] = 1
    with tf.GradientTape() as tape:
        y = model(x, training=True)
        loss = keras.losses.CategoricalCrossentropy()(t, y)
    grads = tape.gradient(loss, model.trainable_weights)
    rows = []
    for layer in model.layers:
        connected = []
        for node in layer._inbound_nodes:
            for tensor in node.input_tensors:
                history = tensor._keras_history
                connected.append(history.operation.name)
        rows.append({"name": layer.name, "type": layer.__class__.__name__,
                     "shape": list(layer.output.shape[1:]), "params": layer.count_params(),
                     "connected": connected})
    data = {
        "input_shape": list(shape), "input": x.flatten().tolist(), "targets": t.flatten().tolist(),
        "output": np.asarray(y).flatten().tolist(), "loss": float(loss),
        "weights": {weight_path(model, w): np.asarray(w).flatten().tolist() for w in model.weights},
        "gradients": {weight_path(model, w): np.asarray(g).flatten().tolist()
                      for w, g in zip(model.trainable_weights, grads)},
        "summary": rows, "total_params": model.count_params(),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(data, indent=1) + "\n")
    print(name, "params", model.count_params(), "loss", float(loss))


if __name__ == "__main__":
    for name, make in [("residual", residual), ("branching", branching), ("nested", nested),
                       ("squeeze_excitation", squeeze_excitation), ("inverted_residual", inverted_residual)]:
        record(name, make())
