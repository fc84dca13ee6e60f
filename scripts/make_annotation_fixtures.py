#!/usr/bin/env python3
"""Small COCO / Pascal VOC / YOLO annotation files for the DataPipeline readers,
good and malformed records side by side, under
Tests/DataPipelineTests/Fixtures/annotations/.

COCO's compressed RLE strings are written by a transcription of pycocotools'
`rleToString` (column-major runs, 5-bit groups + 48, differences from two back),
checked against pycocotools' own encoder, so the Swift decoder is tested against the
reference encoding. Polygon masks of coco-polygons.json are rasterised by pycocotools
(`frPyObjects` + `decode`) into coco-polygons-masks.json.

Usage: pip install pillow numpy pycocotools && python3 scripts/make_annotation_fixtures.py
"""
import json, os
import numpy as np
from PIL import Image
import pycocotools.mask as coco_mask

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "DataPipelineTests", "Fixtures", "annotations")


def runs(mask):
    """Column-major run lengths starting with a run of zeros (pycocotools' encode)."""
    flat = mask.T.reshape(-1)
    counts, current, length = [], 0, 0
    for value in flat:
        if value != current:
            counts.append(length)
            current, length = value, 0
        length += 1
    counts.append(length)
    return counts


def rle_to_string(counts):
    out = []
    for i, x in enumerate(counts):
        if i > 2:
            x -= counts[i - 2]
        more = True
        while more:
            c = x & 0x1F
            x >>= 5
            more = (x != -1) if (c & 0x10) else (x != 0)
            if more:
                c |= 0x20
            out.append(chr(c + 48))
    return "".join(out)


W, H = 10, 8
blob = np.zeros((H, W), np.uint8)
blob[2:5, 6:9] = 1                      # rows 2..4, columns 6..8
crowd = np.zeros((H, W), np.uint8)
crowd[6:8, 0:3] = 1
assert rle_to_string(runs(crowd)) == coco_mask.encode(np.asfortranarray(crowd))["counts"].decode()
coco = {
    "images": [{"id": i, "file_name": f"{n}.png", "width": W, "height": H}
               for i, n in [(1, "good"), (2, "box-outside"), (3, "unknown-category"), (4, "short-polygon"),
                            (5, "rle-size")]],
    "categories": [{"id": 7, "name": "dog"}, {"id": 3, "name": "cat", "keypoints": ["left_eye", "right_eye"]}],
    "annotations": [
        {"id": 11, "image_id": 1, "category_id": 3, "bbox": [1, 1, 4, 3], "iscrowd": 0,
         "segmentation": [[1, 1, 5, 1, 5, 4, 1, 4]], "keypoints": [2, 2, 2, 4, 2, 1]},
        {"id": 12, "image_id": 1, "category_id": 7, "bbox": [6, 2, 3, 3], "iscrowd": 0,
         "segmentation": {"counts": runs(blob), "size": [H, W]}, "keypoints": [7, 3, 2, 0, 0, 0]},
        {"id": 13, "image_id": 1, "category_id": 7, "bbox": [0, 6, 3, 2], "iscrowd": 1,
         "segmentation": {"counts": rle_to_string(runs(crowd)), "size": [H, W]}},
        {"id": 21, "image_id": 2, "category_id": 7, "bbox": [8, 1, 4, 2], "iscrowd": 0},
        {"id": 31, "image_id": 3, "category_id": 99, "bbox": [1, 1, 2, 2], "iscrowd": 0},
        {"id": 41, "image_id": 4, "category_id": 3, "bbox": [1, 1, 2, 2], "iscrowd": 0,
         "segmentation": [[1, 1, 3, 3]]},
        {"id": 51, "image_id": 5, "category_id": 3, "bbox": [1, 1, 2, 2], "iscrowd": 0,
         "segmentation": {"counts": [20, 5, 5], "size": [3, 10]}},
    ],
}
os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "coco.json"), "w") as f:
    json.dump(coco, f, indent=1)

