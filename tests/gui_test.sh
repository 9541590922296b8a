#!/bin/sh
# GUI test: drives the real kernelscope binary with --screenshot and checks the PNGs.
#   gui_test.sh KERNELSCOPE CHECKER ASSETS_DIR OUT_DIR FIXTURES_DIR
# Starts its own Xvfb when DISPLAY is unset (tests/gui_xvfb.sh) and stops it on exit.
set -eu

BIN=$1
CHECK=$2
ASSETS=$3
OUT=$4
FIXTURES=$5
W=1600
H=1000

mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT"/*.json "$OUT"/display "$OUT"/*.log "$OUT"/*.safetensors

. "$(dirname "$0")/gui_xvfb.sh"
trap ks_stop_xvfb EXIT
trap 'exit 130' INT TERM
ks_start_xvfb "$OUT"

shot() {
    name=$1
    shift
    echo "gui_test: kernelscope $* --screenshot $OUT/$name.png"
    if ! "$BIN" "$@" --screenshot "$OUT/$name.png" 2>"$OUT/$name.log"; then
        echo "gui_test: kernelscope failed for $name:" >&2
        cat "$OUT/$name.log" >&2
        exit 1
    fi
}

# The first frame with no flags: the comparison itself (A, B = A + noise, kernel
# changes), at the default window size and at the smallest and a large one.
shot first
"$CHECK" first "$W" "$H" "$OUT/first.png"
for size in 1024x700 1920x1200 2560x1440; do
    shot "first_$size" --window "$size"
    "$CHECK" first "${size%x*}" "${size#*x}" "$OUT/first_$size.png"
done
# B off: A alone takes the freed room.
shot boff --b off
"$CHECK" boff "$W" "$H" "$OUT/boff.png"
# HiDPI: text and widgets at 1.5 x, at two window sizes; at 1024 x 700 the scale is
# reduced to what the window holds (1.07) rather than cutting labels.
for size in 1024x700 1920x1200 2560x1440; do
    shot "first_${size}_scale15" --window "$size" --ui-scale 1.5
    "$CHECK" first "${size%x*}" "${size#*x}" "$OUT/first_${size}_scale15.png"
done

# Photos of other kinds (tests/data/photos: retina, star field, grass, an outdoor scene),
# kinds the bundled samples do not cover: A and B light the kernel's structure there too.
PHOTOS="$(dirname "$0")/data/photos"
lit=""
for p in retina star_field grass camera; do
    shot "lit_$p" --image "$PHOTOS/$p.jpg" --window 1366x768
    lit="$lit $OUT/lit_$p.png"
done
shot lit_vit --image "$PHOTOS/retina.jpg" --weights "$FIXTURES/vit/grid12/timm/model.safetensors" --window 1366x768
# shellcheck disable=SC2086
"$CHECK" lit $lit "$OUT/lit_vit.png"

IMG1="$ASSETS/images/astronaut.png"
IMG2="$ASSETS/images/chelsea.png"
# Two queries on one image, and two images at one query.
shot q1 --image "$IMG1" --query 5,5
shot q2 --image "$IMG1" --query 20,24
shot i2 --image "$IMG2" --query 5,5

"$CHECK" "$W" "$H" "$OUT/q1.png" "$OUT/q2.png" "$OUT/i2.png"

# A bad input is one sentence on stderr and exit status 2, before any window opens.
set +e
"$BIN" --image "$OUT/does-not-exist.png" --query 1,1 --screenshot "$OUT/bad.png" 2>"$OUT/bad.log"
rc=$?
set -e
if [ "$rc" -ne 2 ] || [ "$(wc -l < "$OUT/bad.log")" -ne 1 ] || [ -e "$OUT/bad.png" ]; then
    echo "gui_test: a missing image should give exit 2 and one line on stderr (got $rc):" >&2
    cat "$OUT/bad.log" >&2
    exit 1
