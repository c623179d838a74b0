"""What the lint checks share: Lede's C++ sources, line by line, and the
verdict printed the same way by every check."""
import pathlib


def source_lines(root: pathlib.Path, folders=("core", "ui", "app")):
    """Yields (path relative to root, line number, line) for every .h and
    .cpp file below the given folders of root, in a fixed order."""
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in (".h", ".cpp") or not path.is_file():
                continue
            rel = path.relative_to(root)
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                yield rel, number, line


def verdict(problems, failed: str, passed: str = "") -> int:
    """Prints each problem and then `failed` (formatted with the count) and
    returns 1, or prints `passed` and returns 0 when there is none."""
    for p in problems:
        print(p)
    if problems:
        print(failed.format(count=len(problems)))
        return 1
    if passed:
        print(passed)
    return 0
