#!/bin/sh
# Install and package tests (cmake/install.cmake): the installed or unpacked binary runs
# without the source tree.
#   install_test.sh install BUILD_DIR OUT_DIR VERSION GUI(0|1)
#       cmake --install BUILD_DIR into OUT_DIR/prefix, then moves the tree to OUT_DIR/moved
#       (so no path recorded at install time is valid) and runs it from there.
#   install_test.sh deb BUILD_DIR OUT_DIR VERSION GUI(0|1)
#       cpack -G DEB on BUILD_DIR as it is (its KS_NATIVE setting included: the CI build
#       is native; scripts/package_deb.sh makes the portable one), checks the package's
#       fields and contents, unpacks it with dpkg-deb -x into OUT_DIR/root and runs
#       OUT_DIR/root/usr/bin/kernelscope.
# Either way: `--version` must name the installed data folder, `render` must work on the
# bundled photo, and (install, GUI builds) `--screenshot` must save the window under Xvfb.
# A copy of the binary with no share/kernelscope beside it must find no data at all:
# only a binary inside its own build directory ever reads the source tree.
set -eu

MODE=$1
BUILD=$2
OUT=$3
VERSION=$4
GUI=$5

rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd -P "$OUT" && pwd)
unset KS_DATA_DIR KS_SHADERS_DIR

fail() {
    echo "install_test ($MODE): $*" >&2
    exit 1
}

case "$MODE" in
install)
    cmake --install "$BUILD" --prefix "$OUT/prefix" >"$OUT/install.log" 2>&1 || { cat "$OUT/install.log" >&2; fail "cmake --install failed"; }
    mv "$OUT/prefix" "$OUT/moved"
    ROOT=$OUT/moved
    ;;
