#!/usr/bin/env python3
"""Keras's preprocess_input of each application on one small image, for
Tests/AugmentationTests/ImageNetPreprocessingTests.swift.

The image is 3x4 pixels, RGB, value(i) = (37 i + 11) mod 256 for element i in HWC order.
Writes Tests/AugmentationTests/Fixtures/keras-preprocess-input.json.

    pip install tensorflow-cpu   # Keras 3 with the TensorFlow backend
    python3 scripts/make_keras_preprocessing_fixture.py
"""
import json, os, pathlib
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/AugmentationTests/Fixtures/keras-preprocess-input.json"


def main():
    shape = (3, 4, 3)
    image = np.array([(37 * i + 11) % 256 for i in range(int(np.prod(shape)))], np.float32).reshape(shape)
    functions = {
        "vgg16": keras.applications.vgg16.preprocess_input,
        "resnet50": keras.applications.resnet50.preprocess_input,
        "mobilenet_v2": keras.applications.mobilenet_v2.preprocess_input,
        "efficientnet_b0": keras.applications.efficientnet.preprocess_input,
        "torch": lambda x: keras.applications.imagenet_utils.preprocess_input(x, mode="torch"),
    }
    out = {"shape": list(shape), "input": image.ravel().tolist(),
           "outputs": {name: np.asarray(f(image.copy())).astype(np.float32).ravel().tolist() for name, f in functions.items()}}
    OUT.write_text(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
