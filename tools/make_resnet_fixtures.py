#!/usr/bin/python3
"""Build the ResNet parity fixtures in tests/fixtures/resnet/ (run with Debian's torch):

    /usr/bin/python3 tools/make_resnet_fixtures.py [out_dir]

torchvision's own ResNet class (BasicBlock / Bottleneck, v1.5 strides) at the real
depths of ResNet-18, -34 and -50, with reduced widths so the committed files stay
small (a real ResNet-50 is ~100 MB in float32). Weights are torchvision's seeded
random init; BatchNorm is *not* the identity: gamma and beta are random, and the
running statistics are first measured on random batches (so activations keep a sane
scale through 50 layers), then perturbed with seeded noise. Models are written in
the torchvision layout (with BatchNorm's num_batches_tracked counters) and the timm
layout (same names, no counters).

Expected values come from torchvision in eval mode: every stage's output
(layer1..layer4) and the logits, and effective kernels -- the gradient of
sum_c layerS[c, row, col] with respect to the normalised input -- from torch
autograd. Everything is float32 .npy; inputs are the exact normalised tensors
[3,H,W], except image.png, which the CLI test reads through the app's loader.
"""
import contextlib
import json
import os
import sys

import numpy as np
import torch
from PIL import Image
from torch import nn
from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pth_to_safetensors import write_safetensors  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "resnet")
MEAN = np.array([0.485, 0.456, 0.406], np.float32)   # ImageNet, what the CLI uses by default
STD = np.array([0.229, 0.224, 0.225], np.float32)
MIN_MARGIN = 5e-5   # see gate_margin; stage outputs are good to ~1e-5 relative in float32


class NarrowResNet(ResNet):
    """torchvision's ResNet with the four stage widths chosen (64, 128, 256, 512 in
    the real models); everything else -- blocks, strides, forward -- is torchvision's."""

    def __init__(self, block, layers, widths, num_classes):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes, self.dilation, self.groups, self.base_width = widths[0], 1, 1, 64
        self.conv1 = nn.Conv2d(3, self.inplanes, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(self.inplanes)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, widths[0], layers[0])
        self.layer2 = self._make_layer(block, widths[1], layers[1], stride=2)
        self.layer3 = self._make_layer(block, widths[2], layers[2], stride=2)
        self.layer4 = self._make_layer(block, widths[3], layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(widths[3] * block.expansion, num_classes)
        for m in self.modules():  # torchvision's init
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")


MODELS = {
    # name: (block, depths, widths, classes, seed)
    "r18": (BasicBlock, [2, 2, 2, 2], [8, 16, 32, 64], 10, 18),
    "r34": (BasicBlock, [3, 4, 6, 3], [4, 8, 16, 32], 10, 34),
    "r50": (Bottleneck, [3, 4, 6, 3], [8, 16, 32, 64], 10, 50),
}


def save_npy(path, a):
    np.save(path, np.ascontiguousarray(np.asarray(a, dtype=np.float32)))


def build(name):
    block, depths, widths, classes, seed = MODELS[name]
    torch.manual_seed(seed)
    m = NarrowResNet(block, depths, widths, classes)
    g = torch.Generator().manual_seed(seed + 1000)
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.weight.copy_(1.0 + 0.2 * torch.randn(mod.weight.shape, generator=g))
                mod.bias.copy_(0.1 * torch.randn(mod.bias.shape, generator=g))
                mod.momentum = None  # cumulative average over the calibration batches
        m.fc.bias.copy_(0.1 * torch.randn(m.fc.bias.shape, generator=g))
        m.train()
        for _ in range(4):
            m(torch.randn(8, 3, 64, 64, generator=g))
        for mod in m.modules():
            if isinstance(mod, nn.BatchNorm2d):
                c = mod.running_mean.numel()
                mod.running_mean.add_(0.1 * torch.randn(c, generator=g))
                mod.running_var.mul_(torch.empty(c).uniform_(0.7, 1.4, generator=g))
    return m.eval()


def stages(m, x):
    """Every stage's output and the logits, as torchvision computes them."""
    t = m.maxpool(m.relu(m.bn1(m.conv1(x))))
    outs = []
    for layer in (m.layer1, m.layer2, m.layer3, m.layer4):
        t = layer(t)
        outs.append(t)
    logits = m.fc(torch.flatten(m.avgpool(t), 1))
    assert torch.allclose(logits, m(x), atol=1e-5)
    return outs, logits


def effective_kernel(m, x, stage, row, col):
    xi = x.clone().requires_grad_(True)
    outs, _ = stages(m, xi[None])
    outs[stage - 1][0, :, row, col].sum().backward()
    return xi.grad.detach()


@contextlib.contextmanager
def gate_margin_hooks(m):
    """Within it, every backward pass through m appends to the yielded list the smallest
    |ReLU input| among the units its gradient flows through."""
    found, pending = [], []

    def before(mod, inp):  # ReLU is in place: keep its input before it is overwritten
        pending.append(inp[0].detach().abs().clone())

    def after(mod, inp, out):
        pre = pending.pop()
        out.register_hook(lambda g: found.append(float(pre[g != 0].min()) if (g != 0).any() else 1e9))
    relus = [mod for mod in m.modules() if isinstance(mod, nn.ReLU)]
    handles = [r.register_forward_pre_hook(before) for r in relus] + [r.register_forward_hook(after) for r in relus]
    try:
        yield found
    finally:
        for h in handles:
            h.remove()


def gate_margin(m, x, stage, row, col):
    """The smallest |ReLU input| among the units the query's gradient flows through.
    The effective kernel jumps where a gate switches; a unit this close to 0 could
    switch under float32 rounding (ResNet-50's stages are only good to ~3e-5 relative
    in float32, torch's included), so cases are chosen where this margin is large."""
    with gate_margin_hooks(m) as found:
        effective_kernel(m, x, stage, row, col)
    return min(found) if found else 1e9


def write_model(d, m, layout):
    os.makedirs(d, exist_ok=True)
    sd = {k: v.detach().clone() for k, v in m.state_dict().items()}
    if layout == "timm":
        sd = {k: v for k, v in sd.items() if not k.endswith("num_batches_tracked")}
    write_safetensors(os.path.join(d, "model.safetensors"), sd, {"format": "pt"})


def smooth_png(path, w, h, seed):
    """A smooth random photo stand-in (low-frequency noise), saved as 8-bit RGB."""
    g = torch.Generator().manual_seed(seed)
    small = torch.rand(1, 3, h // 8 + 1, w // 8 + 1, generator=g)
    big = torch.nn.functional.interpolate(small, size=(h, w), mode="bicubic", align_corners=False)[0]
    u8 = (big.clamp(0, 1) * 255).round().byte().permute(1, 2, 0).numpy()
    Image.fromarray(u8, "RGB").save(path)
    return u8


def normalised(u8):
    x = (u8.astype(np.float32) / 255.0 - MEAN) / STD
    return torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))


