#!/usr/bin/env python3
"""Generate the Keras layer fixtures under Tests/TrainingTests/Fixtures/keras-layers/.

One JSON file per case: the Keras layer (class and arguments, for the
reader), the batch input shape, the input scale, and Keras's output. Inputs
follow a formula both sides implement, x[i] = sin(0.37 * i + 0.1) * scale
(computed in float64, rounded to float32), so no input array is stored.
Normalization's adapt case also stores the adapted weights; its adapt data
follows the same formula with its own shape and scale.

Usage: python3 scripts/make_keras_layer_fixtures.py (Keras 3 with the
TensorFlow backend; the committed fixtures came from Keras 3.15.1 and
TensorFlow 2.21 on the CPU).
"""
import json, os
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
from keras import layers

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TrainingTests", "Fixtures", "keras-layers")


def formula(shape, scale):
    count = int(np.prod(shape))
    return (np.sin(0.37 * np.arange(count, dtype=np.float64) + 0.1) * scale).astype(np.float32).reshape(shape)


def write(name, layer, arguments, shape, scale=2.0, extra=None):
    x = formula(shape, scale)
    y = np.asarray(layer(x, training=False), dtype=np.float32)
    case = {"keras_layer": type(layer).__name__, "arguments": arguments,
            "input_shape": list(shape), "scale": scale,
            "output_shape": list(y.shape), "output": [float(v) for v in y.reshape(-1)]}
    case.update(extra or {})
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(case, f, separators=(",", ":"))
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    activations = ["relu", "relu6", "leaky_relu", "elu", "selu", "softplus", "sigmoid", "hard_sigmoid",
                   "silu", "hard_silu", "gelu", "tanh", "softmax"]
    for name in activations:
        write("activation_" + name, layers.Activation(name), {"activation": name}, (4, 16), scale=7.0)
    write("activation_gelu_approximate",
          layers.Activation(lambda x: keras.activations.gelu(x, approximate=True)),
          {"activation": "gelu", "approximate": True}, (4, 16), scale=7.0)
    write("activation_elu_alpha", layers.ELU(alpha=0.5), {"alpha": 0.5}, (4, 16), scale=7.0)

    write("relu_default", layers.ReLU(), {}, (4, 16), scale=7.0)
    write("relu_bounded", layers.ReLU(max_value=4.0, negative_slope=0.1, threshold=0.5),
          {"max_value": 4.0, "negative_slope": 0.1, "threshold": 0.5}, (4, 16), scale=7.0)

    write("rescaling", layers.Rescaling(scale=1 / 127.5, offset=-1.0), {"scale": 1 / 127.5, "offset": -1.0},
          (2, 3, 3, 2), scale=255.0)

    given = {"mean": [0.5, -1.0, 2.0], "variance": [4.0, 0.25, 9.0]}
    write("normalization_given", layers.Normalization(**given), given, (2, 2, 2, 3))
    write("normalization_invert", layers.Normalization(invert=True, **given), dict(given, invert=True), (2, 2, 2, 3))
    adapt_shape, adapt_scale = (6, 3, 3, 3), 3.0
    adapted = layers.Normalization()
    adapted.adapt(formula(adapt_shape, adapt_scale))
    weights = {w.name: np.asarray(w.numpy()).reshape(-1).tolist() for w in adapted.weights}
    write("normalization_adapted", adapted, {}, (2, 2, 2, 3),
          extra={"adapt_shape": list(adapt_shape), "adapt_scale": adapt_scale, "weights": weights})

    write("reshape", layers.Reshape((3, -1)), {"target_shape": [3, -1]}, (2, 2, 3, 2))
    write("permute_213", layers.Permute((2, 1, 3)), {"dims": [2, 1, 3]}, (2, 3, 4, 2))
    write("permute_312", layers.Permute((3, 1, 2)), {"dims": [3, 1, 2]}, (2, 3, 4, 2))
    write("zero_padding_asymmetric", layers.ZeroPadding2D(((1, 0), (2, 1))), {"padding": [[1, 0], [2, 1]]}, (2, 3, 3, 2))
    write("zero_padding_int", layers.ZeroPadding2D(1), {"padding": 1}, (1, 2, 3, 2))
    write("cropping", layers.Cropping2D(((1, 0), (0, 2))), {"cropping": [[1, 0], [0, 2]]}, (2, 4, 5, 2))
    write("upsampling_nearest", layers.UpSampling2D((2, 3)), {"size": [2, 3]}, (2, 3, 4, 2))
    write("upsampling_bilinear", layers.UpSampling2D((2, 3), interpolation="bilinear"),
          {"size": [2, 3], "interpolation": "bilinear"}, (2, 3, 4, 2))
    write("upsampling_bilinear_4", layers.UpSampling2D(4, interpolation="bilinear"),
          {"size": 4, "interpolation": "bilinear"}, (1, 3, 2, 3))
    write("global_average_keepdims", layers.GlobalAveragePooling2D(keepdims=True), {"keepdims": True}, (2, 3, 4, 3))
    write("global_max_keepdims", layers.GlobalMaxPooling2D(keepdims=True), {"keepdims": True}, (2, 3, 4, 3))
    write("identity", layers.Identity(), {}, (2, 5))
    write("spatial_dropout_inference", layers.SpatialDropout2D(0.5), {"rate": 0.5}, (1, 2, 2, 3))


if __name__ == "__main__":
    main()
