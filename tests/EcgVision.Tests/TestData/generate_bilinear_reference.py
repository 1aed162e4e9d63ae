"""Generates bilinear_reference.json: torch F.interpolate(mode='bilinear', align_corners=False) outputs.

Run with Debian's interpreter (torch 1.13): /usr/bin/python3 generate_bilinear_reference.py
The C# ImageResize.Bilinear parity test (ImageResizeTests) reads the JSON from this folder.
"""
import json

import numpy as np
import torch
import torch.nn.functional as F

CASES = [
    # (channels, height, width, out_height, out_width)
    (1, 4, 4, 8, 8),       # upscale x2
    (2, 5, 7, 3, 4),       # mild downscale, non-square
    (1, 10, 10, 3, 3),     # downscale by > 2: torch skips pixels (no antialias)
    (1, 7, 3, 7, 3),       # identity
    (2, 1, 5, 4, 2),       # single source row
    (1, 6, 8, 13, 5),      # up in height, down in width
    (3, 30, 40, 22, 22),   # the tiled 3x4 aspect ratio, small
]


def main():
    rng = np.random.default_rng(20231106)
    cases = []
    for c, h, w, oh, ow in CASES:
        x = rng.standard_normal((c, h, w)).astype(np.float32)
        y = F.interpolate(torch.from_numpy(x)[None], size=(oh, ow), mode="bilinear", align_corners=False)[0]
        cases.append({
            "shape": [c, h, w],
            "size": [oh, ow],
            "input": [float(v) for v in x.ravel()],
            "output": [float(v) for v in y.numpy().ravel()],
        })
    with open("bilinear_reference.json", "w") as f:
        json.dump({"generator": f"torch {torch.__version__} F.interpolate(mode='bilinear', align_corners=False)", "cases": cases}, f)


if __name__ == "__main__":
    main()
