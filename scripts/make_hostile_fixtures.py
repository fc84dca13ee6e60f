"""Writes the hostile-input fixtures: tiny files whose headers lie, each paired with the
named error its test expects (Tests/*/Fixtures/hostile/).

    python3 scripts/make_hostile_fixtures.py

Every file is a few hundred bytes; the byte layouts are written out here by hand so that
nothing (no library's own sanity checks) stands between the lie and Augment's reader.
"""
import json
import pathlib
import struct

ROOT = pathlib.Path(__file__).resolve().parent.parent


def write(relative, data):
    path = ROOT / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"{relative}: {len(data)} bytes")


def tiff(entries, payload=b""):
    """A little-endian classic TIFF: header, one directory (tag, type, count, value), payload after it."""
    directory_offset = 8
    directory_size = 2 + 12 * len(entries) + 4
    payload_offset = directory_offset + directory_size
    out = b"II*\x00" + struct.pack("<I", directory_offset) + struct.pack("<H", len(entries))
    for tag, kind, count, value in sorted(entries):
        if value == "payload":
            value = payload_offset
        packed = struct.pack("<H", value) + b"\0\0" if kind == 3 and count == 1 else struct.pack("<I", value)
        out += struct.pack("<HHI", tag, kind, count) + packed
    return out + struct.pack("<I", 0) + payload


SHORT, LONG = 3, 4
RGB_8 = [(258, SHORT, 1, 8), (259, SHORT, 1, 1), (262, SHORT, 1, 2), (277, SHORT, 1, 3), (284, SHORT, 1, 1)]
# 3 BitsPerSample values for RGB would need an offset; one value applies to every sample in libtiff.

# A 64x64 RGB image stored as one 61440x61440 tile: the header claims an 11 GB tile.
huge_tile = tiff([(256, LONG, 1, 64), (257, LONG, 1, 64), (322, LONG, 1, 61440), (323, LONG, 1, 61440),
                  (324, LONG, 1, "payload"), (325, LONG, 1, 300)] + RGB_8, b"\x80" * 300)
write("Tests/ImagingTests/Fixtures/hostile/huge-tile.tif", huge_tile)

# A 64x64 RGB image in one strip whose byte count claims 4 GB.
huge_strip = tiff([(256, LONG, 1, 64), (257, LONG, 1, 64), (278, LONG, 1, 0xFFFFFFFF),
                   (273, LONG, 1, "payload"), (279, LONG, 1, 0xFFFFFFF0)] + RGB_8, b"\x80" * 300)
write("Tests/ImagingTests/Fixtures/hostile/huge-strip.tif", huge_strip)


def safetensors(header, data=b""):
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


hostile = "Tests/TrainingTests/Fixtures/hostile/"
# The 8-byte header length claims 2^63 bytes.
write(hostile + "header-length.safetensors", struct.pack("<Q", 1 << 63) + b"{}      ")
# A shape whose element count overflows 64 bits.
write(hostile + "shape-overflow.safetensors",
      safetensors({"w": {"dtype": "F32", "shape": [1 << 40, 1 << 40], "data_offsets": [0, 16]}}, b"\0" * 16))
# Offsets far outside the file, and their difference overflowing.
write(hostile + "offsets-outside.safetensors",
      safetensors({"w": {"dtype": "F32", "shape": [4], "data_offsets": [1 << 50, (1 << 50) + 16]}}, b"\0" * 16))
write(hostile + "offsets-overflow.safetensors",
      safetensors({"w": {"dtype": "F32", "shape": [4], "data_offsets": [-(1 << 63), (1 << 63) - 1]}}, b"\0" * 16))
# A shape of a billion floats over 16 bytes of data.
write(hostile + "shape-lies.safetensors",
      safetensors({"w": {"dtype": "F32", "shape": [1000000000], "data_offsets": [0, 4000000000]}}, b"\0" * 16))


