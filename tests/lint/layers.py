#!/usr/bin/env python3
"""Checks that core's layers use each other one way only.

Each folder of core/ is a layer and a library of its own (core/CMakeLists.txt
gives the order). A file may include headers of its own layer and of the
layers below it, never of one above or beside it: the store knows nothing
of search or the tagger, the tagger nothing of import and export. The
static libraries would fail to link some such uses, but not a header-only
one; this test fails, naming the line, on any. It also keeps the few
private headers (the store's connection) to the layers they are for.

Usage: layers.py SOURCE_DIR
"""
import pathlib
import re
import sys

from sources import source_lines, verdict

# What each layer may include besides itself.
ALLOWED = {
    "base": set(),
    "text": {"base"},
    "store": {"base", "text"},
    "search": {"base", "text", "store"},
    "nlp": {"base", "text", "store"},
    "io": {"base", "text", "store", "search", "nlp"},
}

# Headers only some layers may include, wherever the includer lives (core,
# ui, app); tests may include any. The store's connection is for the code
# that writes SQL.
PRIVATE = {
    "core/store/StoreConnection.h": {"store", "search"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]core/([^/">]+)/')
QUOTED = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]')


def main() -> int:
    core = pathlib.Path(sys.argv[1]) / "core"
    problems = []
    for layer_dir in sorted(p for p in core.iterdir() if p.is_dir()):
        layer = layer_dir.name
        if layer not in ALLOWED:
            problems.append(f"{layer_dir}: a folder of core/ that is no layer (add it to tests/lint/layers.py)")
            continue
        for rel, number, line in source_lines(core, (layer,)):
            m = INCLUDE.match(line)
            if m and m.group(1) != layer and m.group(1) not in ALLOWED[layer]:
                problems.append(f"core/{rel}:{number}: {layer} may not include {m.group(1)}: {line.strip()}")
    root = core.parent
    for rel, number, line in source_lines(root):
        layer = rel.parts[1] if rel.parts[0] == "core" else rel.parts[0]
        m = QUOTED.match(line)
        if m and m.group(1) in PRIVATE and layer not in PRIVATE[m.group(1)]:
            allowed = " and ".join(sorted(PRIVATE[m.group(1)]))
            problems.append(f"{rel}:{number}: only {allowed} may include {m.group(1)}")
    for path in sorted(core.glob("*.[hc]*")):
        problems.append(f"{path.relative_to(core.parent)}: a file outside the layers' folders")
    return verdict(problems, "{count} include(s) against the layers' order")


if __name__ == "__main__":
    sys.exit(main())
