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
