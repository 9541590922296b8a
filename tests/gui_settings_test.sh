#!/bin/sh
# The app started over damaged or hostile settings files (issue 21, item 4): each must
# start, draw a usable layout, say once on stderr and in the status line that the file
# was set aside (kept as FILE.bad), and not crash or hang. Checked by script_check settings.
#   gui_settings_test.sh KERNELSCOPE CHECKER ASSETS_DIR OUT_DIR FIXTURES_DIR
set -eu

BIN=$1
CHECK=$2
OUT=$4

. "$(dirname "$0")/gui_xvfb.sh"
# Always a display of its own: each of its six windows takes the keyboard focus when it
# opens, and on a display shared with gui_script (DISPLAY=:99 on a shared machine) that
# made gui_script lose key presses.
unset DISPLAY
ks_gui_test_setup "$OUT" settings

# start NAME FILE: runs the app once with its config folder holding what the caller put
# in $TMP/NAME/kernelscope, and checks it. FILE is the settings file that must be set aside.
start() {
    name=$1
    file=$2
    export XDG_CONFIG_HOME="$TMP/$name"
    printf 'wait idle\nstate s_%s.json\nquit\n' "$name" > "$OUT/$name.script"
    echo "gui_settings_test: $name"
    if ! (cd "$OUT" && timeout 120 "$BIN" --window 1024x700 --script "$name.script") 2>"$OUT/$name.log"; then
        echo "gui_settings_test: the app failed over $name:" >&2
        cat "$OUT/$name.log" >&2
        exit 1
    fi
    said=$(grep -c "^kernelscope: The settings file $XDG_CONFIG_HOME/kernelscope/$file was not used" "$OUT/$name.log" || true)
    if [ "$said" != 1 ]; then
        echo "gui_settings_test: $name: expected one sentence about $file on stderr, got:" >&2
        cat "$OUT/$name.log" >&2
        exit 1
    fi
    if [ ! -e "$XDG_CONFIG_HOME/kernelscope/$file.bad" ]; then
        echo "gui_settings_test: $name: $file was not kept as $file.bad" >&2
        exit 1
    fi
    "$CHECK" settings "$OUT" "$name"
}

dir() { mkdir -p "$TMP/$1/kernelscope" && echo "$TMP/$1/kernelscope"; }

# NaN and out-of-range layout values, an absurd window size.
d=$(dir nan_layout)
printf '[KernelScope][State]\nWindow=100000,3\nSidebar=nan\nRightFrac=nan\nConvFrac=-inf\nHeadsFrac=9\n\n' > "$d/imgui.ini"
start nan_layout imgui.ini
# A table section ImGui 1.86 sized from its count: a crash at every start before.
d=$(dir table_count)
printf '[Table][0x12345678,-5]\nColumn 0 Width=4\n\n[Window][Debug##Default]\nPos=-999999,60\nSize=400,400\n\n' > "$d/imgui.ini"
start table_count imgui.ini
# An imgui.ini of 2 MB (a 77 MB one kept the app from starting for minutes).
d=$(dir oversize_ini)
head -c 2097152 /dev/zero | tr '\0' 'x' > "$d/imgui.ini"
start oversize_ini imgui.ini
# A FIFO named imgui.ini: ImGui would block opening it.
d=$(dir fifo_ini)
mkfifo "$d/imgui.ini"
start fifo_ini imgui.ini
# recent.txt with a FIFO, a relative path and an over-long entry.
d=$(dir bad_recent)
mkfifo "$d/pipe.png"
{ echo "$d/pipe.png"; echo "relative.png"; head -c 5000 /dev/zero | tr '\0' 'a' | sed 's|^|/|'; echo; } > "$d/recent.txt"
start bad_recent recent.txt
# A recent.txt of 400 KB (a 400 MB one took 1.8 GB).
d=$(dir oversize_recent)
head -c 409600 /dev/zero | tr '\0' '/' > "$d/recent.txt"
start oversize_recent recent.txt
echo "gui_settings_test: passed"
