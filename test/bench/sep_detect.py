"""SEP (Source Extractor as a library) on image files, for `npm run bench:detect`.

Usage: sep_detect.py RUNS THRESHOLD FILE...  Prints JSON: {"sep": version, "images": [{"file",
"ms", "background_ms", "blob_ms", "stars": [[x, y], ...]}]}: ms the median of RUNS runs of
background + extraction on the image's grey levels (cv2.imread grayscale: the same BT.601 weights
as stardash), background_ms that of the mesh background alone, and blob_ms that of native OpenCV's
SimpleBlobDetector with the seed's parameters on the same grey image, on one thread.

SEP allocates its pixel stack on every extraction, so an oversized stack is time spent on memory,
not on the image (10 million pixels cost ~130 ms an extraction): the stack starts at 1 million and
doubles, in the untimed first run, only for an image that fills it.
"""
import json
import statistics
import sys
import time

import cv2
import numpy as np
import sep

from native_seed import detector as seed_blob_detector  # the seed's parameters, in one place


def median_ms(runs, work):
    work()  # warms up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        work()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def extract(data, threshold):
    background = sep.Background(data)
    return sep.extract(data - background, threshold, err=background.globalrms)


def main() -> None:
    runs = int(sys.argv[1])
    threshold = float(sys.argv[2])
    pixstack = 1_000_000
    sep.set_extract_pixstack(pixstack)
    cv2.setNumThreads(1)
    blob = seed_blob_detector()
    out = []
    for path in sys.argv[3:]:
        grey = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
        data = grey.astype(np.float32)
        while True:  # an untimed run that sizes the pixel stack
            try:
                objects = extract(data, threshold)
                break
            except Exception as error:  # SEP says "internal pixel buffer full"
                if "pixel buffer full" not in str(error):
                    raise
                pixstack *= 2
                sep.set_extract_pixstack(pixstack)
        out.append({
            "file": path,
            "ms": median_ms(runs, lambda: extract(data, threshold)),
            "background_ms": median_ms(runs, lambda: sep.Background(data)),
            "blob_ms": median_ms(runs, lambda: blob.detect(grey)),
            "stars": [[float(x), float(y)] for x, y in zip(objects["x"], objects["y"])],
        })
    print(json.dumps({"sep": sep.__version__, "images": out}))


main()
