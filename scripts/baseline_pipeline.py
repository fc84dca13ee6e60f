#!/usr/bin/env python3
"""Baselines for `augment bench pipeline DIR --size 224 --batch 32`: images/s of Python input
pipelines over full epochs of the same JPEG folder, with the seed recipe of
pipelines/seed-recipe.yaml (rotation 20, width/height shift 0.2, zoom 0.2, horizontal flip,
rescale 1/255) to 224x224 float32 batches of 32, shuffled. Python tools only; never a
dependency of the Swift package.

Tools (--tool, repeatable, or 'all'); N = --workers (default 2):
  keras           ImageDataGenerator(rotation_range=20, width_shift_range=0.2, height_shift_range=0.2,
                  zoom_range=0.2, horizontal_flip=True, rescale=1/255).flow_from_directory(
                  target_size=(224, 224), batch_size=32, class_mode="sparse", shuffle=True, seed=1),
                  one epoch in the calling thread (the course's usage). Keras 3 still ships it as
                  tf.keras.preprocessing.image.ImageDataGenerator (keras.src.legacy), loading with
                  PIL and resizing with its default interpolation="nearest", then scipy's affine
                  warp (order 1, fill_mode="nearest").
  keras-workers   the same iterator (a keras.utils.PyDataset in Keras 3) with `workers = N` threads,
                  iterated by Keras's own PyDatasetAdapter, the path model.fit takes (an
                  OrderedEnqueuer over a thread pool, max_queue_size 10).
  keras-processes the same with `use_multiprocessing = True` (a pool of N processes).
  albumentations  torch Dataset: cv2.imread, BGR->RGB, A.Compose([Resize(224, 224), Affine(rotate
                  ±20, translate_percent ±0.2, scale 0.8-1.2, INTER_LINEAR, BORDER_REPLICATE, p=1),
                  HorizontalFlip()]), /255 to float32 (HWC); DataLoader(batch_size=32, shuffle=True,
                  num_workers=N, persistent_workers=True), cv2.setNumThreads(1) in each worker.
  torchvision     torch Dataset: decode_jpeg(read_file) RGB, transforms.v2 Resize((224, 224)) (its
                  default antialias), RandomAffine(degrees=20, translate=(0.2, 0.2), scale=(0.8, 1.2),
                  bilinear; constant fill, v2 has no edge replicate), RandomHorizontalFlip,
                  ToDtype(float32, scale=True) (CHW); the same DataLoader.
  tfdata          tf.data over the file list: shuffle, map(read_file, decode_jpeg, resize 224
                  bilinear, Keras layers RandomRotation(20/360), RandomTranslation(0.2, 0.2),
                  RandomZoom(0.2) (fill_mode="nearest"), RandomFlip("horizontal"), Rescaling(1/255))
                  per image with num_parallel_calls=N, batch(32), prefetch(2); tf.data private
                  thread pool of N, TF intra/inter-op pools N.
  tfdata-batched  the same, but the Keras layers run once per batch after batch(32) (the idiomatic,
                  vectorised placement).
  decode          the bare read + decode, no resize or augmentation: cv2.imread on N threads (1
                  OpenCV thread each), through scripts/baseline_decode.py's run().

W3, the ImageNet training recipe (`augment bench pipeline DIR --recipe imagenet`, batches of 64):
RandomResizedCrop(224, scale=(0.08, 1), ratio=(3/4, 4/3)), horizontal flip, ColorJitter(0.4, 0.4,
0.4), Normalize(ImageNet mean/std), float32.
  w3-decode-resize  the floor without ROI decoding: cv2.imread + cv2.resize to 224x224 (INTER_LINEAR)
                    on N threads (1 OpenCV thread each), no augmentation.
  w3-albumentations torch Dataset: cv2.imread, BGR->RGB, A.Compose([RandomResizedCrop((224, 224),
                    scale, ratio), HorizontalFlip(), ColorJitter(0.4, 0.4, 0.4, 0, p=1), Normalize()])
                    (HWC float32); the 2-worker DataLoader above with batch_size=64.
  w3-torchvision    torch Dataset: PIL open + convert("RGB") (torchvision's ImageFolder loader),
                    transforms.v2 RandomResizedCrop(224), RandomHorizontalFlip(), ColorJitter(0.4, 0.4,
                    0.4), ToImage(), ToDtype(float32, scale=True), Normalize (CHW); the same DataLoader.
  w3-tfdata         tf.data: extract_jpeg_shape, sample_distorted_bounding_box(area_range (0.08, 1),
                    aspect_ratio_range (3/4, 4/3), max_attempts 10, whole image if none fits),
                    decode_and_crop_jpeg (TensorFlow's fused crop-decode), resize 224 bilinear,
                    random_flip_left_right, brightness/contrast/saturation factors uniform in
                    [0.6, 1.4] (fixed order), ImageNet normalisation, batch(64), prefetch(2); N threads.
  w3-dali           NVIDIA DALI on the CPU (pip install nvidia-dali-cuda130; device_id=None, num_threads=N):
                    readers.file (shuffled), decoders.image_random_crop (its fused ROI decode; random_area
                    (0.08, 1), random_aspect_ratio (3/4, 4/3), 10 attempts), resize 224x224, color_twist
                    with brightness/contrast/saturation uniform in [0.6, 1.4], crop_mirror_normalize
                    (coin-flip mirror, ImageNet mean/std, float32 HWC); batches copied out as numpy.
W3 + RandAugment (`augment bench pipeline DIR --recipe imagenet --rand-augment`: rand_augment with its
defaults, num_ops 2, magnitude 9, 31 bins, nearest, fill 0, after color_jitter):
  w3-torchvision-randaugment  w3-torchvision with v2.RandAugment(num_ops=2, magnitude=9) after
                              ColorJitter, on the PIL image (its 14 sub-ops run through PIL's kernels,
                              so torchvision 0.28's broken C++ ops are never called here; checked:
                              each sub-op runs on a PIL image at magnitude bin 9).
Targets (`augment bench pipeline DIR --recipe imagenet --task detection|segmentation --annotations ...`;
--annotations OUT of scripts/make_bench_targets.py):
  w3-albumentations-detection    w3-albumentations with bbox_params=A.BboxParams(format="coco",
                                 label_fields=["labels"]) and the boxes of OUT/instances.json; the batch
                                 pads boxes to [B, M, 4] float32 with labels [B, M] (-1) and counts, as
                                 Augment's Batch.annotations.
  w3-albumentations-segmentation w3-albumentations with mask=cv2.imread(OUT/masks/<stem>.png,
                                 IMREAD_UNCHANGED) (nearest), masks stacked to [B, 224, 224] int32.
Each tool runs in its own child process (own imports, threads and memory). For each epoch it
prints images/s (wall) and images per CPU-second of the process and its workers (user+sys from
/proc, robust to other load), and the median of the epochs after the first (the first includes
worker start-up); peak RSS is the sum of VmHWM over the process and its live workers (shared
pages counted per process, so an upper bound).

Folder: flat or with class sub-folders. flow_from_directory needs class sub-folders, so for a
flat folder the script makes /tmp/<name>-classes/all/ holding symlinks to the images (not
copies), reused on later runs; the other tools read the same files (every image under DIR).

Torch: torchvision's C++ image ops (decode_jpeg) do not load against this torch; the W3 torchvision
tool decodes with PIL and imports torchvision with the tolerant op registration of
scripts/make_ops_fixtures.py, so it runs under this interpreter.

Torch (seed recipe): the /opt/wheels CPU wheel (torch 2.13.0+cpu) has no matching CPU torchvision on PyPI
(PyPI's torchvision wheels are CUDA builds and fail to import against it), so when the running
interpreter cannot import torchvision the torchvision tool runs under --torchvision-python
(default /opt/venv-torchvision/bin/python, a venv with PyPI's torch 2.15.0 + torchvision 0.29.2,
CUDA builds running on the CPU).

    pip install tensorflow-cpu albumentations opencv-python-headless scipy pillow
    pip install /opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl
    python3 -m venv --system-site-packages /opt/venv-torchvision
    /opt/venv-torchvision/bin/pip install torch==2.15.0 torchvision==0.29.2
    python3 scripts/make_bench_jpegs.py ...   # /tmp/bench-jpegs, 2,000 JPEGs
    python3 scripts/baseline_pipeline.py /tmp/bench-jpegs [--tool all | --tool keras --tool tfdata ...]
        [--epochs 3] [--workers 2] [--size 224] [--batch 32] [--limit N] [--json]

Smoke test: python3 scripts/baseline_pipeline.py /tmp/bench-jpegs --limit 64 --epochs 2 --tool all
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

TOOLS = ["keras", "keras-workers", "keras-processes", "albumentations", "torchvision", "tfdata", "tfdata-batched", "decode"]
W3_TOOLS = ["w3-decode-resize", "w3-albumentations", "w3-torchvision", "w3-tfdata", "w3-dali"]
# W3 + RandAugment (`augment bench pipeline DIR --recipe imagenet --rand-augment`); not in --tool w3.
W3_RAND_AUGMENT_TOOLS = ["w3-torchvision-randaugment"]
TARGET_TOOLS = ["w3-albumentations-detection", "w3-albumentations-segmentation"]
IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp")
SEED = 1
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- process-tree accounting

def _children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


def _tree(pid=None):
    pid = pid or os.getpid()
    out = [pid]
    for child in _children(pid):
        out += _tree(child)
    return out


def tree_cpu_seconds():
    """User+sys seconds of this process, its live descendants and its reaped children."""
    total = 0
    for i, pid in enumerate(_tree()):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if i == 0:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime of reaped children
    return total / CLOCK_TICKS


class PeakRSS:
    """Largest VmHWM seen per pid of the process tree."""

    def __init__(self):
        self.peaks = {}

    def sample(self):
        for pid in _tree():
            try:
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            self.peaks[pid] = max(self.peaks.get(pid, 0), int(line.split()[1]) * 1024)
            except OSError:
                pass

    def total(self):
        self.sample()
        return sum(self.peaks.values())


# ---------------------------------------------------------------- the images

def image_paths(directory):
    """Every image under directory, sorted (class sub-folders or flat)."""
    paths = []
    for root, _, names in os.walk(directory, followlinks=True):
        paths += [os.path.join(root, n) for n in names if n.lower().endswith(EXTENSIONS)]
    return sorted(paths)


def class_layout(directory, paths):
    """A folder flow_from_directory can read holding exactly `paths`: directory itself if it has
    class sub-folders and all its images are used, else /tmp/<name>[-<count>]-classes/ of
    symlinks (class = the image's sub-folder, or 'all' for a flat folder)."""
    top = os.path.abspath(directory)
    flat = all(os.path.abspath(os.path.dirname(p)) == top for p in paths)
    complete = len(paths) == len(image_paths(directory))
    if not flat and complete:
        return directory
    name = os.path.basename(top) + ("" if complete else f"-{len(paths)}")
    target = os.path.join("/tmp", f"{name}-classes")
    wanted = {}
    for p in paths:
        parent = os.path.relpath(os.path.dirname(os.path.abspath(p)), top)
        label = "all" if parent == "." else parent.replace(os.sep, "_")
        wanted[os.path.join(target, label, os.path.basename(p))] = os.path.abspath(p)
    for link in image_paths(target) if os.path.isdir(target) else []:
        if link not in wanted:
            os.remove(link)
    for link, path in wanted.items():
        if not os.path.lexists(link):
            os.makedirs(os.path.dirname(link), exist_ok=True)
            os.symlink(path, link)
    return target


# ---------------------------------------------------------------- tools: each returns (description, epoch iterator factory)
# An epoch function yields batch sizes (and the first batch's shape/dtype via `probe`).

def tool_keras(args, paths, workers, processes=False):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ["KERAS_BACKEND"] = "tensorflow"
    import numpy as np
    import tensorflow as tf
    import keras
    from keras.src.trainers.data_adapters.py_dataset_adapter import PyDatasetAdapter
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    np.random.seed(SEED)
    ImageDataGenerator = tf.keras.preprocessing.image.ImageDataGenerator
    generator = ImageDataGenerator(rotation_range=20, width_shift_range=0.2, height_shift_range=0.2,
                                   zoom_range=0.2, horizontal_flip=True, rescale=1 / 255)
    folder = class_layout(args.directory, paths)
    iterator = generator.flow_from_directory(folder, target_size=(args.size, args.size), batch_size=args.batch,
                                             class_mode="sparse", shuffle=True, seed=SEED)
    iterator.workers = workers
    iterator.use_multiprocessing = processes
    adapter = PyDatasetAdapter(iterator, shuffle=False)

    def epoch():
        adapter.on_epoch_begin()
        for x, _ in adapter.get_numpy_iterator():
            yield x
        adapter.on_epoch_end()
    how = ("calling thread" if workers == 1 and not processes else
           f"PyDatasetAdapter/OrderedEnqueuer, {workers} {'processes' if processes else 'threads'}")
    return (f"{ImageDataGenerator.__module__}.ImageDataGenerator.flow_from_directory({folder}), {how}; "
            f"tensorflow {tf.__version__}, keras {keras.__version__}"), epoch


def _worker_init(_):
    import cv2
    import torch
    cv2.setNumThreads(1)
    torch.set_num_threads(1)


def _loader(dataset, args, workers, collate=None):
    import torch
    torch.set_num_threads(1)
    loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch, shuffle=True, num_workers=workers,
                                         persistent_workers=workers > 0, worker_init_fn=_worker_init,
                                         generator=torch.Generator().manual_seed(SEED), collate_fn=collate)

    def epoch():
        for x, _ in loader:
            yield x
    return epoch


