#!/bin/sh
# The command line does what the app does: for each set of flags, the app's first frame
# (--screenshot, its sidecar's kernel_change, query and b_mode) and `kernelscope render`
# (comparison.json) give the same keys and the same numbers, to the last digit.
#   render_parity_test.sh KERNELSCOPE CHECKER ASSETS_DIR OUT_DIR FIXTURES_DIR
set -eu
BIN=$1
CHECK=$2
ASSETS=$3
OUT=$4
FIXTURES=$5
. "$(dirname "$0")/gui_xvfb.sh"
ks_gui_test_setup "$OUT" parity

ks_test_inputs "$ASSETS" "$FIXTURES"
fail=0
case_() {  # case_ NAME FLAGS...
    name=$1
    shift
    "$BIN" "$@" --window 1024x700 --screenshot "$OUT/$name.png" > "$OUT/$name.app.log" 2>&1 || {
        echo "FAIL $name: the app failed: $(cat "$OUT/$name.app.log")"; fail=1; return; }
    "$BIN" render "$@" --out "$OUT/${name}_render" > "$OUT/$name.render.log" 2>&1 || {
        echo "FAIL $name: render failed: $(cat "$OUT/$name.render.log")"; fail=1; return; }
    "$CHECK" same_comparison "$OUT/$name.png.json" "$OUT/${name}_render/comparison.json" "$name" || fail=1
}
case_ bundled
case_ perturbations --noise 0.3 --noise-seed 7 --brightness 0.1 --contrast 1.2 --shift 3,-2 --occlude 40,30,60,50
case_ second --image "$IMG1" --image-b "$IMG2" --filter bilateral --query 4,9
case_ off --image "$IMG2" --b off --filter gaussian --sigma 1.5
case_ dynamic --image "$IMG1" --filter dynamic --noise 0.25
case_ vit --image "$IMG1" --weights "$VIT" --noise 0.2 --query 3,2 --beside "$R18"
case_ vit_learned --image "$IMG2" --weights "$VIT" --filter "patch_embed[1]" --brightness -0.2 --query 1,2
case_ resnet --image "$IMG1" --weights "$R18" --stage layer2 --query 2,3 --contrast 0.7
exit $fail
