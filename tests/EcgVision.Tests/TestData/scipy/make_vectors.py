#!/usr/bin/python3
"""Writes scipy_vectors.json: SciPy reference outputs for the EcgVision preprocessing parity tests.

Run from the repository root with Debian's SciPy (1.10):

    /usr/bin/python3 tests/EcgVision.Tests/TestData/scipy/make_vectors.py

Inputs are NOT stored: they are re-created bit-for-bit by the C# tests from the same tiny generators
(xorshift64* uniform noise and a Gaussian-sum "ECG" formula, see `noise` and `ecg` below and
ScipyVectors.cs). Long outputs are stored as head + tail + a strided subset + sum / sum of squares to keep
the JSON small (< 300 KB).
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import signal

MASK = (1 << 64) - 1


def noise(seed, n):
    """Uniform [-1, 1) from xorshift64* (same as ScipyVectors.Noise in C#)."""
    s = (seed * 0x9E3779B97F4A7C15 + 1) & MASK
    out = np.empty(n)
    for i in range(n):
        s ^= (s >> 12)
        s ^= (s << 25) & MASK
        s ^= (s >> 27)
        v = (s * 0x2545F4914F6CDD1D) & MASK
        out[i] = (v >> 11) * (1.0 / (1 << 53)) * 2.0 - 1.0
    return out


def ecg(seed, n, fs):
    """Gaussian-sum PQRST beats at 72 bpm + 0.3 Hz baseline + 0.02 noise (same as ScipyVectors.Ecg in C#)."""
    t = np.arange(n) / fs
    rr = 60.0 / 72.0
    phase = np.mod(t, rr) - 0.35
    waves = [(0.15, -0.2, 0.025), (-0.1, -0.03, 0.01), (1.2, 0.0, 0.012), (-0.25, 0.03, 0.01), (0.3, 0.25, 0.04)]
    y = np.zeros(n)
    for a, mu, sd in waves:
        y += a * np.exp(-((phase - mu) ** 2) / (2 * sd * sd))
    y += 0.4 * np.sin(2 * np.pi * 0.3 * t)
    y += 0.02 * noise(seed, n)
    return y


def pack(y):
    y = np.asarray(y, dtype=np.float64)
    n = len(y)
    r = lambda v: float(f"{v:.13g}")
    if n <= 200:
        return {"n": n, "all": [r(v) for v in y]}
    stride = max(7, n // 100)
    return {"n": n, "head": [r(v) for v in y[:40]], "tail": [r(v) for v in y[-40:]],
            "stride": stride, "strided": [r(v) for v in y[::stride]],
            "sum": float(np.sum(y)), "sumsq": float(np.sum(y * y))}


def make_input(kind, seed, n, fs):
    return noise(seed, n) if kind == "noise" else ecg(seed, n, fs)


def main():
    butter = []
    bands = [("lowpass", 15.0), ("highpass", 0.5), ("bandpass", [0.5, 40.0]), ("bandstop", [48.0, 52.0]),
             ("bandpass", [5.0, 15.0]), ("highpass", 40.0), ("lowpass", 0.5)]
    for fs in (100.0, 250.0, 500.0):
        for btype, wn in bands:
            if max(np.atleast_1d(wn)) >= fs / 2:
                continue
            for order in range(1, 9):
                sos = signal.butter(order, wn, btype=btype, fs=fs, output="sos")
                butter.append({"order": order, "band": btype, "cutoff": list(np.atleast_1d(wn).astype(float)),
                               "fs": fs, "sos": [[float(v) for v in row] for row in sos]})

    filtfilt = []
    specs = [(2, "highpass", 0.5, 100.0), (4, "bandpass", [0.5, 40.0], 500.0), (3, "lowpass", 15.0, 250.0),
             (2, "bandstop", [48.0, 52.0], 500.0), (1, "bandpass", [5.0, 15.0], 100.0), (5, "highpass", 0.5, 250.0)]
    for order, btype, wn, fs in specs:
        sos = signal.butter(order, wn, btype=btype, fs=fs, output="sos")
        for n in (50, 1000, 5000):
            for kind, seed in (("noise", 7), ("ecg", 11)):
                x = make_input(kind, seed, n, fs)
                ntaps = 2 * len(sos) + 1 - min((sos[:, 2] == 0).sum(), (sos[:, 5] == 0).sum())
                if n <= 3 * ntaps:
                    filtfilt.append({"order": order, "band": btype, "cutoff": list(np.atleast_1d(wn).astype(float)),
                                     "fs": fs, "input": kind, "seed": seed, "n": n, "error": True,
                                     "padlen": int(3 * ntaps)})
                    continue
                y = signal.sosfiltfilt(sos, x)
                z = signal.sosfilt(sos, x)
                filtfilt.append({"order": order, "band": btype, "cutoff": list(np.atleast_1d(wn).astype(float)),
                                 "fs": fs, "input": kind, "seed": seed, "n": n, "error": False,
                                 "filtfilt": pack(y), "forward": pack(z)})

    resample = []
    for up, down, n, kind, fs in [(1, 5, 1000, "ecg", 500.0), (5, 1, 1000, "ecg", 100.0), (1, 2, 1000, "noise", 500.0),
                                  (2, 5, 1000, "ecg", 250.0), (5, 2, 50, "noise", 100.0), (25, 18, 1000, "ecg", 360.0),
                                  (18, 25, 1000, "noise", 500.0), (1, 5, 50, "ecg", 500.0), (3, 1, 17, "noise", 100.0)]:
        x = make_input(kind, 3, n, fs)
        y = signal.resample_poly(x, up, down)
        resample.append({"up": up, "down": down, "n": n, "input": kind, "seed": 3, "fs": fs, "y": pack(y)})

    out = {"scipy": scipy.__version__, "numpy": np.__version__,
           "generator": "tests/EcgVision.Tests/TestData/scipy/make_vectors.py",
           "butter": butter, "sosfiltfilt": filtfilt, "resample_poly": resample}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scipy_vectors.json")
    with open(path + ".tmp", "w") as f:
        json.dump(out, f, separators=(",", ":"))
    os.replace(path + ".tmp", path)
    print(path, os.path.getsize(path), "bytes;", len(butter), "butter,", len(filtfilt), "sosfiltfilt,",
          len(resample), "resample_poly cases")


if __name__ == "__main__":
    main()
