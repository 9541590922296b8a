#!/usr/bin/python3
"""Convert a PyTorch checkpoint (.pth / .pt / .bin) to .safetensors for kernelscope.

    /usr/bin/python3 tools/pth_to_safetensors.py in.pth out.safetensors [--key teacher] [--strip backbone.]

kernelscope never unpickles checkpoints (unpickling can run arbitrary code). This
script loads with torch.load(weights_only=True), which only rebuilds tensors and
plain containers, and writes the tensors with a small pure-Python safetensors
writer (the `safetensors` package is not needed).

Nested checkpoints (e.g. {"model": {...}} or DINO's {"teacher": {...}}) are
unwrapped: --key picks the entry, otherwise the first of model / state_dict /
teacher / module that holds tensors is used.  --strip removes a key prefix such as
"module." or "backbone." (repeatable).

ResNets (torchvision's resnet18/34/50 state dicts, timm's resnet checkpoints) convert
the same way; kernelscope recognises them by their tensor names (conv1, layer1..4,
fc), accepts a leftover "module." prefix and ignores BatchNorm's num_batches_tracked.
"""
import argparse
import json
import struct
import sys

import torch

DTYPES = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
    torch.uint8: "U8", torch.bool: "BOOL",
}


def tensor_bytes(t):
    """Raw little-endian bytes of a contiguous CPU tensor (bf16 via its int16 view)."""
    t = t.detach().cpu().contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    data = t.numpy().tobytes()
    if sys.byteorder != "little" and t.element_size() > 1:
        data = t.numpy().byteswap().tobytes()
    return data


def write_safetensors(path, tensors, metadata=None):
    """tensors: dict name -> torch.Tensor. Writes the safetensors format:
    u64 header length, JSON header (padded with spaces to 8 bytes), data."""
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name]
        if t.dtype not in DTYPES:
            raise SystemExit(f"tensor {name} has dtype {t.dtype}, which safetensors cannot hold")
        data = tensor_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """The F32 / I64 tensors of a .safetensors file as torch tensors (the fixture scripts
    read kernelscope's test checkpoints back with it)."""
    import numpy as np
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    dtypes = {"F32": "<f4", "I64": "<i8"}
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        if t["dtype"] not in dtypes:
            raise SystemExit(f"{path}: tensor {name} is {t['dtype']}; only F32 and I64 are read")
        a, b = t["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype=dtypes[t["dtype"]]).reshape(t["shape"]).copy())
    return out


def unwrap(obj, key):
    if key:
        return obj[key]
    for k in ("model", "state_dict", "teacher", "module", "model_ema"):
        if isinstance(obj, dict) and isinstance(obj.get(k), dict) and any(
                torch.is_tensor(v) for v in obj[k].values()):
            return obj[k]
    return obj


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--key", help="entry of a nested checkpoint holding the state dict")
    ap.add_argument("--strip", action="append", default=[], help="key prefix to remove (repeatable)")
    a = ap.parse_args()
    obj = torch.load(a.src, map_location="cpu", weights_only=True)
    sd = unwrap(obj, a.key)
    if not isinstance(sd, dict):
        raise SystemExit("the checkpoint does not hold a state dict (a mapping from names to tensors)")
    out = {}
    for k, v in sd.items():
        if not torch.is_tensor(v):
            continue
        for p in a.strip:
            if k.startswith(p):
                k = k[len(p):]
        out[k] = v
    if not out:
        raise SystemExit("no tensors found; try --key")
    write_safetensors(a.dst, out, {"format": "pt", "converted_from": a.src.split("/")[-1]})
    print(f"wrote {len(out)} tensors to {a.dst}")


if __name__ == "__main__":
    main()
