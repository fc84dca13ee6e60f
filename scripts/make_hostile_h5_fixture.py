"""A Keras legacy weight file whose one dataset claims 4 TB in a file of a few KB
(Tests/ApplicationsTests/Fixtures/hostile-huge-dataset.h5): HDF5 stores unwritten chunks as
nothing, so the dataspace can say anything. Augment must refuse it before allocating.
Also the seeds of the Keras weight-file fuzz target (Fuzz/Seeds/keras): one Dense(4) layer on
4 inputs, in the legacy layout and as Keras 3 saves it.

    python3 scripts/make_hostile_h5_fixture.py
"""
import h5py
import numpy as np

OUT = "Tests/ApplicationsTests/Fixtures/hostile-huge-dataset.h5"

with h5py.File(OUT, "w") as f:
    f.attrs["layer_names"] = np.array([b"dense"])
    group = f.create_group("dense")
    group.attrs["weight_names"] = np.array([b"dense/kernel:0", b"dense/bias:0"])
    inner = group.create_group("dense")
    inner.create_dataset("kernel:0", shape=(1 << 20, 1 << 20), dtype="f4", chunks=(1, 16))
    inner.create_dataset("bias:0", data=np.zeros(4, np.float32))
print("wrote", OUT)

with h5py.File("Fuzz/Seeds/keras/dense-legacy.h5", "w") as f:
    f.attrs["layer_names"] = np.array([b"dense"])
    group = f.create_group("dense")
    group.attrs["weight_names"] = np.array([b"dense/kernel:0", b"dense/bias:0"])
    inner = group.create_group("dense")
    inner.create_dataset("kernel:0", data=np.arange(16, dtype=np.float32).reshape(4, 4))
    inner.create_dataset("bias:0", data=np.zeros(4, np.float32))

import os  # noqa: E402
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402
keras.Sequential([keras.Input((4,)), keras.layers.Dense(4)]).save_weights("Fuzz/Seeds/keras/dense.weights.h5")
print("wrote the seeds in Fuzz/Seeds/keras")
