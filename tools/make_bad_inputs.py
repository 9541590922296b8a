#!/usr/bin/env python3
"""Writes the hostile-input corpus tests/data/bad/ (standard library only; run with
/usr/bin/python3 from the repository root). The expected sentences live beside it in
tests/data/bad/cases.tsv, checked by tests/test_bad_inputs.cpp."""
import json, os, struct, shutil, zlib

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "tests", "data", "bad")
seeds = os.path.join(here, "..", "tests", "fuzz", "corpus", "image")
os.makedirs(out, exist_ok=True)


def put(rel, data):
    p = os.path.join(out, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data)


def safetensors(tensors, raw_header=None):
    header, data = {}, b""
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    h = raw_header if raw_header is not None else json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + data


def f32(n, v=0.05):
    return struct.pack("<%df" % n, *[v * ((i % 7) - 3) for i in range(n)])


def tiny_vit(D=4, p=2, grid=2, M=8):
    """A 1-block timm ViT: hidden 4, patch 2, a 2 x 2 position grid, 3 classes."""
    t = {
        "patch_embed.proj.weight": ("F32", [D, 3, p, p], f32(D * 3 * p * p)),
        "patch_embed.proj.bias": ("F32", [D], f32(D)),
        "cls_token": ("F32", [1, 1, D], f32(D)),
        "pos_embed": ("F32", [1, 1 + grid * grid, D], f32((1 + grid * grid) * D)),
        "norm.weight": ("F32", [D], f32(D, 1)),
        "norm.bias": ("F32", [D], f32(D)),
        "head.weight": ("F16", [3, D], b"\x00\x3c" * (3 * D)),
    }
    for k, shape in [("norm1.weight", [D]), ("norm1.bias", [D]), ("attn.qkv.weight", [3 * D, D]), ("attn.qkv.bias", [3 * D]),
                     ("attn.proj.weight", [D, D]), ("attn.proj.bias", [D]), ("norm2.weight", [D]), ("norm2.bias", [D]),
                     ("mlp.fc1.weight", [M, D]), ("mlp.fc1.bias", [M]), ("mlp.fc2.weight", [D, M]), ("mlp.fc2.bias", [D])]:
        n = 1
        for s in shape:
            n *= s
        t["blocks.0." + k] = ("F32", shape, f32(n))
    return t


good = tiny_vit()
put("good/model.safetensors", safetensors(good))
put("good/config.json", json.dumps({"num_attention_heads": 2, "image_size": 4, "patch_size": 2}).encode())

t = dict(good)
dt, sh, raw = t["blocks.0.attn.qkv.weight"]
t["blocks.0.attn.qkv.weight"] = (dt, sh, raw[:20] + struct.pack("<f", float("nan")) + raw[24:])
put("nan_weights/model.safetensors", safetensors(t))
t = dict(good)
t["head.weight"] = ("F16", [3, 4], b"\x00\x3c" * 7 + b"\x00\x7c" + b"\x00\x3c" * 4)  # +Inf at element 7
put("inf_weights/model.safetensors", safetensors(t))
t = dict(good)
del t["blocks.0.norm2.bias"]
put("missing_tensor/model.safetensors", safetensors(t))
t = dict(good)
t["blocks.0.attn.proj.weight"] = ("F32", [4, 3], f32(12))
put("misshapen_tensor/model.safetensors", safetensors(t))
t = dict(good)
t["patch_embed.proj.weight"] = ("F32", [0, 3, 2, 2], b"")
put("zero_hidden/model.safetensors", safetensors(t))
put("config_contradicts/model.safetensors", safetensors(good))
put("config_contradicts/config.json", json.dumps({"num_attention_heads": 2, "patch_size": 16}).encode())
put("config_grid_overflow/model.safetensors", safetensors(good))
put("config_grid_overflow/config.json", json.dumps({"image_size": 4294967296}).encode())
put("config_heads_overflow/model.safetensors", safetensors(good))
put("config_heads_overflow/config.json", b'{"num_attention_heads": 4294967297}')
put("config_negative_eps/model.safetensors", safetensors(good))
put("config_negative_eps/config.json", b'{"layer_norm_eps": -1e-06}')

