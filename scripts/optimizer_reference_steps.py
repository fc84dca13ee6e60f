#!/usr/bin/env python3
"""Reference steps for Tests/TrainingTests/OptimizerStepTests.swift.

Three update steps of Adam, RMSprop, SGD with Nesterov momentum and decoupled weight
decay on one 4-element float32 weight, each computed twice: by Keras 3's own optimizers
(apply_gradients) and by the update rules written out in NumPy float64 (below, from the
Keras 3 sources). The script checks that the two agree and prints the weights after
every step, which the Swift test pastes as constants.

    python3 scripts/optimizer_reference_steps.py     # needs keras 3 and a backend
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402

W0 = np.array([0.5, -1.0, 2.0, 0.0])
GRADIENTS = [np.array([0.1, -0.2, 0.3, -0.4]),
             np.array([-0.5, 0.25, 0.0, 1.0]),
             np.array([0.2, 0.2, -0.1, 0.05])]

CASES = {
    "adam": ("Adam", dict(learning_rate=0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-7)),
    "rmsprop": ("RMSprop", dict(learning_rate=0.01, rho=0.9, epsilon=1e-7)),
    "sgdNesterov": ("SGD", dict(learning_rate=0.1, momentum=0.9, nesterov=True)),
    "sgdWeightDecay": ("SGD", dict(learning_rate=0.1, weight_decay=0.05)),
    "adamWeightDecay": ("Adam", dict(learning_rate=0.01, weight_decay=0.1)),
}


def numpy_steps(kind, options):
    """The update rules, as Keras 3 applies them (weight decay first, then the step)."""
    w = W0.copy()
    lr = options["learning_rate"]
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    out = []
    for t, g in enumerate(GRADIENTS, start=1):
        w = w - w * options.get("weight_decay", 0.0) * lr
        if kind == "Adam":
            b1, b2, eps = options.get("beta_1", 0.9), options.get("beta_2", 0.999), options.get("epsilon", 1e-7)
            alpha = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            w = w - alpha * m / (np.sqrt(v) + eps)
        elif kind == "RMSprop":
            rho, eps = options["rho"], options["epsilon"]
            v = rho * v + (1 - rho) * g * g
            w = w - lr * g / np.sqrt(v + eps)
        else:
            momentum = options.get("momentum", 0.0)
            m = momentum * m - lr * g
            w = w + (momentum * m - lr * g if options.get("nesterov") else m)
        out.append(w.copy())
    return out


def keras_steps(kind, options):
    import keras
    optimizer = getattr(keras.optimizers, kind)(**options)
    w = keras.Variable(W0.astype(np.float32))
    out = []
    for g in GRADIENTS:
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(g.astype(np.float32)), w)])
        out.append(np.array(w.numpy(), dtype=np.float64))
    return out


def main():
    import keras
    print(f"# keras {keras.__version__}, backend {keras.backend.backend()}")
    for name, (kind, options) in CASES.items():
        reference, written = keras_steps(kind, options), numpy_steps(kind, options)
        for a, b in zip(reference, written):
            assert np.allclose(a, b, rtol=1e-5, atol=1e-6), (name, a, b)
        rows = ",\n".join("    [" + ", ".join(f"{x:.9g}" for x in step) + "]" for step in reference)
        print(f"{name} = [\n{rows},\n]")


if __name__ == "__main__":
    main()
