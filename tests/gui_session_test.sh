#!/bin/sh
# Scripted GUI test of sessions (File > Save session, Ctrl+Shift+S; File > Open session):
#   a) settings changed by hand are saved, the app is started afresh and opens the file
#      from the File menu: the state JSON shows what the first run showed (inputs,
#      query, view, filter, occlusion, zoom, kernel changes to the last digit), and the
#      session saved again is the same file;
#   b) a session that sets every entry (a ViT with a ResNet beside it, the second
#      image, overrides, a user kernel, ...) opened and saved again gives every entry back;
#   c) a truncated session and one whose image is gone are refused in one sentence and
#      the state on screen stays;
#   d) --session at launch shows what a) showed; a bad file at launch is exit 2, one sentence.
#   gui_session_test.sh KERNELSCOPE CHECKER ASSETS_DIR OUT_DIR FIXTURES_DIR
# Starts its own Xvfb when DISPLAY is unset; XDG_CONFIG_HOME is a fresh temp folder.
set -eu

BIN=$1
CHECK=$2
ASSETS=$3
OUT=$4
FIXTURES=$5

. "$(dirname "$0")/gui_xvfb.sh"
ks_gui_test_setup "$OUT" session

ks_test_inputs "$ASSETS" "$FIXTURES"

play() {
    name=$1
    shift
    echo "gui_session_test: kernelscope $* --script $name.script"
    if ! (cd "$OUT" && "$BIN" "$@" --script "$name.script") 2>"$OUT/$name.log"; then
        echo "gui_session_test: the $name script failed:" >&2
        cat "$OUT/$name.log" >&2
        exit 1
    fi
}

# Ctrl+Shift+S, then the file's path typed over the dialog's folder and Enter.
save_as() {
    printf 'press S ctrl+shift\nwait 3\npress A ctrl\ntype %s\npress ENTER\nwait idle\n' "$1"
}
# File > Open session..., the path typed, Enter; then until the model and the rest are in.
open_from_menu() {
    printf 'move 24 10\nclick\nwait 3\nmove panel:menu_open_session 0.5 0.5\nclick\nwait 3\n'
    printf 'press A ctrl\ntype %s\npress ENTER\nwait idle\nwait 3\nwait idle\n' "$1"
}

# a) By hand: B's sliders, an occlusion, the next filter, display keys, a zoom and a pinned query.
{
    printf 'wait idle\nset noise 0.3\nset brightness 0.1\nset contrast 1.4\nwait idle\n'
    printf 'move panel:image 0.3 0.3\nmousedown left shift\nmove panel:image 0.45 0.45\nmove panel:image 0.55 0.5\nmouseup\nwait idle\n'
    printf 'press G\nwait 1\npress G\nwait idle\npress L\nwait 1\npress X\nwait 1\npress H\nwait 1\npress C\nwait 1\npress T\nwait 1\npress F\nwait 1\n'
    printf 'move panel:image 0.62 0.4\nwheel 2\nwait 2\nclick\nwait idle\nstate a1.json\n'
    save_as "$OUT/a.json"
    printf 'state a1s.json\n'
} > "$OUT/by_hand.script"
play by_hand --image "$IMG1"
"$CHECK" status "$OUT/a1s.json" "Saved the session to $OUT/a.json"
[ -s "$OUT/a.json" ] || { echo "gui_session_test: Ctrl+Shift+S wrote no $OUT/a.json" >&2; exit 1; }

{
    printf 'wait idle\n'
    open_from_menu "$OUT/a.json"
    printf 'state a2.json\n'
    save_as "$OUT/a_again.json"
} > "$OUT/reopen.script"
play reopen
"$CHECK" same_state "$OUT/a1.json" "$OUT/a2.json"
"$CHECK" same_session "$OUT/a.json" "$OUT/a_again.json"

