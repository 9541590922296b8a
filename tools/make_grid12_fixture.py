#!/usr/bin/env python3
"""Writes tests/fixtures/vit/grid12/timm: a ViT with ViT-B's 12 layers x 12 heads and
224 px / patch 16 input (a 14 x 14 grid), but a hidden size of 48 (head dim 4), so the
file stays small. Seeded random weights (numpy only); the GUI tests use it for the
layout of a ViT-B-shaped heads grid and its labels, not for numbers.

    /usr/bin/python3 tools/make_grid12_fixture.py
"""
import json
import os
import struct

import numpy as np

LAYERS, HEADS, D, MLP, PATCH, SIZE, CLASSES = 12, 12, 48, 96, 16, 224, 1000
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "vit", "grid12", "timm")


def tensors():
    rng = np.random.default_rng(12)
    n = (SIZE // PATCH) ** 2 + 1

    def w(*shape, scale=None):
        s = scale if scale is not None else 1.0 / np.sqrt(shape[-1])
        return (rng.standard_normal(shape) * s).astype(np.float16)

    t = {
        "cls_token": w(1, 1, D, scale=0.5),
        "pos_embed": w(1, n, D, scale=0.5),
        "patch_embed.proj.weight": w(D, 3, PATCH, PATCH, scale=1.0 / np.sqrt(3 * PATCH * PATCH)),
        "patch_embed.proj.bias": w(D, scale=0.1),
        "norm.weight": np.ones(D, np.float16),
        "norm.bias": np.zeros(D, np.float16),
        "head.weight": w(CLASSES, D),
        "head.bias": w(CLASSES, scale=0.1),
    }
    for i in range(LAYERS):
        p = f"blocks.{i}."
        # A larger q/k scale in later layers gives the heads visibly different maps.
        t[p + "attn.qkv.weight"] = w(3 * D, D, scale=(0.3 + 0.15 * i) / np.sqrt(D))
        t[p + "attn.qkv.bias"] = w(3 * D, scale=0.1)
        t[p + "attn.proj.weight"] = w(D, D)
        t[p + "attn.proj.bias"] = w(D, scale=0.1)
        t[p + "mlp.fc1.weight"] = w(MLP, D)
        t[p + "mlp.fc1.bias"] = w(MLP, scale=0.1)
        t[p + "mlp.fc2.weight"] = w(D, MLP)
        t[p + "mlp.fc2.bias"] = w(D, scale=0.1)
        for k in ("norm1", "norm2"):
            t[p + k + ".weight"] = np.ones(D, np.float16)
            t[p + k + ".bias"] = np.zeros(D, np.float16)
    return t


def write_safetensors(path, ts):
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name in sorted(ts):
        b = np.ascontiguousarray(ts[name]).tobytes()
        header[name] = {"dtype": "F16", "shape": list(ts[name].shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def main():
    os.makedirs(OUT, exist_ok=True)
    write_safetensors(os.path.join(OUT, "model.safetensors"), tensors())
    cfg = {"architecture": "vit_kernelscope_grid12", "num_classes": CLASSES, "model_args": {"num_heads": HEADS},
           "pretrained_cfg": {"input_size": [3, SIZE, SIZE], "mean": [0.485, 0.456, 0.406],
                              "std": [0.229, 0.224, 0.225], "interpolation": "bicubic"}}
    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump(cfg, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