deb)
    command -v cpack >/dev/null 2>&1 || fail "cpack is not installed (it comes with cmake)"
    command -v dpkg-deb >/dev/null 2>&1 || fail "dpkg-deb is not installed (package dpkg)"
    cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$OUT/pkg" >"$OUT/cpack.log" 2>&1 || { cat "$OUT/cpack.log" >&2; fail "cpack -G DEB failed"; }
    DEB=$(ls "$OUT"/pkg/*.deb 2>/dev/null | head -n 1)
    [ -n "$DEB" ] || fail "cpack wrote no .deb into $OUT/pkg"
    echo "install_test: $DEB"
    dpkg-deb -I "$DEB" >"$OUT/control.txt"
    cat "$OUT/control.txt"
    [ "$(dpkg-deb -f "$DEB" Package)" = kernelscope ] || fail "Package is not kernelscope"
    [ "$(dpkg-deb -f "$DEB" Version)" = "$VERSION" ] || fail "Version is not $VERSION"
    dpkg-deb -c "$DEB" >"$OUT/contents.txt"
    mkdir -p "$OUT/root"
    dpkg-deb -x "$DEB" "$OUT/root"
    ROOT=$OUT/root/usr
    # Depends names the package of every library the binary links (readelf NEEDED, found
    # with ldd, owner by dpkg -S: libdnnl2, libglfw3, libgomp1, libstb0, ... on Debian 12)
    # and libgl1, which GLFW opens at run time.
    depends=$(dpkg-deb -f "$DEB" Depends | tr ',' '\n' | sed 's/^ *//; s/[ (].*//')
    needed=$(readelf -d "$ROOT/bin/kernelscope" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')
    [ -n "$needed" ] || fail "readelf found no NEEDED libraries"
    for lib in $needed; do
        path=$(ldd "$ROOT/bin/kernelscope" | awk -v l="$lib" '$1 == l { print $3 }')
        [ -n "$path" ] || fail "ldd does not resolve $lib"
        pkg=""
        for p in "$path" "/usr$path" "$(readlink -f "$path")"; do
            pkg=$(dpkg -S "$p" 2>/dev/null | head -n 1 | cut -d: -f1) || true
            [ -z "$pkg" ] || break
        done
        [ -n "$pkg" ] || fail "no Debian package owns $lib ($path)"
        echo "$depends" | grep -Fqx "$pkg" || fail "Depends lacks $pkg (for $lib): $(dpkg-deb -f "$DEB" Depends)"
    done
    echo "$depends" | grep -qx libgl1 || fail "Depends lacks libgl1"
    ;;
*)
    fail "unknown mode $MODE"
    ;;
esac

BIN=$ROOT/bin/kernelscope
DATA=$ROOT/share/kernelscope
for f in "$BIN" "$DATA/shaders/heatmap.frag" "$DATA/shaders/heatmap.vert" "$DATA/shaders/kernel.frag" \
         "$DATA/assets/images/coffee.png" "$DATA/assets/images/SOURCES.md" \
         "$DATA/assets/imagenet_classes.txt" "$DATA/assets/SOURCES.md" \
         "$ROOT/share/applications/kernelscope.desktop"; do
    [ -s "$f" ] || fail "missing $f"
done
for s in 16 32 48 64 128 256; do
    [ -s "$ROOT/share/icons/hicolor/${s}x${s}/apps/kernelscope.png" ] || fail "missing the ${s}x${s} icon"
done
grep -qx 'Exec=kernelscope' "$ROOT/share/applications/kernelscope.desktop" || fail "the .desktop file does not run kernelscope"
grep -qx 'Icon=kernelscope' "$ROOT/share/applications/kernelscope.desktop" || fail "the .desktop file does not name the icon"

# --version: the project VERSION, then the data folder actually used.
(cd / && "$BIN" --version) >"$OUT/version.txt" 2>&1 || { cat "$OUT/version.txt" >&2; fail "--version failed"; }
cat "$OUT/version.txt"
[ "$(sed -n 1p "$OUT/version.txt")" = "kernelscope $VERSION" ] || fail "--version's first line is not 'kernelscope $VERSION'"
[ "$(sed -n 2p "$OUT/version.txt")" = "data: $DATA" ] || fail "the binary does not read its data from $DATA"

# render on the bundled photo, from another working directory.
(cd / && "$BIN" render --out "$OUT/render") >"$OUT/render.log" 2>&1 || { cat "$OUT/render.log" >&2; fail "render failed"; }
for f in summary.json heatmap.png kernel.png conv.png attention.npy; do
    [ -s "$OUT/render/$f" ] || fail "render wrote no $f"
done

# The binary alone, away from its share/: it must not fall back to the source tree.
mkdir -p "$OUT/lonely/bin"
cp "$BIN" "$OUT/lonely/bin/kernelscope"
if (cd / && "$OUT/lonely/bin/kernelscope" render --out "$OUT/lonely_render") >"$OUT/lonely.log" 2>&1; then
    fail "a binary without share/kernelscope still found data (the source tree?)"
fi
grep -q "KS_DATA_DIR" "$OUT/lonely.log" || { cat "$OUT/lonely.log" >&2; fail "no sentence about the missing data folder"; }
# ... and $KS_DATA_DIR points it at one.
(cd / && KS_DATA_DIR="$DATA" "$OUT/lonely/bin/kernelscope" render --out "$OUT/lonely_render") >"$OUT/lonely_env.log" 2>&1 ||
    { cat "$OUT/lonely_env.log" >&2; fail "KS_DATA_DIR was not honoured"; }

if [ "$MODE" = install ] && [ "$GUI" = 1 ]; then
    . "$(dirname "$0")/gui_xvfb.sh"
    trap ks_stop_xvfb EXIT
    trap 'exit 130' INT TERM
    ks_start_xvfb "$OUT"
    (cd / && "$BIN" --screenshot "$OUT/shot.png") >"$OUT/shot.log" 2>&1 || { cat "$OUT/shot.log" >&2; fail "--screenshot failed"; }
    [ -s "$OUT/shot.png" ] || fail "--screenshot wrote no PNG"
fi
echo "install_test ($MODE): ok"
