#!/usr/bin/python3
"""Writes assets/imagenet_classes.txt: the 1000 ImageNet-1k class names, one a line,
line i (0-based) naming class i of a 1000-way classifier (timm, DeiT, torchvision and
Hugging Face checkpoints all use this order).

The names are torchvision's `_IMAGENET_CATEGORIES` (torchvision/models/_meta.py, BSD-3-Clause),
read from Debian's python3-torchvision package without installing it or importing torch:

    cd /tmp && apt-get download python3-torchvision && dpkg-deb -x python3-torchvision_*.deb x
    /usr/bin/python3 tools/make_imagenet_classes.py \
        /tmp/x/usr/lib/python3/dist-packages/torchvision/models/_meta.py assets/imagenet_classes.txt

The file is parsed with ast (never executed). Standard library only; neither the build
nor the tests run this. assets/SOURCES.md states where the list comes from.
"""
import ast
import os
import sys


def categories(meta_path):
    with open(meta_path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), meta_path)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "_IMAGENET_CATEGORIES" for t in node.targets):
            names = ast.literal_eval(node.value)
            break
    else:
        sys.exit(f"{meta_path}: no _IMAGENET_CATEGORIES list")
    # The app reads one name a line: a name must be non-empty and on one line.
    if len(names) != 1000 or not all(isinstance(n, str) and n.strip() == n and n and "\n" not in n for n in names):
        sys.exit(f"{meta_path}: _IMAGENET_CATEGORIES is not 1000 one-line names")
    return names


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_imagenet_classes.py path/to/torchvision/models/_meta.py OUT.txt")
    names = categories(sys.argv[1])
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(n + "\n" for n in names))
    os.replace(tmp, sys.argv[2])  # never a half-written list
    print(f"wrote {sys.argv[2]}: {len(names)} names ({names[0]} ... {names[-1]})")


if __name__ == "__main__":
    main()
