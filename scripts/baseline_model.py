#!/usr/bin/env python3
"""Baseline for `augment bench model`: Keras (keras.applications, TensorFlow) and PyTorch
(torchvision.models' architectures) inference and training throughput of MobileNetV2 / ResNet50 at a real
input size, under the protocol of Sources/Applications/ApplicationBenchmark.swift:

- random weights; one fixed batch of random images in [-1, 1) (already a framework tensor)
  and one-hot targets;
- inference: `--warmup` untimed batches, then `--steps` timed batches (Keras: a `tf.function`
  of the model with training=False; PyTorch: eval mode under `torch.inference_mode()`);
- train: the whole network with its 1000-class top, categorical cross-entropy, Adam(1e-3);
  Keras: a `tf.function` step (GradientTape + apply_gradients); PyTorch: the usual step;
- frozen: the base without top, frozen (Keras: `base.trainable = False`, so its
  BatchNormalization runs in inference mode; PyTorch: requires_grad False and the base in
  eval mode), under GlobalAveragePooling, Dense(128, relu), Dropout(0.3), Dense(10, softmax);
- every figure is the median of `--runs` runs of samples per wall-clock second.

Each (framework, mode) runs in its own child process, so its peak RSS (ru_maxrss) is its own.
PyTorch's models are torchvision's mobilenet_v2 and resnet50 written out in this script (importing
torchvision fails on this machine: its compiled ops are broken); parameter counts are checked
against torchvision's (3,504,872 and 25,557,032).
`--torch-channels-last` runs PyTorch's model and data in channels-last memory format.

    python3 scripts/baseline_model.py --application mobilenet_v2 --size 224 --batch 32 \
        [--framework keras|torch|both] [--mode inference,train,frozen] [--steps 10] [--warmup 2] \
        [--runs 3] [--threads 2] [--torch-channels-last]

Smoke test: python3 scripts/baseline_model.py --size 64 --batch 2 --steps 1 --warmup 1 --runs 1
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time


def timed(samples, body, steps):
    start = time.perf_counter()
    for _ in range(steps):
        body()
    return samples * steps / (time.perf_counter() - start)


def keras_rates(args):
    import numpy as np
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    import keras
    keras.utils.set_random_seed(1)
    shape = (args.size, args.size, 3)
    make = {"mobilenet_v2": keras.applications.MobileNetV2, "resnet50": keras.applications.ResNet50}[args.application]
    if args.mode == "frozen":
        base = make(weights=None, include_top=False, input_shape=shape)
        base.trainable = False
        model = keras.Sequential([keras.Input(shape), base, keras.layers.GlobalAveragePooling2D(),
                                  keras.layers.Dense(128, activation="relu"), keras.layers.Dropout(0.3),
                                  keras.layers.Dense(10, activation="softmax")])
    else:
        model = make(weights=None, include_top=True, input_shape=shape, classes=1000)
    classes = model.output_shape[-1]
    rng = np.random.default_rng(1)
    x = tf.constant(rng.uniform(-1, 1, (args.batch,) + shape).astype(np.float32))
    y = tf.one_hot(np.arange(args.batch) * 7 % classes, classes)
    if args.mode == "inference":
        infer = tf.function(lambda v: model(v, training=False))
        body = lambda: infer(x).numpy()
    else:
        optimizer = keras.optimizers.Adam(1e-3)
        loss_fn = keras.losses.CategoricalCrossentropy()

        @tf.function
        def step(v, t):
            with tf.GradientTape() as tape:
                loss = loss_fn(t, model(v, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss
        body = lambda: step(x, y).numpy()
    for _ in range(args.warmup):
        body()
    return [timed(args.batch, body, args.steps) for _ in range(args.runs)], f"keras {keras.__version__} tf {tf.__version__}"


def torch_mobilenet_v2(nn):
    """torchvision.models.mobilenet_v2's architecture (importing torchvision fails here: its compiled
    ops are broken), with `features` (the base) and `classifier` as in torchvision."""
    def conv_bn(cin, cout, kernel, stride=1, groups=1, relu=True):
        layers = [nn.Conv2d(cin, cout, kernel, stride, (kernel - 1) // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
        return layers + ([nn.ReLU6(inplace=True)] if relu else [])

    class Inverted(nn.Module):
        def __init__(self, cin, cout, stride, expand):
            super().__init__()
            hidden = cin * expand
            layers = conv_bn(cin, hidden, 1) if expand != 1 else []
            layers += conv_bn(hidden, hidden, 3, stride, groups=hidden) + conv_bn(hidden, cout, 1, relu=False)
            self.conv = nn.Sequential(*layers)
            self.residual = stride == 1 and cin == cout

        def forward(self, x):
            return x + self.conv(x) if self.residual else self.conv(x)

    class MobileNetV2(nn.Module):
        def __init__(self):
            super().__init__()
            layers, cin = conv_bn(3, 32, 3, 2), 32
            for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
                               (6, 160, 3, 2), (6, 320, 1, 1)]:
                for i in range(n):
                    layers.append(Inverted(cin, c, s if i == 0 else 1, t))
                    cin = c
            self.features = nn.Sequential(*layers, *conv_bn(cin, 1280, 1))
            self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, 1000))

        def forward(self, x):
            return self.classifier(nn.functional.adaptive_avg_pool2d(self.features(x), 1).flatten(1))
    return MobileNetV2()


def torch_resnet50(nn):
    """torchvision.models.resnet50's architecture (bottleneck v1.5: stride on the 3x3), with
    `features` (the base) and `fc`."""
    class Bottleneck(nn.Module):
        def __init__(self, cin, width, stride):
            super().__init__()
            cout = width * 4
            self.body = nn.Sequential(
                nn.Conv2d(cin, width, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True),
                nn.Conv2d(width, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True),
                nn.Conv2d(width, cout, 1, bias=False), nn.BatchNorm2d(cout))
            self.shortcut = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                             if stride != 1 or cin != cout else nn.Identity())
            self.relu = nn.ReLU(inplace=True)

        def forward(self, x):
            return self.relu(self.body(x) + self.shortcut(x))

    class ResNet50(nn.Module):
        def __init__(self):
            super().__init__()
            layers, cin = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True),
                           nn.MaxPool2d(3, 2, 1)], 64
            for width, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
                for i in range(blocks):
                    layers.append(Bottleneck(cin, width, stride if i == 0 else 1))
                    cin = width * 4
            self.features = nn.Sequential(*layers)
            self.fc = nn.Linear(2048, 1000)

        def forward(self, x):
            return self.fc(nn.functional.adaptive_avg_pool2d(self.features(x), 1).flatten(1))
    return ResNet50()


def torch_rates(args):
    import torch
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    nn = torch.nn
    make = {"mobilenet_v2": torch_mobilenet_v2, "resnet50": torch_resnet50}[args.application]
    if args.mode == "frozen":
        base = make(nn).features
        for p in base.parameters():
            p.requires_grad_(False)
        width = 1280 if args.application == "mobilenet_v2" else 2048
        head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(width, 128), nn.ReLU(), nn.Dropout(0.3),
                             nn.Linear(128, 10))
        model = nn.Sequential(base, head)
        classes = 10
    else:
        model = make(nn)
        classes = 1000
    memory = torch.channels_last if args.torch_channels_last else torch.contiguous_format
    model = model.to(memory_format=memory)
    x = (torch.rand(args.batch, 3, args.size, args.size, generator=torch.Generator().manual_seed(1)) * 2 - 1)
    x = x.contiguous(memory_format=memory)
    y = torch.nn.functional.one_hot(torch.arange(args.batch) * 7 % classes, classes).float()
    if args.mode == "inference":
        model.eval()

        def body():
            with torch.inference_mode():
                model(x)
    else:
        model.train()
        if args.mode == "frozen":
            model[0].eval()
        params = [p for p in model.parameters() if p.requires_grad]
        optimizer = torch.optim.Adam(params, lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()

        def body():
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
    for _ in range(args.warmup):
        body()
    label = f"torch {torch.__version__}" + (" channels_last" if args.torch_channels_last else "")
    return [timed(args.batch, body, args.steps) for _ in range(args.runs)], label


def child(args):
    rates, version = (keras_rates if args.framework == "keras" else torch_rates)(args)
    print(json.dumps({"framework": args.framework, "version": version, "mode": args.mode, "runs": rates,
                      "median": statistics.median(rates),
                      "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--application", default="mobilenet_v2", choices=["mobilenet_v2", "resnet50"])
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--framework", default="both", choices=["keras", "torch", "both"])
    parser.add_argument("--mode", default="inference,train,frozen")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--torch-channels-last", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    print(f"{args.application} {args.size}x{args.size}x3, batch {args.batch}, threads {args.threads}")
    print("| framework | mode | samples/s | runs | peak RSS MB |")
    print("|---|---|---:|---|---:|")
    frameworks = ["keras", "torch"] if args.framework == "both" else [args.framework]
    for framework in frameworks:
        for mode in args.mode.split(","):
            command = [sys.executable, __file__, "--child", "--framework", framework, "--mode", mode,
                       "--application", args.application, "--size", str(args.size), "--batch", str(args.batch),
                       "--steps", str(args.steps), "--warmup", str(args.warmup), "--runs", str(args.runs),
                       "--threads", str(args.threads)] + (["--torch-channels-last"] if args.torch_channels_last else [])
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            report = json.loads(out.strip().splitlines()[-1])
            print(f"| {report['version']} | {mode} | {report['median']:.1f} | "
                  f"{', '.join(f'{r:.1f}' for r in report['runs'])} | {report['peak_rss_bytes'] / 1048576:.0f} |",
                  flush=True)


if __name__ == "__main__":
    main()
