"""Writes Keras 3's model.summary() text for the models of Tests/TrainingTests/SummaryParityTests.swift.

Each model is built in a fresh Keras session (so layer names restart at conv2d, dense...) exactly
as the Swift test builds it; the summary is printed with Keras's default line length (a terminal
wide enough that Keras does not narrow the table). Run from the repository root:

    COLUMNS=300 python3 scripts/make_keras_summary_fixtures.py
"""
import os

os.environ.setdefault("COLUMNS", "300")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402
from keras import layers  # noqa: E402

OUT = "Tests/TrainingTests/Fixtures/keras-summary"


def course_small():
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"), layers.Flatten(),
        layers.Dense(64, activation="relu"), layers.Dropout(0.5), layers.Dense(10, activation="softmax"),
    ])


def residual():
    inputs = keras.Input((8, 8, 3))
    stem = layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
    branch = layers.Conv2D(4, 3, padding="same")(stem)
    merged = layers.Add()([stem, branch])
    normalized = layers.BatchNormalization()(merged)
    pooled = layers.GlobalAveragePooling2D()(normalized)
    return keras.Model(inputs, layers.Dense(3, activation="softmax")(pooled))


def functional_chain():
    inputs = keras.Input((6, 6, 2))
    x = layers.Conv2D(3, 3)(inputs)
    x = layers.Flatten()(x)
    return keras.Model(inputs, layers.Dense(2)(x))


def two_inputs_two_outputs():
    a = keras.Input((5,))
    b = keras.Input((5,))
    total = layers.Add()([a, b])
    product = layers.Multiply()([a, b])
    joined = layers.Concatenate()([total, product])
    return keras.Model([a, b], [layers.Dense(2)(joined), product])


def nested_frozen_base():
    inputs = keras.Input((12, 12, 1))
    x = layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
    x = layers.BatchNormalization()(x)
    base = keras.Model(inputs, x, name="base")
    base.trainable = False
    return keras.Sequential([
        keras.Input((12, 12, 1)), base, layers.GlobalAveragePooling2D(),
        layers.Dense(8, activation="relu"), layers.Dropout(0.3), layers.Dense(3, activation="softmax"),
    ])


def long_names():
    inputs = keras.Input((4, 4, 2))
    x = layers.DepthwiseConv2D(3, padding="same")(inputs)
    x = layers.BatchNormalization()(x)
    y = layers.SeparableConv2D(2, 1)(inputs)
    x = layers.Concatenate()([x, y, inputs])
    x = layers.GlobalAveragePooling2D(keepdims=True)(x)
    return keras.Model(inputs, x, name="a_model_with_a_rather_long_name")


MODELS = {
    "course_small": course_small,
    "residual": residual,
    "functional_chain": functional_chain,
    "two_inputs_two_outputs": two_inputs_two_outputs,
    "nested_frozen_base": nested_frozen_base,
    "long_names": long_names,
}

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name, build in MODELS.items():
        keras.backend.clear_session()
        lines = []
        build().summary(print_fn=lambda text, line_break=True: lines.append(text))
        with open(f"{OUT}/{name}.txt", "w", encoding="utf-8") as f:
            f.write("\n".join(lines).rstrip("\n") + "\n")
        print(f"wrote {OUT}/{name}.txt")