# b) Every entry away from its default, on a ViT (4 x 4 patches of 16 px at 64 px) with a ResNet beside it.
cat > "$OUT/every.json" <<END
{
  "kernelscope_session": 1,
  "inputs": {"image_a": "$IMG1", "image_b": "$IMG2", "b": "second"},
  "model": {"checkpoint": "$VIT", "config": "$(dirname "$VIT")/config.json", "beside": "$R18", "resize": "whole",
            "stage": 2, "heads": 2, "image_size": 64, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
  "query": {"row": 1, "col": 2, "pinned": true},
  "view": {"layer": 1, "head": 1, "reduce": "single", "kind": "patch", "prefix": 0, "row": 2, "col": 3},
  "filter": {"name": "user", "sigma": 2.5, "kernel": [0, -1, 0, -1, 5, -1, 0, -1, 0],
             "bilateral": {"radius": 4, "sigma_s": 3, "sigma_r": 0.2}, "dynamic": {"k": 7, "f": 5, "seed": 9}},
  "perturbation": {"brightness": -0.1, "contrast": 1.3, "noise": 0.2, "noise_seed": 7, "shift": [-8, 12], "fill": "edge",
                   "occlusion": {"x": 100, "y": 120, "w": 60, "h": 40, "gray": 0.25}},
  "similarity": {"patch": 8, "tau": 0.05, "lambda": 0.5, "score": "dot", "projection": "random", "seed": 7},
  "display": {"colormap": "turbo", "opacity": 0.4, "smooth": true, "outline": false, "footprint": false, "mask": true,
              "mask_threshold": 0.7, "log": false, "exclude_query": false, "patches_only": true, "top_quantile": 0.95,
              "centre": "heads", "zoom": 2, "zoom_centre": [0.4, 0.6], "analyses": true},
  "layout": {"sidebar": 300, "right": 0.3, "conv": 0.6, "heads": 0.4}
}
END
{
    printf 'wait idle\n'
    open_from_menu "$OUT/every.json"
    printf 'state b1.json\n'
    save_as "$OUT/every_again.json"
} > "$OUT/every.script"
play every
"$CHECK" same_session "$OUT/every.json" "$OUT/every_again.json"
"$CHECK" status "$OUT/b1.json" "Opened the session $OUT/every.json"

# c) Bad files: one sentence, and what was on screen stays.
head -c 300 "$OUT/a.json" > "$OUT/truncated.json"
sed "s|$IMG2|$TMP/gone.png|" "$OUT/every.json" > "$OUT/gone.json"
{
    printf 'wait idle\nmove panel:image 0.5 0.5\nclick\nwait idle\nstate c0.json\n'
    open_from_menu "$OUT/truncated.json"
    printf 'state c1.json\n'
    open_from_menu "$OUT/gone.json"
    printf 'state c2.json\n'
} > "$OUT/bad.script"
play bad --image "$IMG1" --noise 0.2
"$CHECK" refused "$OUT/c0.json" "$OUT/c1.json" "$OUT/truncated.json"
"$CHECK" refused "$OUT/c0.json" "$OUT/c2.json" "$TMP/gone.png"

# d) The session of a) opened by --session at launch, then a bad one at launch.
printf 'wait idle\nwait 3\nwait idle\nstate d1.json\n' > "$OUT/launch.script"
play launch --session "$OUT/a.json"
"$CHECK" same_state "$OUT/a1.json" "$OUT/d1.json"
"$CHECK" status "$OUT/d1.json" "Opened the session $OUT/a.json"
set +e
"$BIN" --session "$OUT/truncated.json" --screenshot "$OUT/never.png" > "$OUT/bad_launch.log" 2>&1
code=$?
set -e
if [ "$code" -ne 2 ] || ! grep -q "truncated.json" "$OUT/bad_launch.log" || [ -e "$OUT/never.png" ]; then
    echo "gui_session_test: --session with a truncated file: exit $code, wanted 2 and one sentence naming it:" >&2
    cat "$OUT/bad_launch.log" >&2
    exit 1
fi
echo "gui_session_test: all checks passed"
