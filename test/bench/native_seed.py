#!/usr/bin/env python3
"""The seed's analysis in native OpenCV, timed: the reference stardash's bench compares against.

Usage: /usr/bin/python3 test/bench/native_seed.py OUT_DIR RUNS FILE...
Files cv2.imread cannot read (GIF, in OpenCV 4.6) are left out and listed under "unreadable".
Per file, in one process: cv2.imread, SimpleBlobDetector (the seed's parameters) on the grey image,
drawKeypoints (rich, red) and imwrite (JPEG quality 90 for JPEG inputs, PNG otherwise, as stardash
writes) — median ms of each stage over RUNS. Then the whole list in a ProcessPoolExecutor with one
process per core (the seed's layout), RUNS times: median wall seconds. Prints one JSON object.
"""
import json
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import cv2

_detector = None


def detector():
    global _detector
    if _detector is None:
        params = cv2.SimpleBlobDetector_Params()
        params.filterByColor = True
        params.blobColor = 255
        params.filterByArea = True
        params.minArea = 10
        _detector = cv2.SimpleBlobDetector_create(params)
    return _detector


def analyse(job):
    path, out = job
    t0 = time.perf_counter()
    image = cv2.imread(path)
    t1 = time.perf_counter()
    keypoints = detector().detect(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
    t2 = time.perf_counter()
    drawn = cv2.drawKeypoints(image, keypoints, None, (0, 0, 255), cv2.DRAW_MATCHES_FLAGS_DRAW_RICH_KEYPOINTS)
    if out.endswith(".jpg"):
        cv2.imwrite(out, drawn, [cv2.IMWRITE_JPEG_QUALITY, 90])
    else:
        cv2.imwrite(out, drawn)
    t3 = time.perf_counter()
    return len(keypoints), (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000


def main():
    out_dir, runs, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    unreadable = [path for path in dict.fromkeys(files) if cv2.imread(path) is None]
    jobs = []
    for i, path in enumerate(files):
        if path in unreadable:
            continue
        ext = ".jpg" if path.lower().endswith((".jpg", ".jpeg")) else ".png"
        jobs.append((path, os.path.join(out_dir, f"{i}{ext}")))
    per_image = {}
    for job in dict.fromkeys(jobs):
        samples = [analyse(job) for _ in range(runs)]
        per_image[job[0]] = {
            "stars": samples[0][0],
            "decodeMs": statistics.median(s[1] for s in samples),
            "detectMs": statistics.median(s[2] for s in samples),
            "annotateMs": statistics.median(s[3] for s in samples),
        }
    walls = []
    workers = os.cpu_count()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(analyse, jobs[:workers]))  # start the processes and load OpenCV first
        for _ in range(runs):
            t0 = time.perf_counter()
            list(pool.map(analyse, jobs))
            walls.append(time.perf_counter() - t0)
    print(json.dumps({
        "opencv": cv2.__version__,
        "workers": workers,
        "unreadable": unreadable,
        "images": len(jobs),
        "perImage": per_image,
        "wallSeconds": statistics.median(walls),
    }))


if __name__ == "__main__":
    main()
