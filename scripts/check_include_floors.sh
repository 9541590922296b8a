#!/usr/bin/env bash
# The floors of core/ and their one rule (docs/ARCHITECTURE.md, "Floors of core/"):
# a file may include headers of its own folder and of folders on lower floors only.
# Two folders on one floor know nothing of each other. Run by ctest (include_floors).
#
#   scripts/check_include_floors.sh [CORE_DIR]          exit 1 on an upward include
#   scripts/check_include_floors.sh --graph [CORE_DIR]  the folder include graph
set -euo pipefail

# The table, in one place. A new folder must be given a floor here.
declare -A FLOOR=(
    [io]=0 [kernels]=0   # files and formats; SIMD and matrix kernels
    [image]=1            # images, loading, resizing, crops, perturbations, model input
    [draw]=2             # colormaps, plots, words and numbers drawn into pictures
    [conv]=3             # conv kernels: filters, convolution, bilateral, dynamic conv
    [attention]=4        # attention rows: the built-in model, views, the query comparison
    [vit]=5 [cnn]=5      # model families
    [analysis]=6         # measures, attention distance, Fourier, the analyze command's figures
    [session]=6          # the settings a user saves and reopens, and their file
    [compare]=7          # the comparison engine and the model-family table
    [pipeline]=8         # the render command's pictures and files (Ctrl+E writes the same)
)

graph=0
if [[ ${1:-} == --graph ]]; then graph=1; shift; fi
core=${1:-$(dirname "$0")/../core}
[[ -d $core ]] || { echo "check_include_floors: no folder '$core'" >&2; exit 2; }

bad=0
declare -A edges=()
while IFS= read -r hit; do
    file=${hit%%:*}; rest=${hit#*:}; line=${rest%%:*}
    rel=${file#"$core"/}
    from=${rel%%/*}
    [[ ${rest#*:} =~ \"([^\"]*)\" ]] && inc=${BASH_REMATCH[1]}
    [[ $inc == */* ]] || continue  # a file beside it (colormap_tables.inc)
    to=${inc%%/*}
    for f in "$from" "$to"; do
        if [[ -z ${FLOOR[$f]+x} ]]; then
            echo "$rel:$line: folder '$f' has no floor; add it to the table in $0" >&2
            bad=1
            continue 2
        fi
    done
    [[ $from == "$to" ]] && continue
    edges["$from -> $to"]=$((${edges["$from -> $to"]:-0} + 1))
    if (( FLOOR[$to] >= FLOOR[$from] )); then
        echo "$rel:$line: $from (floor ${FLOOR[$from]}) includes $inc (floor ${FLOOR[$to]}): not a lower floor" >&2
        bad=1
    fi
done < <(grep -rnE --include='*.h' --include='*.cpp' --include='*.inc' '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$core" | sort)

if (( graph )); then
    for e in "${!edges[@]}"; do echo "$e (${edges[$e]})"; done | sort
fi
if (( bad )); then
    echo "core/ has includes that break its floors (table: $0)." >&2
    exit 1
fi
echo "core/: every include goes to the same folder or a lower floor."
