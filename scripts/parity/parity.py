#!/usr/bin/env python3
"""Parity of pilecurate's shipped rule sets with datatrove's filters (issue #3).

For each family (gopher_quality, gopher_repetition, c4, fineweb_quality) this runs
`pilecurate run` with ONE shipped set on every source (no dedup, no tasks) and reads our drops
from OUT/removed/filtered.jsonl.zst, then runs datatrove's filter of the same name with default
arguments over the same documents, in the same order, and prints an agreement table plus the
first disagreeing document ids (0-based index in the corpus) with both sides' reasons.
C4 rewrites text: only keep/drop decisions are compared.

Run through scripts/parity/run.sh (it makes the venv with datatrove and spaCy):
    scripts/parity/run.sh [--corpus FILE.jsonl.gz] [--families c4,fineweb_quality] [--show 20]
"""
import argparse, gzip, io, json, os, subprocess, sys, tempfile, time
from multiprocessing import Pool

import zstandard
from datatrove.data import Document
from datatrove.pipeline.filters import (C4QualityFilter, FineWebQualityFilter,
                                        GopherQualityFilter, GopherRepetitionFilter)

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FAMILIES = {  # our rule set -> datatrove filter class (default arguments)
    "gopher_quality": GopherQualityFilter,
    "gopher_repetition": GopherRepetitionFilter,
    "c4": C4QualityFilter,
    "fineweb_quality": FineWebQualityFilter,
}


def read_corpus(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def ours(family, corpus, sources, binary, work):
    """Run pilecurate with filters/<family>.toml on every source; {doc id: reason} of its drops."""
    out = os.path.join(work, f"out-{family}")
    cfg = os.path.join(work, f"{family}.toml")
    rules = os.path.join(REPO, "filters", f"{family}.toml")
    with open(cfg, "w") as f:
        f.write(f'[run]\noutput = "{out}"\n\n[tokenizer]\npath = "{REPO}/data/tokenizer/gpt2/tokenizer.json"\n\n'
                f'[dedup]\nexact = false\nfuzzy = false\n\n[output]\nwrite_docs = false\n\n'
                f'[[input]]\npath = "{corpus}"\n')
        for s in sources:
            f.write(f'\n[[source]]\nname = {json.dumps(s)}\nfilters = ["{rules}"]\n')
    subprocess.run([binary, "run", cfg, "-o", out, "-q", "--force", "--allow-rejects"], check=True)
    drops = {}
    with open(os.path.join(out, "removed", "filtered.jsonl.zst"), "rb") as f:
        for line in io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(f), encoding="utf-8"):
            r = json.loads(line)
            drops[r["id"]] = f'{r["reason"]}={r["value"]:.4g}' if isinstance(r.get("value"), (int, float)) else r["reason"]
    return drops


_filter = None


def _init(family):
    global _filter
    _filter = FAMILIES[family]()


def _theirs_one(item):
    i, text = item
    try:
        r = _filter.filter(Document(text=text, id=str(i)))
    except Exception as e:  # datatrove raises on some degenerate texts (e.g. no words)
        return i, f"exception:{type(e).__name__}"
    if r is True:
        return i, None
    return i, (r[1] if isinstance(r, tuple) else "dropped")


def theirs(family, docs, jobs):
    """Run datatrove's filter on every document; {doc id: reason} of its drops."""
    with Pool(jobs, initializer=_init, initargs=(family,)) as pool:
        res = pool.imap(_theirs_one, ((i, d["text"]) for i, d in enumerate(docs)), chunksize=16)
        return {i: why for i, why in res if why is not None}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = os.path.join(REPO, "..", "shared", "data", "corpus", "corpus.jsonl.gz")
    if not os.path.exists(default):
        default = os.path.join(REPO, "data", "sample", "sample.jsonl.gz")
    ap.add_argument("--corpus", default=default)
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--binary", default=os.path.join(REPO, "target", "release", "pilecurate"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--show", type=int, default=20, help="disagreeing ids listed per family")
    a = ap.parse_args()
    corpus = os.path.abspath(a.corpus)
    docs = read_corpus(corpus)
    sources = sorted({d["meta"]["pile_set_name"] for d in docs})
    print(f"corpus {corpus}: {len(docs)} documents, {len(sources)} sources", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="parity-") as work:
        for fam in a.families.split(","):
            t = time.time()
            o = ours(fam, corpus, sources, a.binary, work)
            t_ours = time.time() - t
            th = theirs(fam, docs, a.jobs)
            n = len(docs)
            both = len(o.keys() & th.keys())
            only_o = sorted(o.keys() - th.keys())
            only_t = sorted(th.keys() - o.keys())
            agree = n - len(only_o) - len(only_t)
            rows.append((fam, n, 100 * agree / n, both, n - both - len(only_o) - len(only_t), len(only_o), len(only_t)))
            print(f"\n## {fam}: ours {t_ours:.0f}s, datatrove {time.time() - t - t_ours:.0f}s; "
                  f"{len(only_o) + len(only_t)} disagreements", flush=True)
            for i in sorted(only_o + only_t)[:a.show]:
                print(f"  doc {i} ({docs[i]['meta']['pile_set_name']}): ours={o.get(i, 'keep')} "
                      f"datatrove={th.get(i, 'keep')}")
    print("\n| family | documents | agreement | both drop | both keep | only ours drops | only datatrove drops |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for fam, n, pct, bd, bk, oo, ot in rows:
        print(f"| {fam} | {n} | {pct:.2f}% | {bd} | {bk} | {oo} | {ot} |")
    return 0 if all(r[2] >= 99 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
