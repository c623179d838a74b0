#!/usr/bin/env python3
"""Writes the gazetteer without the development corpus's names.

The tagger is measured on ../shared/corpus, whose names are in the shipped
lists; to see how it reads names it has never been given, a build embeds
this gazetteer instead (cmake -DLEDE_GAZETTEER_TSV=OUT) and is scored on
the same corpus. A row goes when its canonical name or any alias, folded
to lower case, is a gold name of the corpus of a type other than NATION
(nations are a closed list: every reader knows them).

    python3 scripts/ner/heldout-gazetteer.py ../shared/corpus resources/gazetteers/lede.tsv OUT
"""
import json
import pathlib
import sys


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    corpus, gazetteer, out = (pathlib.Path(a) for a in sys.argv[1:])
    gold = set()
    for path in sorted(corpus.glob("*.gold.json")):
        for entity in json.loads(path.read_text(encoding="utf-8"))["entities"]:
            if entity["type"] != "NATION":
                gold.add(entity["text"].casefold())
    kept, dropped = [], 0
    for line in gazetteer.read_text(encoding="utf-8").splitlines(keepends=True):
        cols = line.rstrip("\n").split("\t")
        if line.startswith("#") or len(cols) < 2:
            kept.append(line)
            continue
        forms = [cols[1]] + [a.lstrip("=") for a in cols[2].split("|") if a] if len(cols) > 2 else [cols[1]]
        if any(f.lstrip("=").casefold() in gold for f in forms):
            dropped += 1
            continue
        kept.append(line)
    out.write_text("".join(kept), encoding="utf-8")
    print(f"{out}: {dropped} rows without the corpus's names dropped, {len(kept)} lines kept", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
