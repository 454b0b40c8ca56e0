#!/usr/bin/env python3
"""The usual tool for comparison: segmenting the samples with Python jieba.

`plantrack bench` reports the throughput of the whole extraction; this script measures what
Python with jieba does with the same text (segmentation only, no extraction), so the two can be
set side by side. Needs `pip install jieba`. Best of `--runs` runs, one thread.

With `--plantrack PATH` it also runs `PATH extract` as a whole process (starting, reading the
file, extracting, writing the JSON) on the same text in the same run, interleaved with jieba
(each round: jieba once, then plantrack five times, its median taken), and prints the ratio of
the bests and each round's ratio.
"""
import argparse
import statistics
import glob
import os
import subprocess
import tempfile
import time

import jieba

here = os.path.dirname(os.path.abspath(__file__))
PLANTRACK_PER_ROUND = 5
parser = argparse.ArgumentParser()
parser.add_argument("--runs", type=int, default=3)
parser.add_argument("--copies", type=int, default=1)
parser.add_argument("--plantrack", help="a plantrack binary to time on the same text")
args = parser.parse_args()

texts = [open(p, encoding="utf-8").read()
         for p in sorted(glob.glob(os.path.join(here, "../samples/tianjin/*.txt")))]


def distinct_copies(text, copies):
    """As `plantrack bench` makes them: every non-blank line of the k-th copy (k >= 1) ends in
    （k）, so that no copy repeats another (a text printed twice over is read once)."""
    out = []
    for k in range(copies):
        for line in text.splitlines(keepends=True):
            body = line[:-1] if line.endswith("\n") else line
            end = "\n" if line.endswith("\n") else ""
            out.append(body + (f"（{k}）" if k > 0 and body.strip() else "") + end)
    return "".join(out)


text = distinct_copies("\n".join(texts), args.copies)
size = len(text.encode("utf-8"))
jieba.initialize()  # the dictionary is loaded once, outside the timing


def time_jieba():
    start = time.perf_counter()
    jieba.lcut(text)
    return time.perf_counter() - start


if not args.plantrack:
    best = min(time_jieba() for _ in range(args.runs))
    print(f"jieba.lcut: {size} bytes, best of {args.runs}: {best:.3f} s, {size / 1e6 / best:.2f} MB/s")
else:
    # The machine's speed drifts by the minute: each round times jieba once and plantrack
    # `PLANTRACK_PER_ROUND` times right after it, so both meet the same conditions. plantrack's
    # time in a round is the median of its runs (a best of five against one run of jieba would
    # favour it), and each round gives a ratio of its own.
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "samples.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        times, ptimes, ratios = [], [], []
        for _ in range(args.runs):
            j = time_jieba()
            p = []
            for _ in range(PLANTRACK_PER_ROUND):
                start = time.perf_counter()
                subprocess.run([args.plantrack, "extract", path], check=True,
                               stdout=subprocess.DEVNULL)
                p.append(time.perf_counter() - start)
            times.append(j)
            ptimes.append(statistics.median(p))
            ratios.append(j / statistics.median(p))
        best, pbest = min(times), min(ptimes)
        print(f"jieba.lcut: {size} bytes, best of {args.runs}: {best:.3f} s, {size / 1e6 / best:.2f} MB/s")
        print(f"plantrack extract (whole process, JSON out): best of {args.runs} rounds' medians "
              f"of {PLANTRACK_PER_ROUND}: {pbest:.3f} s, {size / 1e6 / pbest:.2f} MB/s, "
              f"{best / pbest:.1f}x jieba.lcut; per round: "
              + ", ".join(f"{r:.1f}x" for r in ratios)
              + f" (median {statistics.median(ratios):.1f}x)")
