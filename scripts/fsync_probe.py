#!/usr/bin/env python3
"""How long this disk takes to make one small write durable: the floor under every AA.

Writes a 4 KiB page and calls fdatasync, N times, the way SQLite's WAL commits a page:
  overwrite  the same 64 pages in place (a WAL that has wrapped: the usual case)
  append     a file that grows (a fresh WAL before its first checkpoint wraps it)
Prints p50/p90/p99 in microseconds. A figure, not a test: run it on an otherwise quiet
machine, next to the database (default: the current directory).

  scripts/fsync_probe.py [--dir DIR] [--count N]
"""
import argparse
import os
import tempfile
import time


def probe(directory, count, append):
    page = b"\x01" * 4096
    fd, path = tempfile.mkstemp(dir=directory, prefix="fsync-probe-")
    try:
        took = []
        for i in range(count):
            offset = i * (4096 + 24) if append else (i % 64) * 4096
            os.pwrite(fd, page, offset)
            start = time.perf_counter_ns()
            os.fdatasync(fd)
            took.append((time.perf_counter_ns() - start) / 1000)
    finally:
        os.close(fd)
        os.unlink(path)
    took.sort()
    return {q: took[min(len(took) - 1, int(len(took) * q))] for q in (0.5, 0.9, 0.99)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=".")
    ap.add_argument("--count", type=int, default=2000)
    a = ap.parse_args()
    for name, append in (("overwrite", False), ("append", True)):
        q = probe(a.dir, a.count, append)
        print(f"fdatasync {name:9s} us: p50 {q[0.5]:.0f}  p90 {q[0.9]:.0f}  p99 {q[0.99]:.0f}  ({a.count} writes)")


if __name__ == "__main__":
    main()