voc = os.path.join(OUT, "voc")
os.makedirs(voc, exist_ok=True)
def voc_file(name, filename, objects, width=W, height=H):
    body = "".join(f"<object><name>{n}</name><difficult>{d}</difficult><bndbox><xmin>{b[0]}</xmin><ymin>{b[1]}</ymin>"
                   f"<xmax>{b[2]}</xmax><ymax>{b[3]}</ymax></bndbox></object>" for n, d, b in objects)
    with open(os.path.join(voc, name), "w") as f:
        f.write(f"<annotation><filename>{filename}</filename><size><width>{width}</width><height>{height}</height>"
                f"<depth>3</depth></size>{body}</annotation>\n")
voc_file("a.xml", "a.jpg", [("dog", 0, (1, 2, 5, 6)), ("cat", 1, (4, 1, 10, 8))])
voc_file("b.xml", "b.jpg", [("cat", 0, (2, 2, 11, 5))])          # xmax beyond the width
with open(os.path.join(voc, "c.xml"), "w") as f:
    f.write("<annotation><filename>c.jpg</filename><size>\n")    # not well-formed

yolo = os.path.join(OUT, "yolo")
for folder in ("images", "labels"):
    os.makedirs(os.path.join(yolo, folder), exist_ok=True)
for name in ("a", "b", "c", "d"):
    Image.new("RGB", (2, 2)).save(os.path.join(yolo, "images", name + ".png"))
labels = {"a": "0 0.5 0.5 0.2 0.4\n1 0.25 0.75 0.5 0.5\n",
          "b": "1 0.9 0.5 0.4 0.2\n",         # reaches x = 1.1
          "c": "0 0.5 0.5\n"}                  # d.png has no label file: background
for name, text in labels.items():
    with open(os.path.join(yolo, "labels", name + ".txt"), "w") as f:
        f.write(text)

# Image/mask folder pair with a 16-bit class map (values above 255).
pairs = os.path.join(OUT, "mask-pairs")
for folder in ("images", "masks"):
    os.makedirs(os.path.join(pairs, folder), exist_ok=True)
Image.new("RGB", (3, 2)).save(os.path.join(pairs, "images", "deep.png"))
Image.fromarray(np.array([[0, 1, 300], [4000, 2, 65535]], dtype=np.uint16)).save(os.path.join(pairs, "masks", "deep.png"))

# Polygons rasterised by pycocotools: a triangle, a slanted quadrilateral, a thin shape.
PW, PH = 24, 20
polygons = [[2, 2, 12, 3, 6, 11], [14, 1, 22, 5, 19, 12, 13, 8], [3, 13, 9, 17.5, 4.5, 19, 1, 16]]
with open(os.path.join(OUT, "coco-polygons.json"), "w") as f:
    json.dump({"images": [{"id": 1, "file_name": "shapes.png", "width": PW, "height": PH}],
               "categories": [{"id": 1, "name": "shape"}],
               "annotations": [{"id": i + 1, "image_id": 1, "category_id": 1, "iscrowd": 0, "segmentation": [p]}
                               for i, p in enumerate(polygons)]}, f)
planes = [coco_mask.decode(coco_mask.frPyObjects([p], PH, PW))[:, :, 0].reshape(-1).tolist() for p in polygons]
with open(os.path.join(OUT, "coco-polygons-masks.json"), "w") as f:
    json.dump(planes, f)

# pycocotools' own compressed RLE strings of a few planes (long runs, runs shorter than the
# one two back, an empty and a full plane), for the Swift encoder.
rng = np.random.default_rng(7)
RW, RH = 37, 29
rle_planes = [np.zeros((RH, RW), np.uint8), np.ones((RH, RW), np.uint8)]
blocky = np.zeros((RH, RW), np.uint8)
blocky[3:25, 2:30] = 1
blocky[10:12, 5:33] = 0
rle_planes += [blocky, (rng.random((RH, RW)) < 0.3).astype(np.uint8), (rng.random((RH, RW)) < 0.97).astype(np.uint8)]
with open(os.path.join(OUT, "coco-rle-strings.json"), "w") as f:
    json.dump({"width": RW, "height": RH,
               "cases": [{"plane": p.reshape(-1).tolist(),
                          "counts": coco_mask.encode(np.asfortranarray(p))["counts"].decode()} for p in rle_planes]}, f)
