#!/usr/bin/env bash
# Rebuilds resources/models/lede-ner.model, Lede's name model, from the
# training corpora: relabels them onto Lede's types (relabel.py), then trains
# with a fixed seed (lede-cli train). The same data gives the same bytes.
#
# Usage: scripts/ner/build-model.sh [LEDE_CLI] [SHARED_DATA]
#   LEDE_CLI     the lede-cli to train with (default: build/app/lede-cli)
#   SHARED_DATA  the folder holding ner-train/ and ner/ (default: ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/../.."
cli=${1:-build/app/lede-cli}
data=${2:-../shared/data}
work=${LEDE_NER_WORK:-build/ner-train}
rm -rf "$work"
python3 scripts/ner/relabel.py "$data" "$work"
"$cli" train "$work" --epochs 8 --seed 1 --out resources/models/lede-ner.model
cp "$work/REPORT.md" resources/models/RELABEL-REPORT.md