def main():
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(7)
    inputs = {"input_64": torch.randn(3, 64, 64, generator=g),
              "input_80x96": torch.randn(3, 80, 96, generator=g)}  # [3, H=80, W=96]: odd grids down to 3 x 3
    for k, v in inputs.items():
        save_npy(os.path.join(OUT, k + ".npy"), v.numpy())
    u8a = smooth_png(os.path.join(OUT, "image.png"), 96, 80, 11)
    u8b = smooth_png(os.path.join(OUT, "image_b.png"), 96, 80, 12)
    inputs["image"] = normalised(u8a)
    inputs["image_b"] = normalised(u8b)

    grads = {   # model: [(input, stage, row, col)]
        "r18": [("input_64", 1, 5, 7), ("input_64", 3, 2, 1), ("input_80x96", 4, 1, 2), ("image", 3, 2, 3)],
        "r50": [("input_64", 2, 3, 4), ("input_64", 3, 1, 2), ("input_64", 4, 1, 1), ("input_80x96", 3, 3, 4),
                ("image", 3, 2, 3)],
        "r34": [("input_80x96", 3, 4, 5)],
    }
    index = {"models": {}, "grads": []}
    for name in MODELS:
        m = build(name)
        write_model(os.path.join(OUT, name, "tv"), m, "tv")
        if name != "r34":
            write_model(os.path.join(OUT, name, "timm"), m, "timm")
        with torch.no_grad():
            for key in ("input_64", "input_80x96", "image"):
                outs, logits = stages(m, inputs[key][None])
                for s, o in enumerate(outs, 1):
                    save_npy(os.path.join(OUT, name, f"{key}_layer{s}.npy"), o[0].numpy())
                save_npy(os.path.join(OUT, name, f"{key}_logits.npy"), logits[0].numpy())
        for n, (key, stage, row, col) in enumerate(grads[name]):
            # A ReLU within float32 rounding of switching makes the kernel jump (by
            # design: it is piecewise constant in x), so a random input is redrawn,
            # seeded, until every gate the gradient passes through is clear of 0.
            x, in_file = inputs[key], key + ".npy"
            margin = gate_margin(m, x, stage, row, col)
            tries = 0
            while margin < MIN_MARGIN and key.startswith("input") and tries < 40:
                tries += 1
                x = torch.randn(inputs[key].shape, generator=torch.Generator().manual_seed(1000 * n + tries))
                in_file = f"{name}/{key}_grad_layer{stage}_{row}_{col}_input.npy"
                margin = gate_margin(m, x, stage, row, col)
            if in_file != key + ".npy":
                save_npy(os.path.join(OUT, in_file), x.numpy())
            if margin < MIN_MARGIN:
                print(f"warning: {name} {key} layer{stage} {row},{col}: a gate is {margin:.1e} from switching")
            gk = effective_kernel(m, x, stage, row, col)
            f = f"{name}/{key}_grad_layer{stage}_{row}_{col}.npy"
            save_npy(os.path.join(OUT, f), gk.numpy())
            index["grads"].append({"model": name, "input": key, "input_file": in_file, "stage": stage, "row": row,
                                   "col": col, "file": f, "max_abs": float(gk.abs().max()), "gate_margin": margin})
        block, depths, widths, classes, _ = MODELS[name]
        index["models"][name] = {"block": block.__name__, "depths": depths, "widths": widths, "classes": classes}
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
