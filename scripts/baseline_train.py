#!/usr/bin/env python3
"""Baseline for `augment bench train`: Keras (TensorFlow) and PyTorch training and inference
throughput of the two course CNNs and a small ResNet (`--model resnet`: two stages of two basic
blocks, 42,698 parameters, CourseModels.residual in Swift) on random 28x28x1 data, under the same protocol as
Sources/Training/Benchmark/TrainingBenchmark.swift:

- inputs uniform in [0, 1), one-hot targets of 10 classes, one fixed batch held in memory
  (already a framework tensor, so no conversion is timed);
- categorical cross-entropy, Adam(lr 1e-3); each run builds a fresh model, takes `--warmup`
  untimed training steps, then times `--steps` training steps;
- inference: a fresh model, max(warmup // 4, 1) untimed batches of 256, then
  `--inference-steps` timed batches of 256 (Keras: `predict_on_batch`; PyTorch: the model
  under `torch.inference_mode()`);
- every figure is the median of `--runs` runs, in samples per wall-clock second and per second
  of process CPU time (user+sys, all threads), which stays meaningful on a shared machine;
- `--threads` intra-op threads (TF: intra- and inter-op pools both N; torch: set_num_threads(N)
  and set_num_interop_threads(N)).

Keras: the compiled model's own train step, either `model.train_on_batch` in a loop
(`--keras-step train_on_batch`) or a hand-written `tf.function` step
(`--keras-step tf_function`: GradientTape + optimizer.apply_gradients); `both` measures both
and labels the rows. The default is tf_function: in a short check (small model, batches 32 and
128, 50 steps, 3 runs) it was ~5-7 % faster than train_on_batch, which converts and returns the
loss to Python every step. `compile(jit_compile=...)` is Keras's "auto", which is off (no XLA) on a
CPU-only machine; `--keras-jit` turns XLA on. The models end in softmax and use
categorical_crossentropy, as the course does.
PyTorch: the same layers in NCHW; the model returns logits and the loss is
CrossEntropyLoss with the one-hot rows as class probabilities (= softmax + categorical
cross-entropy). Dropout is active in training steps, off in inference, in both frameworks.

Each framework runs in its own child process, so the peak RSS (getrusage ru_maxrss) printed
for it is its own. Python tools only; never a dependency of the Swift package.

    pip install tensorflow-cpu torch   # torch CPU wheel: pip install /opt/wheels/torch-*+cpu-*.whl
    python3 scripts/baseline_train.py [--framework keras|torch|both] [--model small|large|both]
        [--batches 32,64,128] [--steps 200] [--warmup 20] [--runs 5] [--inference-steps 50]
        [--threads 2] [--keras-step tf_function|train_on_batch|both] [--keras-jit] [--json]

Smoke test: python3 scripts/baseline_train.py --steps 5 --warmup 2 --runs 1 --inference-steps 2
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

PARAMS = {"small": 93_322, "large": 421_642, "resnet": 42_698}
INFERENCE_BATCH = 256
SEED = 1


def random_batch(count, seed):
    """Inputs in [0, 1) of shape (count, 28, 28, 1) and one-hot float32 targets (count, 10)."""
    import numpy as np
    rng = np.random.default_rng(seed)
    inputs = rng.random((count, 28, 28, 1), dtype=np.float32)
    targets = np.zeros((count, 10), dtype=np.float32)
    targets[np.arange(count), rng.integers(0, 10, size=count)] = 1
    return inputs, targets


def timed(samples, body):
    """(samples per wall second, samples per process-CPU second) of one call of body."""
    cpu0, wall0 = time.process_time(), time.perf_counter()
    body()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return samples / wall, samples / max(cpu, 1e-9)


# ---------------------------------------------------------------- Keras (TensorFlow backend)

def keras_resnet(keras):
    """CourseModels.residual: a 16-filter stem, two stages of two basic blocks (the second stage
    halves the size with stride 2 and a 1x1 projection shortcut), global average pooling, Dense(10)."""
    L = keras.layers
    inputs = keras.Input((28, 28, 1))
    x = L.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    for stage, filters in [(1, 16), (2, 32)]:
        for block in "ab":
            stride = 2 if stage == 2 and block == "a" else 1
            h = L.Conv2D(filters, 3, strides=stride, padding="same", activation="relu")(x)
            y = L.Conv2D(filters, 3, padding="same")(h)
            shortcut = x if stride == 1 else L.Conv2D(filters, 1, strides=2)(x)
            x = L.Activation("relu")(L.Add()([shortcut, y]))
    outputs = L.Dense(10, activation="softmax")(L.GlobalAveragePooling2D()(x))
    model = keras.Model(inputs, outputs)
    assert model.count_params() == PARAMS["resnet"], model.count_params()
    return model


def keras_course_model(keras, kind):
    """The course CNN `kind` ("small": 93,322 parameters, "large": 421,642, "resnet": 42,698)
    on 28x28x1 input, uncompiled; also used by scripts/baseline_digits_keras.py."""
    L = keras.layers
    if kind == "resnet":
        return keras_resnet(keras)
    if kind == "small":
        layers = [L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(2),
                  L.Conv2D(64, 3, activation="relu"), L.MaxPooling2D(2),
                  L.Conv2D(64, 3, activation="relu"), L.Flatten(),
                  L.Dense(64, activation="relu"), L.Dropout(0.5), L.Dense(10, activation="softmax")]
    else:
        layers = [L.Conv2D(32, 3, padding="same", activation="relu"), L.MaxPooling2D(2),
                  L.Conv2D(64, 3, padding="same", activation="relu"), L.MaxPooling2D(2),
                  L.Flatten(), L.Dense(128, activation="relu"), L.Dense(10, activation="softmax")]
    model = keras.Sequential([keras.Input((28, 28, 1))] + layers)
    assert model.count_params() == PARAMS[kind], (kind, model.count_params())
    return model


class KerasBench:
    def __init__(self, args):
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        os.environ["KERAS_BACKEND"] = "tensorflow"
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
        import keras
        self.tf, self.keras, self.args = tf, keras, args
        self.version = f"tensorflow {tf.__version__}, keras {keras.__version__}"

    def make(self, kind):
        keras = self.keras
        keras.utils.set_random_seed(SEED)
        model = keras_course_model(keras, kind)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="categorical_crossentropy",
                      jit_compile=True if self.args.keras_jit else "auto")
        return model

    def step_function(self, model, mode):
        """A no-argument callable doing one training step on the batch bound later."""
        tf = self.tf
        if mode == "train_on_batch":
            return lambda x, y: model.train_on_batch(x, y)
        loss_fn = self.keras.losses.CategoricalCrossentropy()  # mean over the batch, as compile() uses
        optimizer = model.optimizer

        @tf.function(jit_compile=bool(self.args.keras_jit))
        def step(x, y):
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, training=True))
            optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
            return loss
        return step

    def train_rate(self, kind, batch, mode):
        model = self.make(kind)
        x, y = (self.tf.constant(a) for a in random_batch(batch, 2))
        step = self.step_function(model, mode)
        for _ in range(self.args.warmup):
            step(x, y)
        float(step(x, y))  # sync before timing; the last loss below forces completion

        def body():
            for _ in range(self.args.steps - 1):
                step(x, y)
            float(step(x, y))
        return timed(self.args.steps * batch, body)

    def infer_rate(self, kind):
        model = self.make(kind)
        x = self.tf.constant(random_batch(INFERENCE_BATCH, 3)[0])
        for _ in range(max(self.args.warmup // 4, 1)):
            out = model.predict_on_batch(x)
        assert out.shape == (INFERENCE_BATCH, 10), out.shape

        def body():
            for _ in range(self.args.inference_steps):
                model.predict_on_batch(x)
        return timed(self.args.inference_steps * INFERENCE_BATCH, body)

    def variants(self):
        return ["train_on_batch", "tf_function"] if self.args.keras_step == "both" else [self.args.keras_step]


# ---------------------------------------------------------------- PyTorch

def torch_resnet(nn):
    """keras_resnet in NCHW, returning logits."""
    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.first = nn.Conv2d(cin, cout, 3, stride=stride, padding=1)
            self.second = nn.Conv2d(cout, cout, 3, padding=1)
            self.shortcut = nn.Conv2d(cin, cout, 1, stride=stride) if stride != 1 else nn.Identity()
            self.relu = nn.ReLU()

        def forward(self, x):
            return self.relu(self.shortcut(x) + self.second(self.relu(self.first(x))))

    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
                         Block(16, 16, 1), Block(16, 16, 1), Block(16, 32, 2), Block(32, 32, 1),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))


class TorchBench:
    def __init__(self, args):
        import torch
        torch.set_num_threads(args.threads)
        torch.set_num_interop_threads(args.threads)
        self.torch, self.args = torch, args
        self.version = f"torch {torch.__version__}"

    def make(self, kind):
        torch = self.torch
        nn = torch.nn
        torch.manual_seed(SEED)
        if kind == "resnet":
            model = torch_resnet(nn)
        elif kind == "small":
            model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(),
                                  nn.Linear(3 * 3 * 64, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 10))
        else:
            model = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Flatten(), nn.Linear(7 * 7 * 64, 128), nn.ReLU(), nn.Linear(128, 10))
        count = sum(p.numel() for p in model.parameters())
        assert count == PARAMS[kind], (kind, count)
        return model

    def batch(self, count, seed):
        inputs, targets = random_batch(count, seed)
        return (self.torch.from_numpy(inputs).permute(0, 3, 1, 2).contiguous(), self.torch.from_numpy(targets))

    def train_rate(self, kind, batch, mode):
        torch = self.torch
        model = self.make(kind).train()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = torch.nn.CrossEntropyLoss()
        x, y = self.batch(batch, 2)

        def step():
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            return loss
        for _ in range(self.args.warmup):
            step()
        return timed(self.args.steps * batch, lambda: [step() for _ in range(self.args.steps)])

    def infer_rate(self, kind):
        torch = self.torch
        model = self.make(kind).eval()
        x, _ = self.batch(INFERENCE_BATCH, 3)
        with torch.inference_mode():
            for _ in range(max(self.args.warmup // 4, 1)):
                out = model(x)
            assert tuple(out.shape) == (INFERENCE_BATCH, 10), out.shape
            return timed(self.args.inference_steps * INFERENCE_BATCH,
                         lambda: [model(x) for _ in range(self.args.inference_steps)])

    def variants(self):
        return ["eager"]


# ---------------------------------------------------------------- driver

def measure(framework, args):
    """All rows of one framework, in this process."""
    bench = KerasBench(args) if framework == "keras" else TorchBench(args)
    models = ["small", "large"] if args.model == "both" else [args.model]
    rows = []
    for kind in models:
        infer = [bench.infer_rate(kind) for _ in range(args.runs)]
        for variant in bench.variants():
            for batch in args.batches:
                train = [bench.train_rate(kind, batch, variant) for _ in range(args.runs)]
                rows.append({
                    "framework": framework, "variant": variant, "model": kind, "params": PARAMS[kind],
                    "batch": batch,
                    "train_samples_per_s": statistics.median(r[0] for r in train),
                    "train_samples_per_cpu_s": statistics.median(r[1] for r in train),
                    "infer_samples_per_s": statistics.median(r[0] for r in infer),
                    "infer_samples_per_cpu_s": statistics.median(r[1] for r in infer),
                    "inference_batch": INFERENCE_BATCH,
                    "train_runs_samples_per_s": [round(r[0], 1) for r in train],
                })
                if not args.json:
                    print_row(rows[-1])
    return {"framework": framework, "version": bench.version, "rows": rows,
            "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}


def print_row(row):
    print(f"| {row['framework']} | {row['variant']} | {row['params']:,}-param | {row['batch']} "
          f"| {row['train_samples_per_s']:.0f} | {row['infer_samples_per_s']:.0f} "
          f"| {row['train_samples_per_cpu_s']:.0f} | {row['infer_samples_per_cpu_s']:.0f} |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--framework", choices=["keras", "torch", "both"], default="both")
    parser.add_argument("--model", choices=["small", "large", "both", "resnet"], default="both")
    parser.add_argument("--batches", default="32,64,128", help="comma-separated training batch sizes")
    parser.add_argument("--steps", type=int, default=200, help="timed training steps per run")
    parser.add_argument("--warmup", type=int, default=20, help="untimed warm-up steps per run")
    parser.add_argument("--runs", type=int, default=5, help="runs per row (the median is reported)")
    parser.add_argument("--inference-steps", type=int, default=50, help="timed inference batches of 256 per run")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--keras-step", choices=["train_on_batch", "tf_function", "both"], default="tf_function")
    parser.add_argument("--keras-jit", action="store_true", help="compile Keras steps with XLA")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.batches = [int(b) for b in args.batches.split(",")]
    if min(args.batches) <= 0 or args.steps <= 0 or args.runs <= 0 or args.threads <= 0 or args.inference_steps <= 0:
        parser.error("batches, steps, runs, threads and inference steps must be positive")

    if args.child:
        print(json.dumps(measure(args.framework, args)))
        return
    frameworks = ["keras", "torch"] if args.framework == "both" else [args.framework]
    if not args.json:
        print(f"baseline train: {args.threads} threads, {args.steps} steps after {args.warmup} warm-up, "
              f"median of {args.runs} runs, inference batch {INFERENCE_BATCH} x {args.inference_steps}")
        print("| framework | step | model | batch | train samples/s | infer samples/s (256) "
              "| train per CPU-s | infer per CPU-s |\n|---|---|---|---|---:|---:|---:|---:|", flush=True)
    reports = []
    for framework in frameworks:
        # One child process per framework: its own threads, imports and peak RSS.
        argv = [a for a in sys.argv[1:] if a != "--json"]
        argv = [sys.executable, os.path.abspath(__file__)] + argv + ["--framework", framework, "--child", "--json"]
        out = subprocess.run(argv, check=True, stdout=subprocess.PIPE, text=True).stdout
        report = json.loads(out.strip().splitlines()[-1])
        reports.append(report)
        if not args.json:
            for row in report["rows"]:
                print_row(row)
    if args.json:
        print(json.dumps({"threads": args.threads, "steps": args.steps, "warmup": args.warmup, "runs": args.runs,
                          "frameworks": reports}, indent=2))
    else:
        for report in reports:
            print(f"{report['framework']} ({report['version']}): peak RSS {report['peak_rss_bytes'] / 1048576:.1f} MB")


if __name__ == "__main__":
    main()
