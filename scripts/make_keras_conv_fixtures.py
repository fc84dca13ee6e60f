#!/usr/bin/env python3
"""Generate the Keras parity fixtures of the convolution layers under
Tests/TrainingTests/Fixtures/keras-conv/ (one JSON file per case).

Each case builds one layer in Keras (TensorFlow backend, CPU), sets its
weights and input from formulas that the Swift test implements too, and
records the forward output and the gradients of one step: the loss is
L = sum(output * R), so d L / d output = R, and the file holds d L / d input
and d L / d each weight, in Keras's weight order. Formulas, over the
row-major flattened tensor (index i):
    input       x[i] = cos(0.21 i + 0.5)
    weight k    w[i] = sin(0.37 i + 0.1 + k) * 0.5   (k: position in layer.weights)
    R           r[i] = cos(0.23 i + 0.3)

Usage: python3 scripts/make_keras_conv_fixtures.py   (Keras 3, TensorFlow 2)
Made with Keras 3.15.1 and TensorFlow 2.21.0.
"""
import json, os
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import keras
from keras import layers

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "TrainingTests", "Fixtures", "keras-conv")

# name: (input shape with batch, layer)
CASES = {
    "conv2d_dilated": ((1, 5, 5, 3), lambda: layers.Conv2D(4, 3, padding="same", dilation_rate=2, activation="relu")),
    "conv2d_dilated_valid": ((1, 6, 5, 2), lambda: layers.Conv2D(3, (2, 3), dilation_rate=(2, 1))),
    "conv2d_groups": ((1, 5, 5, 6), lambda: layers.Conv2D(4, (3, 2), strides=2, padding="same", groups=2)),
    "conv2d_groups_depthwise": ((1, 5, 5, 3), lambda: layers.Conv2D(6, 3, groups=3, activation="tanh")),
    "depthwise": ((1, 5, 5, 3), lambda: layers.DepthwiseConv2D(3, strides=2, padding="same", depth_multiplier=2, activation="tanh")),
    "depthwise_dilated": ((1, 5, 5, 3), lambda: layers.DepthwiseConv2D(3, padding="same", dilation_rate=2)),
    "depthwise_strided_dilated": ((1, 6, 6, 2), lambda: layers.DepthwiseConv2D(3, strides=2, padding="same", dilation_rate=2, depth_multiplier=2)),
    "separable": ((1, 5, 5, 3), lambda: layers.SeparableConv2D(4, 3, padding="same", depth_multiplier=2, activation="relu")),
    "separable_strided": ((1, 5, 5, 3), lambda: layers.SeparableConv2D(2, (2, 3), strides=(2, 1), use_bias=False)),
    "conv2d_transpose_same": ((1, 5, 5, 3), lambda: layers.Conv2DTranspose(4, 3, strides=2, padding="same")),
    "conv2d_transpose_same_cropped": ((1, 5, 5, 3), lambda: layers.Conv2DTranspose(2, (4, 5), strides=(2, 1), padding="same", activation="tanh")),
    "conv2d_transpose_valid": ((1, 5, 5, 3), lambda: layers.Conv2DTranspose(2, (2, 3), strides=(3, 2), activation="sigmoid")),
    "conv2d_transpose_output_padding": ((1, 5, 5, 3), lambda: layers.Conv2DTranspose(3, 3, strides=2, padding="same", output_padding=1)),
    "conv2d_transpose_valid_output_padding": ((1, 4, 5, 3), lambda: layers.Conv2DTranspose(2, 2, strides=2, output_padding=(1, 0))),
}


def formula(shape, a, b, scale=1.0, f=np.cos):
    i = np.arange(int(np.prod(shape)), dtype=np.float64)
    return (f(a * i + b) * scale).astype(np.float32).reshape(shape)


def rounded(array):
    return [float(f"{v:.7g}") for v in np.asarray(array, dtype=np.float32).ravel()]


def make(name, input_shape, build):
    layer = build()
    layer.build(input_shape)
    for k, w in enumerate(layer.weights):
        w.assign(formula(tuple(w.shape), 0.37, 0.1 + k, 0.5, np.sin))
    x = tf.constant(formula(input_shape, 0.21, 0.5))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
        r = tf.constant(formula(tuple(y.shape), 0.23, 0.3))
        loss = tf.reduce_sum(y * r)
    grads = tape.gradient(loss, [x] + list(layer.trainable_weights))
    return {
        "case": name,
        "keras": keras.__version__,
        "tensorflow": tf.__version__,
        "class_name": type(layer).__name__,
        "config": {k: v for k, v in layer.get_config().items()
                   if k in ("filters", "kernel_size", "strides", "padding", "dilation_rate", "groups",
                            "depth_multiplier", "output_padding", "use_bias")},
        "activation": keras.activations.serialize(layer.activation),
        "input_shape": list(input_shape),
        "weights": [{"name": w.name, "shape": list(w.shape)} for w in layer.weights],
        "output_shape": list(y.shape),
        "output": rounded(y),
        "input_gradient": rounded(grads[0]),
        "weight_gradients": [rounded(g) for g in grads[1:]],
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (shape, build) in CASES.items():
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(make(name, shape, build), f, separators=(",", ":"))
            f.write("\n")
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"{len(CASES)} fixtures, {total} bytes in {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
