#!/usr/bin/env bash
#! Parity of pilecurate's Gopher quality, Gopher repetition, C4 and FineWeb rule sets with
#! datatrove's filters of the same names (issue #3). Builds the release binary, makes a
#! throw-away venv (in a temp dir, or $PARITY_VENV to keep and reuse it) with datatrove, spaCy
#! (datatrove's English word and sentence tokenizer) and zstandard, then runs parity.py, which
#! prints the agreement table and the disagreeing document ids.
#!   scripts/parity/run.sh [--corpus FILE.jsonl.gz] [--families gopher_quality,c4] [--show 20]
#! Default corpus: ../shared/data/corpus/corpus.jsonl.gz, else data/sample/sample.jsonl.gz.
#! DATATROVE_VERSION=0.3.0 pins datatrove (the release FineWeb was built with; default: latest).
#! Exit status 0 when every family agrees on at least 99% of documents.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release -q
venv="${PARITY_VENV:-}"
if [ -z "$venv" ]; then
  venv="$(mktemp -d)/venv"
  trap 'rm -rf "$(dirname "$venv")"' EXIT
fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
# regex: datatrove imports it (for its text utilities) without always declaring it.
"$venv/bin/pip" install -q "datatrove${DATATROVE_VERSION:+==$DATATROVE_VERSION}" spacy zstandard regex
"$venv/bin/python" scripts/parity/parity.py "$@"
