#!/usr/bin/env python3
"""Checks that Keras 3 loads the `.keras` archives Augment saves and predicts what Augment did.

The Swift tests KerasModelFileTests.savedArchivesLoadBackIdentically and
KerasLayerRoundTripTests.everyLayerRoundTrips write, when AUGMENT_KERAS_CHECK_DIR is set, each
saved archive `name.keras` beside `name.json`
({"inputs": [flat input per model input], "outputs": [flat output per model output]}, two samples).
This script loads every archive with keras.saving.load_model, predicts on the same inputs and
requires max |Keras - Augment| <= 1e-4 * max |Augment| on every output.

    mkdir -p /tmp/keras-check
    AUGMENT_KERAS_CHECK_DIR=/tmp/keras-check swift test --filter "savedArchivesLoadBackIdentically|KerasLayerRoundTripTests"
    python3 scripts/check_keras_archive.py /tmp/keras-check
"""
import json, os, pathlib, sys
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras


def check(archive):
    record = json.loads(archive.with_suffix(".json").read_text())
    model = keras.saving.load_model(archive)
    inputs = [np.asarray(x, np.float32).reshape((2,) + tuple(i.shape[1:])) for x, i in zip(record["inputs"], model.inputs)]
    outputs = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
    outputs = outputs if isinstance(outputs, list) else [outputs]
    worst = 0.0
    for ours, theirs in zip(record["outputs"], outputs):
        ours = np.asarray(ours, np.float32)
        theirs = np.asarray(theirs, np.float32).reshape(-1)
        scale = float(np.abs(ours).max())
        difference = float(np.abs(ours - theirs).max())
        worst = max(worst, difference / scale)
        if ours.shape != theirs.shape or difference > 1e-4 * scale:
            return False, f"max difference {difference} against max |Augment| {scale}"
    return True, f"{len(model.layers)} layers, {model.count_params()} parameters, worst relative difference {worst:.2e}"


def main():
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/keras-check")
    archives = sorted(folder.glob("*.keras"))
    if not archives:
        sys.exit(f"no .keras archives in {folder}")
    failed = 0
    for archive in archives:
        ok, detail = check(archive)
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {archive.name}: {detail}")
    print(f"{len(archives) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
