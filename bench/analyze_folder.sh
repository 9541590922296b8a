#!/usr/bin/env bash
# `kernelscope analyze` over a folder against one forward pass (issue 11: a folder of
# 100 photos with a ViT-S/16 must take at most 2 x 100 forward passes). Not part of CI.
#
#   bench/analyze_folder.sh [kernelscope-binary] [work-dir]
#
# Builds a seeded torchvision ViT-S/16 at 224 px with Debian's torch (/usr/bin/python3)
# and 100 "photos": the bundled sample images cropped, flipped and resized to 1600 x 1200
# JPEGs (quality 90). Then times `kernelscope bench` (median forward pass), one
# `kernelscope analyze` over the folder, and `bench` again, and prints the ratio of the
# analyze time to 100 forward passes (the mean of the two bench medians).
set -euo pipefail
cd "$(dirname "$0")/.."
KS=$(realpath "${1:-build/kernelscope}")
WORK=${2:-$(mktemp -d /tmp/ks_analyze_bench.XXXXXX)}
N=${N:-100}
mkdir -p "$WORK"
if [ ! -f "$WORK/vit_s16.safetensors" ] || [ ! -d "$WORK/photos" ]; then
  /usr/bin/python3 - "$WORK" "$N" <<'PY'
import os, random, sys, torch
sys.path.insert(0, "tools")
from pth_to_safetensors import write_safetensors
from torchvision.models.vision_transformer import VisionTransformer
from PIL import Image
work, n = sys.argv[1], int(sys.argv[2])
torch.manual_seed(0)
m = VisionTransformer(image_size=224, patch_size=16, num_layers=12, num_heads=6, hidden_dim=384, mlp_dim=1536).eval()
write_safetensors(f"{work}/vit_s16.safetensors", {k: v.contiguous() for k, v in m.state_dict().items()}, {"format": "pt"})
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
forward_ms() {
  "$KS" bench --weights "$WORK/vit_s16.safetensors" --image "$WORK/photos/photo_000.jpg" --runs 10 |
    sed -n 's/^forward median \([0-9.]*\) ms.*/\1/p'
}
f1=$(forward_ms)
rm -rf "$WORK/out"
t0=$(date +%s.%N)
"$KS" analyze --weights "$WORK/vit_s16.safetensors" --images "$WORK/photos" --out "$WORK/out" 2>/dev/null
t1=$(date +%s.%N)
f2=$(forward_ms)
awk -v a="$t0" -v b="$t1" -v f1="$f1" -v f2="$f2" -v n="$N" 'BEGIN {
  t = b - a; f = (f1 + f2) / 2;
  printf "forward median %.1f / %.1f ms; analyze %d images %.1f s (%.0f ms per image); ratio to %d forward passes %.2f (limit 2)\n",
         f1, f2, n, t, 1000 * t / n, n, t / (n * f / 1000) }'
