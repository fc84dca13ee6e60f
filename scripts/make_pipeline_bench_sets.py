"""Benchmark data for `augment bench pipeline` (test data only).

Usage: python3 scripts/make_pipeline_bench_sets.py bench|mem OUTDIR

bench2000/: 2,000 JPEG photos of 200-500 px (random crops/rescales of the
scikit-image sample photos), in 2 class folders.
mem20000/: 20,000 224x224 JPEGs in 4 class folders.
"""
import os, random, sys, glob
from PIL import Image
random.seed(0)
photos = [  # the scikit-image sample photos (PNG/JPEG)
    Image.open(p).convert("RGB") for p in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples", "photos", "*", "*"))) if p.lower().endswith((".png", ".jpg", ".jpeg"))]
which, out = sys.argv[1], sys.argv[2]
def crop(img, w, h):
    W, H = img.size
    s = random.uniform(0.4, 1.0)
    cw, ch = max(8, int(W * s)), max(8, int(H * s))
    x, y = random.randint(0, W - cw), random.randint(0, H - ch)
    return img.crop((x, y, x + cw, y + ch)).resize((w, h), Image.BILINEAR)
if which == "bench":
    for i in range(2000):
        d = f"{out}/bench2000/c{i % 2}"; os.makedirs(d, exist_ok=True)
        w, h = random.randint(200, 500), random.randint(200, 500)
        crop(random.choice(photos), w, h).save(f"{d}/img_{i:05d}.jpg", quality=90)
else:
    for i in range(20000):
        d = f"{out}/mem20000/c{i % 4}"; os.makedirs(d, exist_ok=True)
        crop(random.choice(photos), 224, 224).save(f"{d}/img_{i:05d}.jpg", quality=85)