h = {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
     "e": {"dtype": "F32", "shape": [0], "data_offsets": [4, 4]},
     "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}
put("overlapping_offsets.safetensors", safetensors({}, json.dumps(h).encode()) + b"\0" * 12)
h = {"a": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 8]}}
put("overflowing_shape.safetensors", safetensors({}, json.dumps(h).encode()) + b"\0" * 8)
h = {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}
put("trailing_bytes.safetensors", safetensors({}, json.dumps(h).encode()) + b"\0" * 12)
put("truncated.safetensors", safetensors(good)[:300])

png = open(os.path.join(seeds, "rgb17.png"), "rb").read()
jpg = open(os.path.join(seeds, "rgb17.jpg"), "rb").read()
put("truncated.png", png[:60])
idat = png.index(b"IDAT") + 4
put("corrupt.png", png[:idat] + bytes(b ^ 0x5A for b in png[idat:idat + 40]) + png[idat + 40:])
put("truncated.jpg", jpg[:200])
put("corrupt.jpg", jpg[:2] + b"\xff\x00" + jpg[4:])
put("wrong_extension.jpg", b"This is a text file, whatever its name says.\n")
put("zero_bytes.png", b"")


def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)


put("huge_header.png", b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)) +
    chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))
# A header claiming 4000 x 4000 RGB over one row of data: stb would fill the rest with zeros.
put("png_claims_16mp_holds_one_row.png", b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4000, 4000, 8, 2, 0, 0, 0)) +
    chunk(b"IDAT", zlib.compress(b"\0" + b"\x80" * 12000)) + chunk(b"IEND", b""))
sof = jpg.index(b"\xff\xc0")
put("huge_header.jpg", jpg[:sof + 5] + struct.pack(">HH", 60000, 60000) + jpg[sof + 9:])
dht = jpg.index(b"\xff\xc4")
put("bad_huffman.jpg", jpg[:dht + 5] + bytes([255] * 16) + jpg[dht + 21:])
# Tables a scan uses but no segment defines: stb 2.27 decodes with its unzeroed decoder
# state (UBSan: shift exponents of 34, indexes past its tables). rgb17.jpg defines DC and AC
# tables 0 and 1 and quantisation tables 0 and 1; its scan's first component uses 0 / 0.
sos = jpg.index(b"\xff\xda")
put("jpeg_undefined_ac_table.jpg", jpg[:sos + 6] + b"\x02" + jpg[sos + 7:])
put("jpeg_undefined_dc_table.jpg", jpg[:sos + 6] + b"\x30" + jpg[sos + 7:])
put("jpeg_undefined_quant_table.jpg", jpg[:sof + 12] + b"\x03" + jpg[sof + 13:])
put("a_folder.png/.keep", b"")


def tiny_resnet(stem_out=4, stem_k=7, width=4):
    """A BasicBlock ResNet with one block per stage (torchvision names), BatchNorm identity."""
    t = {}

    def conv_bn(conv, bn, out, inp, k):
        t[conv + ".weight"] = ("F32", [out, inp, k, k], f32(out * inp * k * k, 0.01))
        t[bn + ".weight"] = ("F32", [out], struct.pack("<%df" % out, *[1.0] * out))
        t[bn + ".bias"] = ("F32", [out], f32(out, 0))
        t[bn + ".running_mean"] = ("F32", [out], f32(out, 0))
        t[bn + ".running_var"] = ("F32", [out], struct.pack("<%df" % out, *[1.0] * out))

    conv_bn("conv1", "bn1", stem_out, 3, stem_k)
    channels = stem_out
    for L in range(4):
        out, base = width << L, "layer%d.0." % (L + 1)
        conv_bn(base + "conv1", base + "bn1", out, channels, 3)
        conv_bn(base + "conv2", base + "bn2", out, out, 3)
        if L > 0 or out != channels:
            conv_bn(base + "downsample.0", base + "downsample.1", out, channels, 1)
        channels = out
    t["fc.weight"] = ("F32", [10, channels], f32(10 * channels, 0.01))
    t["fc.bias"] = ("F32", [10], f32(10, 0))
    return t


# A stem kernel past the limit (a 301 x 301 one ran for minutes), and a stem of 256
# channels whose pass at --image-size 4096 would take 158 billion multiply-adds.
put("resnet_stem_17x17/model.safetensors", safetensors(tiny_resnet(stem_k=17)))
put("resnet_wide_stem/model.safetensors", safetensors(tiny_resnet(stem_out=256)))
