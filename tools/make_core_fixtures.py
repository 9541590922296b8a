#!/usr/bin/python3
"""Reference fixtures for core/ from PyTorch (run: /usr/bin/python3 tools/make_core_fixtures.py).

Writes small float32 .npy files into tests/fixtures/core/. The build and the tests never
run Python; they read these files.
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "core")


def save(name, arr):
    np.save(os.path.join(OUT, name), np.ascontiguousarray(arr, dtype=np.float32))


def main():
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(1234)
    # Resize: an HWC image in 0..1, resized with align_corners=False and no antialiasing,
    # the definition core/image/image.cpp follows.
    img = torch.rand(9, 13, 3, generator=g)
    save("resize_input.npy", img.numpy())
    x = img.permute(2, 0, 1).unsqueeze(0)
    for mode in ("bilinear", "bicubic"):
        for (h, w) in ((20, 31), (5, 4)):
            y = F.interpolate(x, size=(h, w), mode=mode, align_corners=False)
            save(f"resize_{mode}_{h}x{w}.npy", y[0].permute(1, 2, 0).numpy())
    # Conv: cross-correlation with reflect padding, as torch.nn.Conv2d(padding_mode='reflect').
    plane = torch.rand(1, 1, 11, 8, generator=g) * 2 - 1
    save("conv_input.npy", plane[0, 0].numpy())
    for k in (1, 3, 5, 7):
        w = torch.rand(1, 1, k, k, generator=g) * 2 - 1
        r = k // 2
        y = F.conv2d(F.pad(plane, (r, r, r, r), mode="reflect"), w) if r else F.conv2d(plane, w)
        save(f"conv_kernel_{k}.npy", w[0, 0].numpy())
        save(f"conv_output_{k}.npy", y[0, 0].numpy())
    # Softmax rows: torch.softmax over scores, for the similarity model's definition.
    s = torch.randn(6, 6, generator=g) * 3
    save("softmax_scores.npy", s.numpy())
    save("softmax_rows.npy", torch.softmax(s / 0.5, dim=1).numpy())
    # Fourier measure (Park & Kim 2022): tokens [N, C] with one prefix token, grid 5 x 6.
    tokens = torch.randn(1 + 5 * 6, 8, generator=g, dtype=torch.float64)
    save("fourier_tokens.npy", tokens.numpy())
    tokens = torch.from_numpy(np.load(os.path.join(OUT, "fourier_tokens.npy")).astype(np.float64))
    fmap = tokens[1:].T.reshape(8, 5, 6)  # C x gh x gw
    f = torch.fft.fftshift(torch.fft.fft2(fmap), dim=(-2, -1))
    L = torch.log(f.abs() + 1e-6).mean(dim=0)
    save("fourier_log_amplitude.npy", L.numpy())


if __name__ == "__main__":
    main()
