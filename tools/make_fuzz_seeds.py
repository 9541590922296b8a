#!/usr/bin/env python3
"""Writes the small seed files for the fuzzers (tests/fuzz/corpus/{safetensors,config,npy}).
Standard library only; run with /usr/bin/python3 from the repository root."""
import json, os, struct

root = os.path.join(os.path.dirname(__file__), "..", "tests", "fuzz", "corpus")


def safetensors(tensors, metadata=None):
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    h = json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + data


def f32(n, v=0.01):
    return struct.pack("<%df" % n, *[v * ((i % 7) - 3) for i in range(n)])


def tiny_vit(D=4, p=2, grid=2, M=8, layers=1, prefix=""):
    t = {
        prefix + "patch_embed.proj.weight": ("F32", [D, 3, p, p], f32(D * 3 * p * p)),
        prefix + "patch_embed.proj.bias": ("F32", [D], f32(D)),
        prefix + "cls_token": ("F32", [1, 1, D], f32(D)),
        prefix + "pos_embed": ("F32", [1, 1 + grid * grid, D], f32((1 + grid * grid) * D)),
        prefix + "norm.weight": ("F32", [D], f32(D, 1)),
        prefix + "norm.bias": ("F32", [D], f32(D)),
        prefix + "head.weight": ("F16", [3, D], b"\x00\x3c" * (3 * D)),
    }
    for i in range(layers):
        b = prefix + "blocks.%d." % i
        for k, shape in [("norm1.weight", [D]), ("norm1.bias", [D]), ("attn.qkv.weight", [3 * D, D]),
                         ("attn.qkv.bias", [3 * D]), ("attn.proj.weight", [D, D]), ("attn.proj.bias", [D]),
                         ("norm2.weight", [D]), ("norm2.bias", [D]), ("mlp.fc1.weight", [M, D]),
                         ("mlp.fc1.bias", [M]), ("mlp.fc2.weight", [D, M]), ("mlp.fc2.bias", [D])]:
            n = 1
            for s in shape:
                n *= s
            t[b + k] = ("F32", shape, f32(n))
    return t


def hf_vit(D=4, p=2, grid=2, M=8):
    t = {
        "embeddings.patch_embeddings.projection.weight": ("BF16", [D, 3, p, p], b"\x80\x3f" * (D * 3 * p * p)),
        "embeddings.cls_token": ("F32", [1, 1, D], f32(D)),
        "embeddings.position_embeddings": ("F32", [1, 1 + grid * grid, D], f32((1 + grid * grid) * D)),
        "layernorm.weight": ("F32", [D], f32(D, 1)),
        "layernorm.bias": ("F32", [D], f32(D)),
    }
    b = "encoder.layer.0."
    for k, shape in [("attention.attention.query.weight", [D, D]), ("attention.attention.key.weight", [D, D]),
                     ("attention.attention.value.weight", [D, D]), ("attention.output.dense.weight", [D, D]),
                     ("layernorm_before.weight", [D]), ("layernorm_before.bias", [D]),
                     ("layernorm_after.weight", [D]), ("layernorm_after.bias", [D]),
                     ("intermediate.dense.weight", [M, D]), ("output.dense.weight", [D, M])]:
        n = 1
        for s in shape:
            n *= s
        t[b + k] = ("F32", shape, f32(n))
    return t


def write(sub, name, data):
    os.makedirs(os.path.join(root, sub), exist_ok=True)
    with open(os.path.join(root, sub, name), "wb") as f:
        f.write(data)


write("safetensors", "timm_tiny.safetensors", safetensors(tiny_vit(), {"format": "pt"}))
write("safetensors", "timm_prefixed.safetensors", safetensors(tiny_vit(prefix="module.", layers=2)))
write("safetensors", "hf_tiny.safetensors", safetensors(hf_vit()))
write("safetensors", "empty_tensor.safetensors",
      safetensors({"a": ("F32", [2], f32(2)), "e": ("F32", [0, 3], b""), "b": ("F64", [1], struct.pack("<d", 1.5))}))

# Config seeds: 8 selector bytes (see tests/fuzz/fuzz_config.cpp), then the JSON text.
configs = {
    "hf.json": {"model_type": "vit", "hidden_size": 4, "num_attention_heads": 2, "image_size": 224, "patch_size": 16,
                "layer_norm_eps": 1e-12, "hidden_act": "gelu", "id2label": {"0": "a", "1": "b"}},
    "timm.json": {"architecture": "vit_small_patch16_224", "num_classes": 3, "model_args": {"num_heads": 2, "img_size": [32, 32]},
                  "pretrained_cfg": {"input_size": [3, 32, 32], "mean": [0.5, 0.5, 0.5], "std": [0.2, 0.2, 0.2]}},
    "dinov2.json": {"model_type": "dinov2", "num_register_tokens": 0, "image_size": 518, "patch_size": 14,
                    "hidden_act": "gelu_pytorch_tanh"},
}
sel_model = bytes([0, 0, 15, 1, 16, 0, 0, 0])      # hidden 4, patch 16, cls, 17 position rows
sel_pre = bytes([1, 1, 15, 1, 4, 0, 1, 4])          # preprocessor config
for name, cfg in configs.items():
    write("config", name, sel_model + json.dumps(cfg).encode())
write("config", "preprocessor.json", sel_pre + json.dumps(
    {"do_center_crop": True, "crop_size": {"height": 32, "width": 32}, "size": {"shortest_edge": 36},
     "image_mean": [0.485, 0.456, 0.406], "image_std": [0.229, 0.224, 0.225]}).encode())


def npy(shape, values, version=1):
    dims = ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "")
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % dims
    pre = 10 if version == 1 else 12
    header += " " * ((64 - (pre + len(header) + 1) % 64) % 64) + "\n"
    ln = struct.pack("<H", len(header)) if version == 1 else struct.pack("<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + ln + header.encode() + struct.pack("<%df" % len(values), *values)


write("npy", "2x3.npy", npy([2, 3], [1, 2, 3, 4, 5, 6]))
write("npy", "vec.npy", npy([4], [0.5, -1, 2, 3]))
write("npy", "scalar.npy", npy([], [7]))
write("npy", "v2_empty.npy", npy([0, 5], [], version=2))
