"""Persistence of a :class:`MatchingIndex` as derived data in one directory: a snapshot.

Layout::

    DIR/MANIFEST.json       {"format", "snapshot", "generation", "model_id",
                             "files": {name: sha256}}
    DIR/GENERATION          the generation of the current snapshot (text)
    DIR/snap-<gen>-<rand>/  docs.jsonl, emb_rows.npy, emb_row_of.npy, lex_*.npy,
                            lex_terms.json   (immutable)

* every write of a whole file is atomic (temp file + ``os.replace``); a snapshot becomes
  current only when ``MANIFEST.json`` (written last) names it;
* every snapshot file's sha256 is in the manifest, so a corrupt, truncated or missing piece
  raises :class:`IndexCorrupt` (the caller rebuilds from its source); nothing half-read is
  ever served.

A snapshot only makes starting faster. Keeping a loaded index fresh is the caller's business:
on the Django side every process applies the database change feed written after the
snapshot's generation (``search.service``) — the one freshness mechanism.
Writers serialise on ``DIR/.lock``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import asdict, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from dualcirc.matching.dense import Embedder, VectorTable
from dualcirc.matching.engine import MatchingIndex
from dualcirc.matching.lexical import LexicalArrays, LexicalIndex
from dualcirc.matching.types import ProductDoc

# 2: vectors stored once per distinct vector (emb_rows + emb_row_of); 3: postings of the
# tokenizer that ends a word where a Chinese run starts ("TC连体服" → tc, 连体服), stems
# possessives and irregular plurals (women's → women, scarves → scarf) and spells a hyphenated
# word three ways (t-shirt, t_shirt, tshirt): an older snapshot is rebuilt from the feed, never
# served with postings the queries no longer meet
FORMAT = 3
MANIFEST = "MANIFEST.json"
GENERATION = "GENERATION"


class IndexCorrupt(Exception):
    """The stored index is missing pieces, fails a checksum or cannot be parsed."""


class IndexMissing(IndexCorrupt):
    """No index has been saved in the directory yet."""


# --------------------------------------------------------------------------- helpers
def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory and ``os.replace``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created, with its folder, when missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def doc_to_json(doc: ProductDoc) -> dict[str, Any]:
    out = asdict(doc)
    for k, v in out.items():
        if isinstance(v, Decimal):
            out[k] = str(v)
        elif isinstance(v, tuple):
            out[k] = list(v)
    return out


_DECIMAL_FIELDS = {"moq", "price_min", "price_max"}
_TUPLE_FIELDS = {"certifications", "export_markets"}
_DOC_FIELDS = {f.name for f in fields(ProductDoc)}


def doc_from_json(data: Mapping[str, Any]) -> ProductDoc:
    kw: dict[str, Any] = {}
    for k, v in data.items():
        if k not in _DOC_FIELDS:
            continue
        if k in _DECIMAL_FIELDS and v is not None:
            v = Decimal(v)
        elif k in _TUPLE_FIELDS:
            v = tuple(v)
        kw[k] = v
    return ProductDoc(**kw)


# --------------------------------------------------------------------------- store
class IndexStore:
    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.dir = Path(directory)

    # ---------------------------------------------------------------- generation
    def generation(self) -> int:
        """The generation of the current snapshot (-1 when none): one small file read."""
        try:
            return int((self.dir / GENERATION).read_text().strip())
        except FileNotFoundError:
            return -1
        except ValueError as exc:
            raise IndexCorrupt(f"unreadable {GENERATION}: {exc}") from exc

    def _manifest(self) -> dict[str, Any]:
        path = self.dir / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise IndexMissing(f"no index in {self.dir}") from exc
        except (OSError, ValueError) as exc:
            raise IndexCorrupt(f"unreadable manifest: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise IndexCorrupt("unknown manifest format")
        return data

    def _writer(self) -> contextlib.AbstractContextManager[None]:
        return file_lock(self.dir / ".lock")

    # ---------------------------------------------------------------- snapshot
    def save(self, index: MatchingIndex) -> None:
        """Write a full snapshot of ``index`` and make it current (drops older snapshots)."""
        with self._writer():
            self._save(index)

    def _save(self, index: MatchingIndex) -> None:
        docs, vectors = index.state()
        arrays = index.lexical.to_arrays()
        name = f"snap-{index.generation:08d}-{secrets.token_hex(4)}"
        tmpdir = Path(tempfile.mkdtemp(dir=self.dir, prefix=".tmp-snap-"))
        try:
            with (tmpdir / "docs.jsonl").open("w", encoding="utf-8") as fh:
                for d in docs:
                    fh.write(json.dumps(doc_to_json(d), ensure_ascii=False))
                    fh.write("\n")
            np.save(tmpdir / "emb_rows.npy", vectors.rows[: vectors.n_rows])
            np.save(tmpdir / "emb_row_of.npy", vectors.row_of[: len(docs)])
            np.save(tmpdir / "lex_indptr.npy", arrays.indptr)
            np.save(tmpdir / "lex_slots.npy", arrays.slots)
            np.save(tmpdir / "lex_tfs.npy", arrays.tfs)
            np.save(tmpdir / "lex_dl.npy", arrays.dl[: len(docs)])
            (tmpdir / "lex_terms.json").write_text(
                json.dumps(arrays.terms, ensure_ascii=False), encoding="utf-8"
            )
            files = {p.name: _sha256(p) for p in sorted(tmpdir.iterdir())}
            os.replace(tmpdir, self.dir / name)
        except BaseException:
            shutil.rmtree(tmpdir, ignore_errors=True)
            raise
        manifest = {
            "format": FORMAT,
            "snapshot": name,
            "generation": index.generation,
            "model_id": index.embedder.model_id,
            "field_weights": index.lexical.field_weights,
            "count": len(docs),
            "files": files,
        }
        atomic_write(self.dir / MANIFEST, json.dumps(manifest, indent=1).encode())
        atomic_write(self.dir / GENERATION, str(index.generation).encode())
        index.snapshot_id = name
        for old in self.dir.glob("snap-*"):
            if old.name != name:
                shutil.rmtree(old, ignore_errors=True)

    def load(self, embedder: Embedder, **index_kwargs: Any) -> MatchingIndex:
        """Load the current snapshot. Raises :class:`IndexCorrupt` (:class:`IndexMissing`)."""
        for attempt in range(3):
            manifest = self._manifest()
            try:
                return self._load(manifest, embedder, index_kwargs)
            except IndexCorrupt:
                # a writer may have swapped snapshots under us: retry on a new manifest
                if attempt == 2 or self._manifest().get("snapshot") == manifest["snapshot"]:
                    raise
        raise IndexCorrupt("unreachable")  # pragma: no cover

    def _load(
        self, manifest: Mapping[str, Any], embedder: Embedder, index_kwargs: Mapping[str, Any]
    ) -> MatchingIndex:
        if manifest.get("model_id") != embedder.model_id:
            raise IndexCorrupt(
                f"index built with {manifest.get('model_id')!r}, embedder is {embedder.model_id!r}"
            )
        snap = self.dir / str(manifest["snapshot"])
        files: Mapping[str, str] = manifest.get("files", {})
        for fname, digest in files.items():
            p = snap / fname
            if not p.is_file():
                raise IndexCorrupt(f"missing {p}")
            if _sha256(p) != digest:
                raise IndexCorrupt(f"checksum mismatch: {p}")
        try:
            docs = [
                doc_from_json(json.loads(line))
                for line in (snap / "docs.jsonl").read_text(encoding="utf-8").splitlines()
                if line
            ]
            vectors = VectorTable.from_arrays(
                np.load(snap / "emb_rows.npy"), np.load(snap / "emb_row_of.npy")
            )
            dl = np.load(snap / "lex_dl.npy")
            arrays = LexicalArrays(
                terms=json.loads((snap / "lex_terms.json").read_text(encoding="utf-8")),
                indptr=np.load(snap / "lex_indptr.npy"),
                slots=np.load(snap / "lex_slots.npy"),
                tfs=np.load(snap / "lex_tfs.npy"),
                dl=dl,
                alive=np.ones(len(docs), dtype=bool),
            )
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise IndexCorrupt(f"unreadable snapshot {snap.name}: {exc}") from exc
        if (
            len(vectors.row_of) != len(docs)
            or len(dl) != len(docs)
            or len(arrays.indptr) != len(arrays.terms) + 1
        ):
            raise IndexCorrupt("snapshot pieces disagree in size")
        index = MatchingIndex(embedder, **index_kwargs)
        lexical = LexicalIndex.from_arrays(arrays, manifest.get("field_weights"))
        index.restore(docs, vectors, lexical)
        index.generation = int(manifest["generation"])
        index.snapshot_id = str(manifest["snapshot"])
        return index
