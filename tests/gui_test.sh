#!/bin/sh
# GUI test: drives the real kernelscope binary with --screenshot and checks the PNGs.
#   gui_test.sh KERNELSCOPE CHECKER ASSETS_DIR OUT_DIR FIXTURES_DIR
# Starts its own Xvfb when DISPLAY is unset (a free display chosen by Xvfb itself via
# -displayfd) and stops it on exit.
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

XVFB_PID=""
cleanup() {
    if [ -n "$XVFB_PID" ]; then
        kill "$XVFB_PID" 2>/dev/null || true
        wait "$XVFB_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${DISPLAY:-}" ]; then
    if ! command -v Xvfb >/dev/null 2>&1; then
        echo "gui_test: DISPLAY is unset and Xvfb is not installed." >&2
        exit 1
    fi
    : > "$OUT/display"
    Xvfb -displayfd 3 -screen 0 1920x1200x24 -nolisten tcp 3>"$OUT/display" >"$OUT/xvfb.log" 2>&1 &
    XVFB_PID=$!
    i=0
    while [ ! -s "$OUT/display" ]; do
        i=$((i + 1))
        if [ "$i" -gt 200 ] || ! kill -0 "$XVFB_PID" 2>/dev/null; then
            echo "gui_test: Xvfb did not start (see $OUT/xvfb.log)." >&2
            exit 1
        fi
        sleep 0.05
    done
    DISPLAY=":$(head -n 1 "$OUT/display")"
    export DISPLAY
    echo "gui_test: started Xvfb on $DISPLAY"
fi

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
