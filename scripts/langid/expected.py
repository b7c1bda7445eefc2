#!/usr/bin/env python3
"""Write what langid.py itself answers for every document of the shipped sample, on the
prefix pilecurate's detector reads, to data/langid/expected-sample.tsv (one line per
document: index, language, normalized probability). The Rust tests compare the
detector with it. Needs numpy and langid in a throw-away venv:

    python3 -m venv /tmp/lid && /tmp/lid/bin/pip install numpy langid==1.1.6
    /tmp/lid/bin/python scripts/langid/expected.py
"""

import gzip
import json

from langid.langid import LanguageIdentifier, model

SAMPLE = "data/sample/sample.jsonl.gz"
OUT = "data/langid/expected-sample.tsv"
# src/filters/langid/mod.rs: SAMPLE_BYTES
SAMPLE_BYTES = 2048


def prefix(text):
    data = text.encode("utf-8")[:SAMPLE_BYTES]
    return data.decode("utf-8", errors="ignore")


def main():
    ident = LanguageIdentifier.from_modelstring(model, norm_probs=True)
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as sample, open(OUT, "w") as out:
        for index, line in enumerate(sample):
            text = prefix(json.loads(line)["text"])
            if any(c.isalpha() for c in text):
                language, probability = ident.classify(text)
            else:
                # pilecurate does not guess the language of a text with no letter.
                language, probability = "und", 0.0
            out.write(f"{index}\t{language}\t{probability!r}\n")


if __name__ == "__main__":
    main()
