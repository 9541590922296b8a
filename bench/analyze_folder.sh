#!/usr/bin/env bash
# `kernelscope analyze`'s two passes of data specificity (issue 20) against one forward
# pass: each pass must cost at most 1.25 forward passes per image. Not part of CI.
#
#   bench/analyze_folder.sh [kernelscope-binary] [work-dir]
#
# The model: ViT-B/16 at /tmp/lat/work/ViT-B_16.safetensors when present (or $WEIGHTS),
# else a seeded torchvision ViT-S/16 built with Debian's torch (/usr/bin/python3). The
# folder: N (default 8) "photos", the bundled sample images cropped, flipped and resized
# to 1600 x 1200 JPEGs (quality 90). A pass's cost per image is what one more image adds
# to its loop over the images (decoding on a second thread, the forward pass, the numbers,
# the sums or departures), as analysis.json's "seconds" records the loop: the loop over all
# N photos less the loop over the first M (default 2), divided by N - M. What a run costs
# once is printed apart: loading and hashing the checkpoint, writing the files, and the
# first image (its decode waited for, the forward pass's first call preparing its
# kernels). The forward pass: the median of `kernelscope bench` (every layer's attention
# recorded, as analyze's forward pass) on the first photo, run before and after the
# passes, in the same script.
set -euo pipefail
cd "$(dirname "$0")/.."
KS=$(realpath "${1:-build/kernelscope}")
WORK=${2:-$(mktemp -d /tmp/ks_analyze_bench.XXXXXX)}
N=${N:-8}
M=${M:-2}
mkdir -p "$WORK"
WEIGHTS=${WEIGHTS:-/tmp/lat/work/ViT-B_16.safetensors}
if [ ! -f "$WEIGHTS" ]; then
  WEIGHTS="$WORK/vit_s16.safetensors"
fi
if [ ! -f "$WEIGHTS" ] || [ ! -d "$WORK/photos" ]; then
  /usr/bin/python3 - "$WORK" "$N" "$WEIGHTS" <<'PY'
import os, random, sys, torch
sys.path.insert(0, "tools")
from pth_to_safetensors import write_safetensors
from torchvision.models.vision_transformer import VisionTransformer
from PIL import Image
work, n, weights = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if not os.path.exists(weights):
    torch.manual_seed(0)
    m = VisionTransformer(image_size=224, patch_size=16, num_layers=12, num_heads=6, hidden_dim=384, mlp_dim=1536).eval()
    write_safetensors(weights, {k: v.contiguous() for k, v in m.state_dict().items()}, {"format": "pt"})
names = ["astronaut.png", "brick.png", "chelsea.png", "coffee.png", "rocket.jpg"]
srcs = [Image.open("assets/images/" + n).convert("RGB") for n in names]
os.makedirs(f"{work}/photos", exist_ok=True)
random.seed(0)
for i in range(n):
    s = srcs[i % len(srcs)]
    w, h = s.size
    x0, y0 = random.randint(0, w // 5), random.randint(0, h // 5)
    img = s.crop((x0, y0, x0 + w * 4 // 5, y0 + h * 4 // 5)).resize((1600, 1200), Image.BICUBIC)
    if i % 2:
        img = img.transpose(Image.FLIP_LEFT_RIGHT)
    img.save(f"{work}/photos/photo_{i:03d}.jpg", quality=90)
PY
fi
echo "model: $WEIGHTS; $N images; load average $(cut -d' ' -f1-3 /proc/loadavg)"
forward_ms() {
  "$KS" bench --weights "$WEIGHTS" --image "$WORK/photos/photo_000.jpg" --runs 10 |
    sed -n 's/^forward median \([0-9.]*\) ms.*/\1/p'
}
# Seconds one analyze run takes, wall clock.
timed() {
  local t0 t1
  t0=$(date +%s.%N)
  "$KS" analyze --weights "$WEIGHTS" "$@" 2>/dev/null >/dev/null
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
loop_seconds() {  # analysis.json's seconds of pass $2 in folder $1
  /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1] + "/analysis.json"))["seconds"]["pass" + sys.argv[2]])' "$1" "$2"
}
f1=$(forward_ms)
rm -rf "$WORK"/out_* "$WORK/first"
mkdir -p "$WORK/first"
for f in $(ls "$WORK/photos" | sort | head -n "$M"); do ln -s "$WORK/photos/$f" "$WORK/first/$f"; done
p1_all=$(timed --images "$WORK/photos" --pass 1 --out "$WORK/out_p1")
p2_all=$(timed --images "$WORK/photos" --pass 2 --mean-from "$WORK/out_p1" --out "$WORK/out_p2")
timed --images "$WORK/first" --pass 1 --out "$WORK/out_first_p1" >/dev/null
timed --images "$WORK/first" --pass 2 --mean-from "$WORK/out_first_p1" --out "$WORK/out_first_p2" >/dev/null
f2=$(forward_ms)
l1=$(loop_seconds "$WORK/out_p1" 1)
l2=$(loop_seconds "$WORK/out_p2" 2)
m1=$(loop_seconds "$WORK/out_first_p1" 1)
m2=$(loop_seconds "$WORK/out_first_p2" 2)
awk -v f1="$f1" -v f2="$f2" -v n="$N" -v m="$M" -v a1="$p1_all" -v a2="$p2_all" -v l1="$l1" -v l2="$l2" -v m1="$m1" -v m2="$m2" 'BEGIN {
  f = (f1 + f2) / 2;
  i1 = 1000 * (l1 - m1) / (n - m); i2 = 1000 * (l2 - m2) / (n - m);
  printf "forward median %.1f / %.1f ms (before / after)\n", f1, f2;
  printf "pass 1: %.1f ms per image (loop over %d images %.2f s, over the first %d %.2f s; the run %.1f s with loading and writing); ratio to a forward pass %.2f (limit 1.25)\n", i1, n, l1, m, m1, a1, i1 / f;
  printf "pass 2: %.1f ms per image (loop over %d images %.2f s, over the first %d %.2f s; the run %.1f s with loading and writing); ratio to a forward pass %.2f (limit 1.25)\n", i2, n, l2, m, m2, a2, i2 / f;
  printf "the whole loop over the %d images, per image: pass 1 %.1f ms (%.2f), pass 2 %.1f ms (%.2f)\n", n, 1000 * l1 / n, 1000 * l1 / n / f, 1000 * l2 / n, 1000 * l2 / n / f }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
