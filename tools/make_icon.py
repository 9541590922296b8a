#!/usr/bin/python3
"""Draws kernelscope's icon: a 5 x 5 attention heatmap (inferno colours, peaked at the
centre with a tail towards the upper right, as an attention row spreads along an edge)
under a white 3 x 3 conv-kernel glyph, on a dark rounded square.

    /usr/bin/python3 tools/make_icon.py assets/icons

writes kernelscope_{16,32,48,64,128,256}.png there (the hicolor sizes installed by
cmake --install). Standard library only (zlib for the PNG); each size is drawn at 8x and
box-averaged, so edges are anti-aliased. Neither the build nor the tests run this.
"""
import math
import os
import struct
import sys
import zlib

SIZES = (16, 32, 48, 64, 128, 256)
SS = 8  # supersampling factor

INFERNO = [(0.00, (0, 0, 4)), (0.25, (87, 16, 110)), (0.50, (188, 55, 84)),
           (0.75, (249, 142, 9)), (1.00, (252, 255, 164))]
BG = (27, 29, 35)
GLYPH = (245, 245, 240)
N = 5                  # heatmap cells a side
GRID0, GRID1 = 0.10, 0.90  # heatmap extent in the unit square
GAP = 0.018            # gap between cells
RADIUS = 0.20          # background corner radius


def inferno(t):
    t = min(max(t, 0.0), 1.0)
    for (t0, c0), (t1, c1) in zip(INFERNO, INFERNO[1:]):
        if t <= t1:
            u = (t - t0) / (t1 - t0)
            return tuple(a + (b - a) * u for a, b in zip(c0, c1))
    return INFERNO[-1][1]


def cell_value(r, c):
    # Peak at the centre cell, a tail up and to the right, a floor so no cell is black.
    dr, dc = r - 2, c - 2
    peak = math.exp(-(dr * dr + dc * dc) / 1.6)
    along = max(0.0, dc - dr) / 4.0  # the upper-right diagonal
    tail = 0.55 * along * math.exp(-((dr + dc) ** 2) / 2.0)
    return 0.18 + 0.82 * min(1.0, peak + tail)


def inside_rounded(x, y, r):
    cx = min(max(x, r), 1 - r)
    cy = min(max(y, r), 1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def draw(size):
    n = size * SS
    px = 1.0 / size                       # one output pixel in unit coordinates
    stroke = max(0.016, 1.05 * px)        # glyph lines: at least a pixel wide
    outline = max(0.032, 1.6 * px)        # the glyph's frame
    cell = (GRID1 - GRID0) / N
    k0, k1 = GRID0 + cell * 1, GRID0 + cell * 4   # the 3 x 3 block around the centre
    acc = [[0.0, 0.0, 0.0, 0.0] for _ in range(size * size)]
    for yi in range(n):
        y = (yi + 0.5) / n
        for xi in range(n):
            x = (xi + 0.5) / n
            if not inside_rounded(x, y, RADIUS):
                continue
            col = BG
            if GRID0 <= x < GRID1 and GRID0 <= y < GRID1:
                c = int((x - GRID0) / cell)
                r = int((y - GRID0) / cell)
                fx = (x - GRID0) / cell - c
                fy = (y - GRID0) / cell - r
                g = GAP / cell / 2
                if g <= fx <= 1 - g and g <= fy <= 1 - g:
                    col = inferno(cell_value(r, c))
            # The kernel glyph: a frame around the 3 x 3 block and its inner lines.
            if k0 - outline / 2 <= x <= k1 + outline / 2 and k0 - outline / 2 <= y <= k1 + outline / 2:
                on_frame = min(abs(x - k0), abs(x - k1), abs(y - k0), abs(y - k1)) <= outline / 2
                inner = any(abs(x - (k0 + cell * i)) <= stroke / 2 or abs(y - (k0 + cell * i)) <= stroke / 2
                            for i in (1, 2))
                if on_frame or inner:
                    col = GLYPH
            a = acc[(yi // SS) * size + xi // SS]
            a[0] += col[0]
            a[1] += col[1]
            a[2] += col[2]
            a[3] += 1.0
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            r, g, b, cov = acc[y * size + x]
            if cov == 0:
                row += bytes(4)
            else:
                row += bytes([round(r / cov), round(g / cov), round(b / cov), round(255 * cov / (SS * SS))])
        rows.append(bytes(row))
    return rows


def write_png(path, size, rows):
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "assets/icons"
    os.makedirs(out, exist_ok=True)
    for s in SIZES:
        write_png(os.path.join(out, f"kernelscope_{s}.png"), s, draw(s))
        print(f"{out}/kernelscope_{s}.png")


if __name__ == "__main__":
    main()
