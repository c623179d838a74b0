#!/usr/bin/env python3
"""Checks that only Lede's doors to the file system open files.

SQLite's locks on a store are POSIX locks, which belong to the process:
closing any descriptor on a store file drops them all, and another process
then deletes the -wal the desktop still writes to (see core/base/Files.h). So
in core/, ui/ and app/ only SQLite opens store files, through
core/store/Database.cpp; every other file is read or written through
core/base/Files.cpp, which refuses the files of open stores; and every file
dialog comes from ui/io/FileDialogs.cpp, whose dialogs never open the files
they list. This test fails, naming the line, when code elsewhere opens a
file by another way.

Usage: file_access.py SOURCE_DIR
"""
import pathlib
import re
import sys

from sources import source_lines, verdict

# (pattern, what it is, the files allowed to use it)
RULES = [
    (r"\bstd::(?:i|o)?fstream\b|#include\s*<fstream>", "a C++ file stream", {"core/base/Files.cpp"}),
    (r"\b(?:fopen|freopen|fdopen)\s*\(", "a C stdio file", {"core/base/Files.cpp"}),
    (r"(?<![\w.>])::open(?:at)?\s*\(|\bcreat\s*\(|\bmkstemp\b|\bmkostemp\b|\bO_TMPFILE\b",
     "an open(2) call", {"core/base/Files.cpp"}),
    (r"\bQFile\b|\bQSaveFile\b|\bQTemporaryFile\b|\bQLockFile\b", "a Qt file", set()),
    (r"\bQFileDialog\b", "a Qt file dialog", {"ui/io/FileDialogs.cpp", "ui/io/FileDialogs.h"}),
    (r"\bQMimeDatabase\b|\bQFileIconProvider\b|\bQFileSystemModel\b|\bQAbstractFileIconProvider\b",
     "Qt's file type detection, which reads files", {"ui/io/FileDialogs.cpp"}),
    (r"\bsqlite3_open(?:_v2|16)?\s*\(", "an SQLite connection", {"core/store/Database.cpp"}),
]

def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    found = []
    for rel, number, line in source_lines(root):
        name = rel.as_posix()
        code = line.split("//", 1)[0]
        for pattern, what, allowed in RULES:
            if name not in allowed and re.search(pattern, code):
                found.append(f"{name}:{number}: {what} outside its door: {line.strip()}")
    return verdict(found, "{count} place(s) open files outside core/base/Files.cpp, core/store/Database.cpp and "
                          "ui/io/FileDialogs.cpp", "file access: every file is opened through its door")

if __name__ == "__main__":
    sys.exit(main())
