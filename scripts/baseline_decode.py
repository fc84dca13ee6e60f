#!/usr/bin/env python3
"""Baseline for `augment bench decode`: JPEG decode throughput of OpenCV
(cv2.imdecode) and simplejpeg (both on libjpeg-turbo) over the same folder,
1 and 2 threads, files read into memory first. Prints the median of REPEAT runs
in wall-clock images/s and in images per CPU-second (robust to other load).

Usage: pip install opencv-python-headless simplejpeg numpy
       python3 scripts/baseline_decode.py /tmp/bench-jpegs [--repeat 3]
"""
import argparse, os, statistics, time
from concurrent.futures import ThreadPoolExecutor

import numpy as np


def decoders():
    found = {}
    try:
        import cv2
        cv2.setNumThreads(1)
        found["cv2"] = lambda b: cv2.imdecode(np.frombuffer(b, np.uint8), cv2.IMREAD_COLOR)
        found["cv2-reduced2"] = lambda b: cv2.imdecode(np.frombuffer(b, np.uint8), cv2.IMREAD_REDUCED_COLOR_2)
    except ImportError:
        print("cv2 not installed")
    try:
        import simplejpeg
        found["simplejpeg"] = lambda b: simplejpeg.decode_jpeg(b, colorspace="RGB")
    except ImportError:
        print("simplejpeg not installed")
    return found


def run(decode, blobs, threads):
    start = time.perf_counter()
    if threads == 1:
        pixels = 0
        for b in blobs:
            image = decode(b)
            pixels += image.shape[0] * image.shape[1]
    else:
        chunks = [blobs[i::threads] for i in range(threads)]

        def work(chunk):
            total = 0
            for b in chunk:
                image = decode(b)
                total += image.shape[0] * image.shape[1]
            return total

        with ThreadPoolExecutor(threads) as pool:
            pixels = sum(pool.map(work, chunks))
    return time.perf_counter() - start, pixels


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    names = sorted(n for n in os.listdir(args.directory) if n.lower().endswith((".jpg", ".jpeg")))
    blobs = []
    for name in names:
        with open(os.path.join(args.directory, name), "rb") as f:
            blobs.append(f.read())
    print(f"{len(blobs)} files, {sum(map(len, blobs)) / 1e6:.1f} MB")
    for label, decode in decoders().items():
        for threads in (1, 2):
            run(decode, blobs[:50], threads)  # warm-up
            times, cpu_times = [], []
            for _ in range(args.repeat):
                cpu_start = time.process_time()
                seconds, pixels = run(decode, blobs, threads)
                cpu_times.append(time.process_time() - cpu_start)
                times.append(seconds)
            median = statistics.median(times)
            print(f"{label:14s} threads={threads}  {len(blobs) / median:8.0f} images/s  "
                  f"{pixels / median / 1e6:7.1f} MP/s  {len(blobs) / statistics.median(cpu_times):8.0f} images/CPU-s"
                  f"  (median of {args.repeat}: " + ", ".join(f"{t:.3f}" for t in times) + " s)")


if __name__ == "__main__":
    main()