pipelines = "Tests/WorkflowsTests/Fixtures/hostile/"
BASE = "data:\n  directory: images\n  target_size: [28, 28]\n  batch_size: 16\n"
# "Billion laughs": nine levels of ten aliases each expand to 10^9 values.
laughs = "lol0: &lol0 [lol]\n" + "".join(
    f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 10)}]\n" for i in range(1, 10))
write(pipelines + "billion-laughs.yaml", ("x:\n  " + laughs.replace("\n", "\n  ").rstrip() + "\n" + BASE
                                          + "augmentation: *lol9\n").encode())
write(pipelines + "deep-flow.yaml", (BASE + "model: " + "[" * 5000 + "]" * 5000 + "\n").encode())
write(pipelines + "deep-block.yaml", (BASE + "model:\n  layers:\n    " + "- " * 5000 + "x\n").encode())
write(pipelines + "not-utf8.yaml", BASE.encode() + b"  color_mode: gr\xe9y\n")
write(pipelines + "wrong-type.yaml", BASE.replace("batch_size: 16", "batch_size: [16]").encode())
for key, values in {"batch_size": ["0", "-1"], "target_size": ["[0, 28]", "[-28, 28]", "[1000000000, 28]"],
                    "workers": ["0", "-2", "1000000000"], "prefetch": ["0", "-1"]}.items():
    for value in values:
        name = value.strip("[]").split(",")[0].replace("-", "minus-")
        text = BASE + f"  {key}: {value}\n" if key not in BASE else BASE.replace(
            f"{key}: " + ("[28, 28]" if key == "target_size" else "16"), f"{key}: {value}")
        write(pipelines + f"{key}-{name}.yaml", text.encode())

# Three one-line mistakes that validation accepts and memory cannot hold: each must be refused
# against the memory limit before anything is allocated.
TRAIN = ("data:\n  directory: ../../../../samples/digits/train\n  target_size: [28, 28]\n  color_mode: grayscale\n"
         "  batch_size: 16\nmodel:\n  layers:\n    - flatten\n    - dense: {units: 10, activation: softmax}\n"
         "training:\n  epochs: 1\n  verbose: 0\n")
write(pipelines + "memory-batch-size.yaml", TRAIN.replace("batch_size: 16", "batch_size: 1000000000").encode())
write(pipelines + "memory-target-size.yaml",
      TRAIN.replace("target_size: [28, 28]", "target_size: [16384, 16384]").replace("batch_size: 16", "batch_size: 64")
      .replace("grayscale", "rgb").encode())
write(pipelines + "memory-dense-units.yaml",
      TRAIN.replace("    - dense: {units: 10", "    - dense: {units: 2000000000}\n    - dense: {units: 10").encode())

# A valid file for the safetensors fuzz target's seed corpus (the hostile ones above join it).
write("Fuzz/Seeds/safetensors/two-tensors.safetensors",
      safetensors({"__metadata__": {"format": "augment"},
                   "dense/kernel": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
                   "dense/bias": {"dtype": "F32", "shape": [3], "data_offsets": [24, 36]}},
                  struct.pack("<9f", *[0.5 * i for i in range(9)])))

# Layer sizes of 0, negative and 10^9.
write(pipelines + "layer-units-0.yaml", TRAIN.replace("dense: {units: 10", "dense: {units: 0").encode())
write(pipelines + "layer-units-minus-5.yaml", TRAIN.replace("dense: {units: 10", "dense: {units: -5").encode())
write(pipelines + "layer-filters-1000000000.yaml",
      TRAIN.replace("    - flatten\n", "    - conv2d: {filters: 1000000000, kernel_size: 3}\n    - flatten\n").encode())

# Found by the pipeline fuzz target: Yams reads YAML 1.1 base-60 integers (1:30:00) without
# overflow checks and traps on a large one.
write(pipelines + "sexagesimal-overflow.yaml", BASE.replace("batch_size: 16", "batch_size: 1:0:0:0:0:0:0:0:0:0:0:0").encode())
write(pipelines + "sexagesimal-overflow-list.yaml",
      BASE.replace("target_size: [28, 28]", "target_size: [28, 922337203685477580:59]").encode())
