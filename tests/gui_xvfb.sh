# Sourced by the GUI tests: ks_start_xvfb OUT_DIR starts Xvfb when DISPLAY is unset
# (a free display chosen by Xvfb itself via -displayfd) and exports DISPLAY;
# ks_stop_xvfb stops it. Callers run ks_stop_xvfb from their EXIT trap.
XVFB_PID=""

ks_stop_xvfb() {
    if [ -n "$XVFB_PID" ]; then
        kill "$XVFB_PID" 2>/dev/null || true
        wait "$XVFB_PID" 2>/dev/null || true
        XVFB_PID=""
    fi
}

ks_start_xvfb() {
    [ -z "${DISPLAY:-}" ] || return 0
    if ! command -v Xvfb >/dev/null 2>&1; then
        echo "gui test: DISPLAY is unset and Xvfb is not installed." >&2
        exit 1
    fi
    : > "$1/display"
    Xvfb -displayfd 3 -screen 0 1920x1200x24 -nolisten tcp 3>"$1/display" >"$1/xvfb.log" 2>&1 &
    XVFB_PID=$!
    i=0
    while [ ! -s "$1/display" ]; do
        i=$((i + 1))
        if [ "$i" -gt 200 ] || ! kill -0 "$XVFB_PID" 2>/dev/null; then
            echo "gui test: Xvfb did not start (see $1/xvfb.log)." >&2
            exit 1
        fi
        sleep 0.05
    done
    DISPLAY=":$(head -n 1 "$1/display")"
    export DISPLAY
    echo "gui test: started Xvfb on $DISPLAY"
}

# ks_gui_test_setup OUT NAME: the set-up every GUI test script shares. Empties OUT,
# makes TMP (a temporary folder, removed on exit with Xvfb stopped), starts Xvfb when
# DISPLAY is unset, and points XDG_CONFIG_HOME into TMP so the user's settings are never
# read or written.
ks_gui_test_setup() {
    mkdir -p "$1"
    rm -rf "${1:?}"/*
    TMP=$(mktemp -d "${TMPDIR:-/tmp}/kernelscope_$2.XXXXXX")
    trap 'ks_stop_xvfb; rm -rf "$TMP"' EXIT
    trap 'exit 130' INT TERM
    ks_start_xvfb "$1"
    export XDG_CONFIG_HOME="$TMP/config"
    mkdir -p "$XDG_CONFIG_HOME/kernelscope"
}

# ks_test_inputs ASSETS FIXTURES: the inputs the GUI tests share (two bundled photos, a
# small ViT and a ResNet-18 fixture) as IMG1, IMG2, VIT and R18.
ks_test_inputs() {
    IMG1="$1/images/astronaut.png"
    IMG2="$1/images/chelsea.png"
    VIT="$2/vit/p16_h2/timm/model.safetensors"
    R18="$2/resnet/r18/tv/model.safetensors"
}
