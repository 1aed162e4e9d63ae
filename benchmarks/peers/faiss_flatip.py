#!/usr/bin/python3
"""Peer benchmark for CosineRetrieverBenchmarks: FAISS IndexFlatIP (exact inner product) on one thread.

Same setting: N = 100,000 unit vectors, d = 256, k = 10, seeded uniform[-1, 1) data normalised to unit length,
queries normalised too (so inner product = cosine). Measures single-query latency and batch-256 throughput.

Run with Debian's python3 (it has faiss and numpy):  /usr/bin/python3 benchmarks/peers/faiss_flatip.py
"""
import argparse
import os
import statistics
import sys
import time

# FAISS's batch path calls BLAS sgemm; Debian's OpenBLAS runs its own thread pool that omp_set_num_threads does not control.
# Pin it before numpy/faiss load so "one thread" really means one (pass --threads N to change both).
_threads = next((sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--threads"), "1")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, _threads)

import faiss
import numpy as np


def timed(fn, repeats):
    """Wall-clock and process CPU time (all threads) of each call."""
    walls, cpus = [], []
    for _ in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return walls, cpus


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--n", type=int, default=100_000)
    p.add_argument("--d", type=int, default=256)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--repeats", type=int, default=30)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()

    faiss.omp_set_num_threads(a.threads)
    rng = np.random.default_rng(42)
    data = rng.uniform(-1, 1, size=(a.n, a.d)).astype(np.float32)
    faiss.normalize_L2(data)
    queries = rng.uniform(-1, 1, size=(a.batch, a.d)).astype(np.float32)
    faiss.normalize_L2(queries)

    index = faiss.IndexFlatIP(a.d)
    index.add(data)
    single = queries[:1].copy()

    # Warm up (page in the data, JIT nothing but let BLAS pick its kernels).
    index.search(single, a.k)
    index.search(queries, a.k)

    t_single, c_single = timed(lambda: index.search(single, a.k), a.repeats)
    t_batch, c_batch = timed(lambda: index.search(queries, a.k), max(5, a.repeats // 3))

    # Exactness check against numpy.
    _, ids = index.search(queries[:4], a.k)
    ref = np.argsort(-(queries[:4] @ data.T), axis=1)[:, : a.k]
    agree = np.mean([len(set(ids[i]) & set(ref[i])) / a.k for i in range(4)])

    med_single = statistics.median(t_single)
    med_batch = statistics.median(t_batch)
    print(f"FAISS {faiss.__version__} IndexFlatIP, threads={a.threads}, N={a.n}, d={a.d}, k={a.k} (recall vs numpy {agree:.3f})")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("| case | median wall | min wall | median CPU | queries/s (wall) |")
    print("|---|---:|---:|---:|---:|")
    print(f"| single query | {med_single * 1e3:.2f} ms | {min(t_single) * 1e3:.2f} ms | {statistics.median(c_single) * 1e3:.2f} ms | {1 / med_single:,.0f} |")
    print(f"| batch of {a.batch} | {med_batch * 1e3:.1f} ms | {min(t_batch) * 1e3:.1f} ms | {statistics.median(c_batch) * 1e3:.1f} ms | {a.batch / med_batch:,.0f} |")


if __name__ == "__main__":
    main()
