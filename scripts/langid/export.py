#!/usr/bin/env python3
"""Rebuild data/langid/model.bin.gz from the langid.py package on PyPI (langid 1.1.6).

langid.py (Lui and Baldwin 2012, BSD licence) ships its model inside its source as a
base64, bz2-compressed pickle of plain `array.array`s and a dict, so no numpy is needed to
read it. This script writes the same numbers in a flat little-endian layout that
`src/filters/langid/model.rs` reads:

    magic  b"PCLANGID"            8 bytes
    version u32 = 1
    n_classes, n_features, n_states, n_outputs   u32 each
    class codes                   n_classes x 2 ASCII bytes (ISO 639-1)
    class log-priors (nb_pc)      n_classes x f32
    log-likelihoods (nb_ptc)      n_features x n_classes x f32, feature-major
    DFA transitions (tk_nextmove) n_states x 256 x u16
    output offsets                (n_states + 1) x u32
    output feature ids            n_outputs x u16

and gzips it (gzip's CRC-32 and length guard the file). Usage:

    pip download --no-deps langid==1.1.6 && python3 scripts/langid/export.py langid-1.1.6.tar.gz
"""

import array
import base64
import bz2
import gzip
import io
import pickle
import re
import struct
import sys
import tarfile

OUT = "data/langid/model.bin.gz"


def load(sdist):
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("langid/langid.py"))
        source = tar.extractfile(member).read().decode()
    blob = re.search(r'model=b"""(.*?)"""', source, re.S).group(1)
    return pickle.loads(bz2.decompress(base64.b64decode(blob)))


def main():
    nb_ptc, nb_pc, nb_classes, tk_nextmove, tk_output = load(sys.argv[1])
    n_classes = len(nb_pc)
    n_features = len(nb_ptc) // n_classes
    n_states = len(tk_nextmove) // 256
    assert n_features * n_classes == len(nb_ptc) and n_states * 256 == len(tk_nextmove)
    assert all(len(code) == 2 and code.isascii() for code in nb_classes)
    assert max(tk_nextmove) < n_states and n_features < 65536
    offsets, outputs = [0], []
    for state in range(n_states):
        outputs.extend(tk_output.get(state, ()))
        offsets.append(len(outputs))

    body = io.BytesIO()
    body.write(b"PCLANGID")
    body.write(struct.pack("<5I", 1, n_classes, n_features, n_states, len(outputs)))
    body.write("".join(nb_classes).encode("ascii"))
    body.write(array.array("f", nb_pc).tobytes())
    body.write(array.array("f", nb_ptc).tobytes())
    body.write(array.array("H", tk_nextmove).tobytes())
    body.write(array.array("I", offsets).tobytes())
    body.write(array.array("H", outputs).tobytes())
    assert sys.byteorder == "little"
    # mtime=0: the same input gives the same bytes.
    with open(OUT, "wb") as out:
        out.write(gzip.compress(body.getvalue(), compresslevel=9, mtime=0))
    print(f"{OUT}: {n_classes} languages, {n_features} features, {n_states} states")


if __name__ == "__main__":
    main()
