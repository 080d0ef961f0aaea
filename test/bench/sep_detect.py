"""SEP (Source Extractor as a library) on image files, for `npm run bench:detect`.

Usage: sep_detect.py RUNS THRESHOLD FILE...  Prints JSON: {"sep": version, "images": [{"file",
"ms", "stars": [[x, y], ...]}]}, ms the median of RUNS runs of background + extraction on the
image's grey levels (cv2.imread grayscale: the same BT.601 weights as stardash).
"""
import json
import statistics
import sys
import time

import cv2
import numpy as np
import sep


def main() -> None:
    runs = int(sys.argv[1])
    threshold = float(sys.argv[2])
    out = []
    for path in sys.argv[3:]:
        data = cv2.imread(path, cv2.IMREAD_GRAYSCALE).astype(np.float32)
        times = []
        objects = None
        for _ in range(runs + 1):
            t0 = time.perf_counter()
            background = sep.Background(data)
            sep.set_extract_pixstack(10_000_000)
            objects = sep.extract(data - background, threshold, err=background.globalrms)
            times.append((time.perf_counter() - t0) * 1000)
        out.append({
            "file": path,
            "ms": statistics.median(times[1:]),
            "stars": [[float(x), float(y)] for x, y in zip(objects["x"], objects["y"])],
        })
    print(json.dumps({"sep": sep.__version__, "images": out}))


main()
