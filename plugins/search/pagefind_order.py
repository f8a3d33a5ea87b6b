"""Put Pagefind's filter and metadata files in a stable order, so every build is reproducible.

Pagefind (1.5) writes each filter's values, and the list of filters in its metadata file,
in the order of Rust hash maps, which changes from run to run (its issue #638); the files
are named after a hash of their bytes, so two builds of the same documents differ in those
names too, and in pagefind-entry.json, which names the metadata file. Here each filter's
values are sorted, the filters are listed by name, and the files are written again (the
same CBOR, gzip with Pagefind's "pagefind_dcd" signature) under names hashed from the
sorted bytes. Pagefind's browser code reads the files by the names the metadata gives; the
order of values only decides the order its filters come in.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os

import cbor2

SIGNATURE = b"pagefind_dcd"
#: Positions in a decoded metadata file (Pagefind 1.5): the list of [filter name, file hash].
META_FILTERS = 3


def stabilise(folder: str) -> None:
    """Rewrite the order-dependent files of the Pagefind bundle in `folder`."""
    entry_path = os.path.join(folder, "pagefind-entry.json")
    with open(entry_path, encoding="utf-8") as handle:
        entry = json.load(handle)
    for language, facts in entry["languages"].items():
        meta_path = os.path.join(folder, f"pagefind.{facts['hash']}.pf_meta")
        meta = _read(meta_path)
        filters = []
        for name, old in meta[META_FILTERS]:
            filter_path = os.path.join(folder, "filter", f"{old}.pf_filter")
            index = _read(filter_path)
            index[1].sort(key=lambda value: value[0])
            os.remove(filter_path)
            new = _write(os.path.join(folder, "filter"), language, 7, index, ".pf_filter")
            filters.append([name, new])
        meta[META_FILTERS] = sorted(filters)
        os.remove(meta_path)
        facts["hash"] = _write(folder, language, 10, meta, ".pf_meta", prefix="pagefind.")
    entry["languages"] = dict(sorted(entry["languages"].items()))
    with open(entry_path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))


def _read(path: str):
    with open(path, "rb") as handle:
        data = gzip.decompress(handle.read())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a Pagefind index file")
    return cbor2.loads(data[len(SIGNATURE) :])


def _write(folder: str, language: str, length: int, value, suffix: str, prefix: str = "") -> str:
    """Write `value` as `<prefix><language>_<hash><suffix>`; return `<language>_<hash>`."""
    data = SIGNATURE + cbor2.dumps(value)
    digest = hashlib.sha256(data).hexdigest()
    while os.path.exists(os.path.join(folder, f"{prefix}{language}_{digest[:length]}{suffix}")):
        length += 1  # another file of this bundle has the same short hash
    name = f"{language}_{digest[:length]}"
    with open(os.path.join(folder, prefix + name + suffix), "wb") as handle:
        handle.write(gzip.compress(data, compresslevel=9, mtime=0))
    return name