fi
set +e
"$BIN" --image "$IMG1" --query 99,0 --screenshot "$OUT/bad.png" 2>"$OUT/bad.log"
rc=$?
set -e
if [ "$rc" -ne 2 ] || [ -e "$OUT/bad.png" ]; then
    echo "gui_test: a query outside the grid should give exit 2 (got $rc):" >&2
    cat "$OUT/bad.log" >&2
    exit 1
fi
# A ViT checkpoint at two layers: the heads grid is drawn, the attention panel follows
# the layer, and each run did exactly one forward pass.
VIT="$FIXTURES/vit/p16_h2/timm/model.safetensors"
shot vit_l0 --weights "$VIT" --image "$IMG1" --query 1,2 --layer 0 --head 0
shot vit_l1 --weights "$VIT" --image "$IMG1" --query 1,2 --layer 1 --head 0
"$CHECK" vit "$W" "$H" "$OUT/vit_l0.png" "$OUT/vit_l1.png"

# Labels fit in any state at the smallest size and at UI scale 1.5: a checkpoint (its
# configuration, paths, heads), the data-dependent filters' notes, B = the second image.
for size in 1024x700 1600x1000; do
    scale=1
    [ "$size" = 1600x1000 ] && scale=1.5
    shot "fits_vit_$size" --window "$size" --ui-scale "$scale" --weights "$VIT" --image "$IMG1" --filter bilateral
    "$CHECK" fits "${size%x*}" "${size#*x}" "$OUT/fits_vit_$size.png"
    shot "fits_second_$size" --window "$size" --ui-scale "$scale" --image "$IMG1" --image-b "$IMG2" --b second --filter dynamic
    "$CHECK" fits "${size%x*}" "${size#*x}" "$OUT/fits_second_$size.png"
done

# A ResNet checkpoint: the effective kernel at the query moves with the input, conv1 not.
shot cnn --weights "$FIXTURES/resnet/r18/tv/model.safetensors" --image "$IMG2" --query 2,3
"$CHECK" cnn "$W" "$H" "$OUT/cnn.png" 2 3
shot cnn_1024 --window 1024x700 --weights "$FIXTURES/resnet/r50/timm/model.safetensors" --image "$IMG2" --query 6,7
"$CHECK" cnn 1024 700 "$OUT/cnn_1024.png" 6 7

# A ResNet beside a ViT (the second model slot): its effective kernel at the ViT's query.
shot beside --weights "$VIT" --beside "$FIXTURES/resnet/r18/tv/model.safetensors" --image "$IMG2" --query 1,2
"$CHECK" beside "$W" "$H" "$OUT/beside.png" 1 2

# A register token by name: DINOv2 with 4 registers has cls, reg0..reg3, so reg1 is token 2.
shot reg1 --weights "$FIXTURES/vit/dinov2_reg/timm/model.safetensors" --image "$IMG1" --query reg1
"$CHECK" prefix "$OUT/reg1.png" 2

# A bad checkpoint is one sentence on stderr and exit status 2, and no screenshot.
printf 'this is not a safetensors file' > "$OUT/bad.safetensors"
for bad in "$OUT/bad.safetensors" "$OUT/missing.safetensors"; do
    rm -f "$OUT/bad.png"
    set +e
    "$BIN" --weights "$bad" --image "$IMG1" --screenshot "$OUT/bad.png" 2>"$OUT/bad.log"
    rc=$?
    set -e
    if [ "$rc" -ne 2 ] || [ "$(wc -l < "$OUT/bad.log")" -ne 1 ] || [ -e "$OUT/bad.png" ]; then
        echo "gui_test: a bad --weights file ($bad) should give exit 2 and one line on stderr (got $rc):" >&2
        cat "$OUT/bad.log" >&2
        exit 1
    fi
    echo "gui_test: bad weights refused: $(cat "$OUT/bad.log")"
done
echo "gui_test: all checks passed"
