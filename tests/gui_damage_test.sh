#!/bin/sh
# Frames drawn only where they changed (app/gui/frame_damage.h) look exactly like frames
# drawn whole: the real app plays a script of interactions (hover, pin, arrow keys, help,
# colormap, smoothing, filter/layer/head keys, wheel zoom, a menu, B mode, the noise
# slider, a window resize, the mask, the file dialog) with KS_DAMAGE_VERIFY=1, which
# draws every frame whole as well and compares the two pixel for pixel; any frame that
# differs fails the test. With a ResNet-18, a ViT fixture (the heads grid, V) and the
# built-in model; in place (the back buffer kept) and through the framebuffer object.
#   gui_damage_test.sh KERNELSCOPE OUT_DIR FIXTURES_DIR
set -eu

BIN=$1
OUT=$2
FIXTURES=$3

. "$(dirname "$0")/gui_xvfb.sh"
ks_gui_test_setup "$OUT" damage

# KEY3: G (the filter) for the ResNet, V (every head) for the ViT and the built-in model.
script() {
    cat <<END
wait idle
move panel:image 0.26 0.26
wait 3
move panel:image 0.74 0.61
wait idle
click
wait 2
press RIGHT
press DOWN
wait idle
press F1
wait 3
press ESCAPE
wait 3
press C
wait 3
press H
wait 3
press $1
wait idle
wait 2
press RIGHTBRACKET
wait idle
press PERIOD
wait idle
wheel 2
wait 3
move 100 200
wait 10
move 50 15
click
wait 5
press ESCAPE
move 700 500
wait 3
press B
wait idle
set noise 0.3
wait idle
resize 1200 800
wait idle
wait 3
press T
wait 3
press O ctrl
wait 3
press ESCAPE
wait 3
state end.json
END
}

fail=0
for model in resnet vit builtin; do
    case $model in
        resnet) weights="--weights $FIXTURES/resnet/r18/tv/model.safetensors"; key=G ;;
        vit) weights="--weights $FIXTURES/vit/p16_h2/timm/model.safetensors"; key=V ;;
        builtin) weights=""; key=V ;;
    esac
    for fbo in 0 1; do
        name="${model}_fbo$fbo"
        script "$key" > "$OUT/$name.script"
        # shellcheck disable=SC2086
        if ! (cd "$OUT" && KS_DAMAGE_VERIFY=1 KS_DAMAGE_FBO=$fbo "$BIN" $weights --window 1500x950 \
                --script "$name.script") 2>"$OUT/$name.log"; then
            echo "gui_damage_test: the $name script failed:" >&2
            cat "$OUT/$name.log" >&2
            exit 1
        fi
        summary=$(grep 'frames compared with the whole frame' "$OUT/$name.log" || true)
        echo "gui_damage_test: $name: $summary"
        case $summary in
            *", 0 differed") ;;
            *) fail=1; grep 'frame_damage' "$OUT/$name.log" | head -5 >&2 ;;
        esac
    done
done
[ "$fail" -eq 0 ] || { echo "gui_damage_test: frames drawn by damage differ from frames drawn whole." >&2; exit 1; }
echo "gui_damage_test: passed"