class AlbumentationsDataset:
    def __init__(self, paths, size):
        import albumentations as A
        import cv2
        self.paths = paths
        self.transform = A.Compose([
            A.Resize(size, size, interpolation=cv2.INTER_LINEAR),
            A.Affine(rotate=(-20, 20), translate_percent=(-0.2, 0.2), scale=(0.8, 1.2),
                     interpolation=cv2.INTER_LINEAR, border_mode=cv2.BORDER_REPLICATE, p=1.0),
            A.HorizontalFlip(p=0.5),
        ], seed=SEED)

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        import cv2
        import numpy as np
        import torch
        image = cv2.cvtColor(cv2.imread(self.paths[index], cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        image = self.transform(image=image)["image"]
        return torch.from_numpy(image.astype(np.float32) * np.float32(1 / 255)), 0


def tool_albumentations(args, paths, workers):
    import albumentations
    import cv2
    import torch
    cv2.setNumThreads(1)
    return (f"albumentations {albumentations.__version__}, cv2 {cv2.__version__}, torch {torch.__version__}, "
            f"DataLoader num_workers={workers}"), _loader(AlbumentationsDataset(paths, args.size), args, workers)


class TorchvisionDataset:
    def __init__(self, paths, size):
        import torch
        from torchvision.transforms import v2
        self.paths = paths
        self.transform = v2.Compose([
            v2.Resize((size, size)),
            v2.RandomAffine(degrees=20, translate=(0.2, 0.2), scale=(0.8, 1.2),
                            interpolation=v2.InterpolationMode.BILINEAR),
            v2.RandomHorizontalFlip(),
            v2.ToDtype(torch.float32, scale=True),
        ])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        from torchvision.io import ImageReadMode, decode_jpeg, read_file
        return self.transform(decode_jpeg(read_file(self.paths[index]), mode=ImageReadMode.RGB)), 0


def tool_torchvision(args, paths, workers):
    import torch
    import torchvision
    torch.manual_seed(SEED)
    return (f"torchvision {torchvision.__version__} transforms.v2, torch {torch.__version__}, "
            f"DataLoader num_workers={workers}"), _loader(TorchvisionDataset(paths, args.size), args, workers)


def tool_tfdata(args, paths, workers, batched):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ["KERAS_BACKEND"] = "tensorflow"
    import tensorflow as tf
    import keras
    tf.config.threading.set_intra_op_parallelism_threads(workers)
    tf.config.threading.set_inter_op_parallelism_threads(workers)
    keras.utils.set_random_seed(SEED)
    L = keras.layers
    augment = keras.Sequential([
        L.RandomRotation(20 / 360, fill_mode="nearest", seed=SEED),
        L.RandomTranslation(0.2, 0.2, fill_mode="nearest", seed=SEED + 1),
        L.RandomZoom(0.2, fill_mode="nearest", seed=SEED + 2),
        L.RandomFlip("horizontal", seed=SEED + 3),
        L.Rescaling(1 / 255),
    ])

    def load(path):
        image = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
        return tf.image.resize(image, (args.size, args.size)), 0  # bilinear, float32

    dataset = tf.data.Dataset.from_tensor_slices(paths).shuffle(len(paths), seed=SEED, reshuffle_each_iteration=True)
    dataset = dataset.map(load, num_parallel_calls=workers)
    if batched:
        dataset = dataset.batch(args.batch).map(lambda x, y: (augment(x, training=True), y), num_parallel_calls=workers)
    else:
        dataset = dataset.map(lambda x, y: (augment(x, training=True), y), num_parallel_calls=workers).batch(args.batch)
    options = tf.data.Options()
    options.threading.private_threadpool_size = workers
    options.threading.max_intra_op_parallelism = 1
    options.deterministic = True
    dataset = dataset.prefetch(2).with_options(options)

    def epoch():
        for x, _ in dataset:
            yield x
    where = "per batch after batch()" if batched else "per image before batch()"
    return (f"tf.data + Keras preprocessing layers {where}, {workers} threads; "
            f"tensorflow {tf.__version__}, keras {keras.__version__}"), epoch


def tool_decode(args, paths, workers):
    import cv2
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from baseline_decode import run
    cv2.setNumThreads(1)

    def epoch():
        _, _ = run(lambda path: cv2.imread(path, cv2.IMREAD_COLOR), paths, workers)
        yield None  # no batches: the whole epoch at once
    return f"cv2 {cv2.__version__} imread via baseline_decode.run, {workers} threads, no resize/augment", epoch


class W3AlbumentationsDataset:
    def __init__(self, paths, size):
        import albumentations as A
        self.paths = paths
        self.transform = A.Compose([
            A.RandomResizedCrop(size=(size, size), scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3)),
            A.HorizontalFlip(),
            A.ColorJitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.0, p=1.0),
            A.Normalize(mean=IMAGENET_MEAN, std=IMAGENET_STD),
        ])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        import cv2
        image = cv2.cvtColor(cv2.imread(self.paths[index], cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        return self.transform(image=image)["image"], 0


class W3AlbumentationsTargetsDataset(W3AlbumentationsDataset):
    """W3AlbumentationsDataset with boxes (COCO xywh, bbox_params) or masks moved by the same draw."""

    def __init__(self, paths, size, task, annotations):
        import albumentations as A
        super().__init__(paths, size)
        self.task = task
        self.masks = os.path.join(annotations, "masks")
        if task == "detection":
            with open(os.path.join(annotations, "instances.json")) as f:
                coco = json.load(f)
            ids = {image["file_name"]: image["id"] for image in coco["images"]}
            boxes = {}
            for a in coco["annotations"]:
                boxes.setdefault(a["image_id"], []).append((a["bbox"], a["category_id"] - 1))
            self.boxes = [boxes.get(ids[os.path.basename(p)], []) for p in paths]
            self.transform = A.Compose(self.transform.transforms,
                                       bbox_params=A.BboxParams(format="coco", label_fields=["labels"]))

    def __getitem__(self, index):
        import cv2
        image = cv2.cvtColor(cv2.imread(self.paths[index], cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        if self.task == "detection":
            boxes = self.boxes[index]
            out = self.transform(image=image, bboxes=[b for b, _ in boxes], labels=[l for _, l in boxes])
            return out["image"], (out["bboxes"], out["labels"])
        stem = os.path.splitext(os.path.basename(self.paths[index]))[0]
        mask = cv2.imread(os.path.join(self.masks, stem + ".png"), cv2.IMREAD_UNCHANGED)
        out = self.transform(image=image, mask=mask)
        return out["image"], out["mask"].astype("int32")


def collate_targets(samples):
    """Images stacked; boxes padded to [B, M, 4] with labels [B, M] (-1) and counts, or masks stacked."""
    import numpy as np
    import torch
    images = torch.from_numpy(np.stack([s[0] for s in samples]))
    if not isinstance(samples[0][1], tuple):
        return images, torch.from_numpy(np.stack([s[1] for s in samples]))
    capacity = max(1, max(len(s[1][0]) for s in samples))
    boxes = np.zeros((len(samples), capacity, 4), np.float32)
    labels = np.full((len(samples), capacity), -1, np.int32)
    for i, (_, (b, l)) in enumerate(samples):
        if len(b):
            boxes[i, :len(b)] = np.asarray(b, np.float32)[:, :4]
            labels[i, :len(l)] = l
    return images, (torch.from_numpy(boxes), torch.from_numpy(labels), [len(s[1][0]) for s in samples])


def tool_w3_albumentations_targets(args, paths, workers, task):
    import albumentations
    import torch
    if not args.annotations:
        raise SystemExit("--annotations OUT (scripts/make_bench_targets.py) is needed for the targets tools")
    torch.manual_seed(SEED)
    dataset = W3AlbumentationsTargetsDataset(paths, args.size, task, args.annotations)
    return (f"albumentations {albumentations.__version__} with {task} targets, torch {torch.__version__}, "
            f"DataLoader num_workers={workers}"), _loader(dataset, args, workers, collate=collate_targets)


def tool_w3_albumentations(args, paths, workers):
    import albumentations
    import cv2
    import torch
    torch.manual_seed(SEED)
    return (f"albumentations {albumentations.__version__}, cv2 {cv2.__version__}, torch {torch.__version__}, "
            f"DataLoader num_workers={workers}"), _loader(W3AlbumentationsDataset(paths, args.size), args, workers)


def import_torchvision():
    """torchvision, registering only the C++ ops that exist (scripts/tolerant_torchvision.py)."""
    import tolerant_torchvision  # noqa: F401
    import torchvision
    return torchvision


class W3TorchvisionDataset:
    def __init__(self, paths, size, rand_augment=False):
        import torch
        import_torchvision()
        from torchvision.transforms import v2
        self.paths = paths
        # RandAugment after ColorJitter, as `--rand-augment` inserts rand_augment before normalize.
        policy = [v2.RandAugment(num_ops=2, magnitude=9)] if rand_augment else []
        self.transform = v2.Compose([
            v2.RandomResizedCrop(size, scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3)),
            v2.RandomHorizontalFlip(),
            v2.ColorJitter(0.4, 0.4, 0.4),
            *policy,
            v2.ToImage(),
            v2.ToDtype(torch.float32, scale=True),
            v2.Normalize(IMAGENET_MEAN, IMAGENET_STD),
        ])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        from PIL import Image
        with Image.open(self.paths[index]) as image:
            return self.transform(image.convert("RGB")), 0


def tool_w3_torchvision(args, paths, workers, rand_augment=False):
    import torch
    torchvision = import_torchvision()
    torch.manual_seed(SEED)
    policy = " + RandAugment(num_ops=2, magnitude=9)" if rand_augment else ""
    return (f"torchvision {torchvision.__version__} transforms.v2{policy} on PIL, torch {torch.__version__}, "
            f"DataLoader num_workers={workers}"), _loader(W3TorchvisionDataset(paths, args.size, rand_augment), args,
                                                          workers)


def tool_w3_tfdata(args, paths, workers):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(workers)
    tf.config.threading.set_inter_op_parallelism_threads(workers)
    tf.random.set_seed(SEED)
    mean, std = tf.constant(IMAGENET_MEAN) * 255, tf.constant(IMAGENET_STD) * 255

    def load(path):
        data = tf.io.read_file(path)
        shape = tf.image.extract_jpeg_shape(data)
        begin, size, _ = tf.image.sample_distorted_bounding_box(
            shape, bounding_boxes=tf.zeros([1, 0, 4]), min_object_covered=0.0, aspect_ratio_range=(3 / 4, 4 / 3),
            area_range=(0.08, 1.0), max_attempts=10, use_image_if_no_bounding_boxes=True)
        window = tf.stack([begin[0], begin[1], size[0], size[1]])
        image = tf.image.decode_and_crop_jpeg(data, window, channels=3)
        image = tf.image.resize(image, (args.size, args.size))  # bilinear, float32 0...255
        image = tf.image.random_flip_left_right(image)
        image = image * tf.random.uniform([], 0.6, 1.4)
        image = tf.image.adjust_contrast(image, tf.random.uniform([], 0.6, 1.4))
        image = tf.image.adjust_saturation(image, tf.random.uniform([], 0.6, 1.4))
        image = tf.clip_by_value(image, 0, 255)
        return (image - mean) / std, 0

    dataset = tf.data.Dataset.from_tensor_slices(paths).shuffle(len(paths), seed=SEED, reshuffle_each_iteration=True)
    dataset = dataset.map(load, num_parallel_calls=workers).batch(args.batch)
    options = tf.data.Options()
    options.threading.private_threadpool_size = workers
    options.threading.max_intra_op_parallelism = 1
    dataset = dataset.prefetch(2).with_options(options)

    def epoch():
        for x, _ in dataset:
            yield x
    return f"tf.data with decode_and_crop_jpeg, {workers} threads; tensorflow {tf.__version__}", epoch


def tool_w3_decode_resize(args, paths, workers):
    import cv2
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from baseline_decode import run
    cv2.setNumThreads(1)
    size = args.size

    def epoch():
        _, _ = run(lambda path: cv2.resize(cv2.imread(path, cv2.IMREAD_COLOR), (size, size),
                                           interpolation=cv2.INTER_LINEAR), paths, workers)
        yield None  # no batches: the whole epoch at once
    return f"cv2 {cv2.__version__} imread + resize {size}x{size} INTER_LINEAR, {workers} threads", epoch


def tool_w3_dali(args, paths, workers):
    import math
    import nvidia.dali as dali
    from nvidia.dali import fn, types

    @dali.pipeline_def(batch_size=args.batch, num_threads=workers, device_id=None, seed=SEED, prefetch_queue_depth=2)
    def pipeline():
        jpegs, labels = fn.readers.file(files=paths, random_shuffle=True, name="reader")
        images = fn.decoders.image_random_crop(jpegs, device="cpu", output_type=types.RGB, random_area=[0.08, 1.0],
                                               random_aspect_ratio=[3 / 4, 4 / 3], num_attempts=10)
        images = fn.resize(images, resize_x=args.size, resize_y=args.size)
        images = fn.color_twist(images, brightness=fn.random.uniform(range=[0.6, 1.4]),
                                contrast=fn.random.uniform(range=[0.6, 1.4]),
                                saturation=fn.random.uniform(range=[0.6, 1.4]))
        images = fn.crop_mirror_normalize(images, dtype=types.FLOAT, output_layout="HWC",
                                          mean=[m * 255 for m in IMAGENET_MEAN], std=[s * 255 for s in IMAGENET_STD],
                                          mirror=fn.random.coin_flip())
        return images, labels

    pipe = pipeline()
    pipe.build()
    batches = math.ceil(len(paths) / args.batch)

    def epoch():
        for index in range(batches):
            images, _ = pipe.run()
            array = images.as_array()
            remainder = len(paths) - index * args.batch
            yield array if remainder >= args.batch else array[:remainder]
    return f"NVIDIA DALI {dali.__version__} on the CPU, {workers} threads", epoch


def make_tool(name, args, paths):
    if name == "w3-dali":
        return tool_w3_dali(args, paths, args.workers)
    if name in TARGET_TOOLS:
        return tool_w3_albumentations_targets(args, paths, args.workers, name.rsplit("-", 1)[1])
    if name == "w3-albumentations":
        return tool_w3_albumentations(args, paths, args.workers)
    if name == "w3-torchvision":
        return tool_w3_torchvision(args, paths, args.workers)
    if name == "w3-torchvision-randaugment":
        return tool_w3_torchvision(args, paths, args.workers, rand_augment=True)
    if name == "w3-tfdata":
        return tool_w3_tfdata(args, paths, args.workers)
    if name == "w3-decode-resize":
        return tool_w3_decode_resize(args, paths, args.workers)
    if name == "keras":
        return tool_keras(args, paths, 1)
    if name == "keras-workers":
        return tool_keras(args, paths, args.workers)
    if name == "keras-processes":
        return tool_keras(args, paths, args.workers, processes=True)
    if name == "albumentations":
        return tool_albumentations(args, paths, args.workers)
    if name == "torchvision":
        return tool_torchvision(args, paths, args.workers)
    if name in ("tfdata", "tfdata-batched"):
        return tool_tfdata(args, paths, args.workers, batched=name == "tfdata-batched")
    if name == "decode":
        return tool_decode(args, paths, args.workers)
    raise ValueError(name)


# ---------------------------------------------------------------- driver

def measure(name, args):
    """Runs `args.epochs` epochs of one tool in this process."""
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    paths = image_paths(args.directory)[: args.limit or None]
    description, epoch = make_tool(name, args, paths)
    rss = PeakRSS()
    epochs, shape = [], None
    for index in range(args.epochs):
        cpu0, wall0 = tree_cpu_seconds(), time.perf_counter()
        images = 0
        for x in epoch():
            if x is None:
                images = len(paths)
                shape = "-"
                continue
            if shape is None:
                shape = f"{tuple(x.shape)} {x.dtype}"
                assert "float32" in str(x.dtype), shape
                assert args.size in tuple(x.shape)[1:] and tuple(x.shape)[0] == min(args.batch, len(paths)), shape
            images += int(x.shape[0])
        wall, cpu = time.perf_counter() - wall0, tree_cpu_seconds() - cpu0
        rss.sample()
        epochs.append({"epoch": index, "images": images, "seconds": wall, "images_per_s": images / wall,
                       "images_per_cpu_s": images / max(cpu, 1e-9)})
        assert images == len(paths), (images, len(paths))
    steady = epochs[1:] or epochs
    return {"tool": name, "description": description, "first_batch": shape, "epochs": epochs,
            "median_images_per_s": statistics.median(e["images_per_s"] for e in steady),
            "median_images_per_cpu_s": statistics.median(e["images_per_cpu_s"] for e in steady),
            "peak_rss_bytes": rss.total()}


def interpreter_for(tool, args):
    if tool != "torchvision":
        return sys.executable
    probe = subprocess.run([sys.executable, "-c", "import torchvision"], capture_output=True)
    if probe.returncode == 0 or not os.path.exists(args.torchvision_python):
        return sys.executable
    return args.torchvision_python


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory")
    parser.add_argument("--tool", action="append", choices=TOOLS + W3_TOOLS + W3_RAND_AUGMENT_TOOLS + TARGET_TOOLS + ["all", "w3"],
                        help="repeatable; default all (the seed recipe's tools); w3: the ImageNet recipe's tools")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="threads/processes of the parallel tools")
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--batch", type=int, default=0, help="default 32, 64 for the w3 tools")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N images (smoke tests)")
    parser.add_argument("--torchvision-python", default="/opt/venv-torchvision/bin/python",
                        help="interpreter for the torchvision tool when this one cannot import torchvision")
    parser.add_argument("--annotations", help="OUT of scripts/make_bench_targets.py, for the targets tools")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.batch == 0:
        args.batch = 64 if args.tool and any(t == "w3" or t.startswith("w3-") for t in args.tool) else 32
    if args.epochs <= 0 or args.workers <= 0 or args.size <= 0 or args.batch <= 0:
        parser.error("epochs, workers, size and batch must be positive")

    if args.child:
        print(json.dumps(measure(args.child, args)))
        return
    requested = [t for name in (args.tool or ["all"]) for t in (TOOLS if name == "all" else W3_TOOLS if name == "w3" else [name])]
    tools = list(dict.fromkeys(requested))
    count = len(image_paths(args.directory)[: args.limit or None])
    if count == 0:
        parser.error(f"no images under {args.directory}")
    if not args.json:
        print(f"baseline pipeline: {args.directory} ({count} images), {args.size}x{args.size}, batch {args.batch}, "
              f"{args.workers} workers, {args.epochs} epochs; median of epochs after the first")
    reports = []
    base = [a for a in sys.argv[1:] if a not in ("--json",)] + ["--batch", str(args.batch)]
    for tool in tools:
        argv = [interpreter_for(tool, args), os.path.abspath(__file__)] + base + ["--child", tool]
        result = subprocess.run(argv, stdout=subprocess.PIPE, text=True)
        if result.returncode != 0:
            print(f"{tool}: FAILED (exit {result.returncode})", file=sys.stderr, flush=True)
            continue
        report = json.loads(result.stdout.strip().splitlines()[-1])
        reports.append(report)
        if not args.json:
            per_epoch = ", ".join(f"{e['images_per_s']:.0f}" for e in report["epochs"])
            print(f"{tool:15s} {report['median_images_per_s']:7.0f} images/s  "
                  f"{report['median_images_per_cpu_s']:7.0f} images/CPU-s  peak RSS {report['peak_rss_bytes'] / 1048576:6.0f} MB"
                  f"  | epochs: {per_epoch} | {report['first_batch']}\n{'':16s}{report['description']}", flush=True)
    if args.json:
        print(json.dumps({"directory": args.directory, "images": count, "size": args.size, "batch": args.batch,
                          "workers": args.workers, "epochs": args.epochs, "tools": reports}, indent=2))


if __name__ == "__main__":
    main()
