#!/usr/bin/env python3
"""Keras on the digits demo, with the same folders, split and recipe as
`augment train pipelines/digits-cnn.yaml`: the accuracy baseline for that run.

The course's 93,322-parameter CNN; ImageDataGenerator(rotation_range=10,
width_shift_range=0.1, height_shift_range=0.1, zoom_range=0.1, rescale=1/255,
validation_split=0.2) over samples/digits/train (Keras takes the first 20% of
each class's sorted files as the validation subset, unaugmented here as in
Augment); Adam 1e-3, batch 32, up to 40 epochs, EarlyStopping(val_loss,
patience 6, restore_best_weights) and ReduceLROnPlateau(factor 0.5, patience 3);
test accuracy on samples/digits/test. `--plain` drops the four random
transforms. Prints one line per seed and the mean; not a runtime dependency.

    pip install tensorflow-cpu
    python3 scripts/baseline_digits_keras.py --seeds 1 2 3 [--plain] [--threads 2] [--history]
"""
import argparse
import os
import statistics
import time

from baseline_train import keras_course_model


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples", "digits")
    parser.add_argument("--data", default=os.path.normpath(root), help="folder with train/ and test/")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--plain", action="store_true", help="no random transforms, rescale only")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--history", action="store_true", help="print every epoch's metrics")
    return parser.parse_args()


def run(keras, args, seed):
    from keras.src.legacy.preprocessing.image import ImageDataGenerator
    keras.utils.set_random_seed(seed)
    recipe = {} if args.plain else dict(rotation_range=10, width_shift_range=0.1, height_shift_range=0.1,
                                         zoom_range=0.1)
    common = dict(target_size=(28, 28), color_mode="grayscale", class_mode="categorical", batch_size=32)
    train_dir, test_dir = os.path.join(args.data, "train"), os.path.join(args.data, "test")
    train = ImageDataGenerator(rescale=1 / 255, validation_split=0.2, **recipe).flow_from_directory(
        train_dir, subset="training", shuffle=True, seed=seed, **common)
    validation = ImageDataGenerator(rescale=1 / 255, validation_split=0.2).flow_from_directory(
        train_dir, subset="validation", shuffle=False, **common)
    test = ImageDataGenerator(rescale=1 / 255).flow_from_directory(test_dir, shuffle=False, **common)
    net = keras_course_model(keras, "small")
    net.compile(optimizer=keras.optimizers.Adam(1e-3), loss="categorical_crossentropy", metrics=["accuracy"])
    callbacks = [keras.callbacks.EarlyStopping(monitor="val_loss", patience=6, restore_best_weights=True),
                 keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=3)]
    start = time.perf_counter()
    history = net.fit(train, validation_data=validation, epochs=args.epochs, callbacks=callbacks, verbose=0)
    wall = time.perf_counter() - start
    if args.history:
        for epoch, values in enumerate(zip(*history.history.values())):
            print(f"  epoch {epoch + 1}: " + ", ".join(f"{k} {v:.4f}" for k, v in zip(history.history, values)))
    _, accuracy = net.evaluate(test, verbose=0)
    return 100 * accuracy, len(history.history["loss"]), wall


def main():
    args = parse()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf
    import keras
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    print(f"Keras {keras.__version__}, TensorFlow {tf.__version__}, {'plain' if args.plain else 'augmented'}")
    accuracies = []
    for seed in args.seeds:
        accuracy, epochs, wall = run(keras, args, seed)
        accuracies.append(accuracy)
        print(f"seed {seed}: test accuracy {accuracy:.2f}% after {epochs} epochs, {wall:.1f} s", flush=True)
    print(f"mean over seeds {args.seeds}: {statistics.mean(accuracies):.2f}%")


if __name__ == "__main__":
    main()
