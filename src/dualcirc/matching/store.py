"""Persistence of a :class:`MatchingIndex` as derived data in one directory.

Layout::

    DIR/MANIFEST.json       {"format", "snapshot", "generation", "model_id",
                             "files": {name: sha256}}
    DIR/GENERATION          the latest generation number (text), rewritten after every change
    DIR/snap-<gen>-<rand>/  docs.jsonl, emb.npy, lex_*.npy, lex_terms.json   (immutable)
    DIR/snap-…/changes.log  append-only JSON lines, one per change since that snapshot:
                            {"seq", "op": "upsert"|"delete", "docs"/"ids", "emb", "sha"}

* every write of a whole file is atomic (temp file + ``os.replace``); a snapshot becomes
  current only when ``MANIFEST.json`` (written last) names it;
* every snapshot file's sha256 is in the manifest and every log line carries the sha256 of
  its payload, so a corrupt, truncated or missing piece raises :class:`IndexCorrupt`
  (the caller rebuilds from the database); nothing half-read is ever served;
* a change (upsert/delete) is applied in memory and appended to the log, then
  ``GENERATION`` is bumped: other processes compare :meth:`IndexStore.generation` (one tiny
  file read) with ``index.generation`` and call :meth:`IndexStore.refresh`, which replays
  only the new log lines (re-tokenising just those products; embeddings travel in the log)
  or reloads when a newer snapshot replaced theirs;
* when the log grows past ``max_log_records`` the writer folds it into a new snapshot.

One writer at a time is assumed (the indexing task); writers serialise on ``DIR/.lock``.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from dualcirc.matching.dense import Embedder
from dualcirc.matching.engine import MatchingIndex
from dualcirc.matching.lexical import LexicalArrays, LexicalIndex
from dualcirc.matching.types import ProductDoc

FORMAT = 1
MANIFEST = "MANIFEST.json"
GENERATION = "GENERATION"
LOG = "changes.log"


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


def _emb_to_b64(m: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(m, dtype="<f4").tobytes()).decode()


def _emb_from_b64(s: str, n: int) -> np.ndarray:
    flat = np.frombuffer(base64.b64decode(s), dtype="<f4")
    return flat.reshape(n, -1) if n else np.zeros((0, 0), dtype=np.float32)


# --------------------------------------------------------------------------- store
class IndexStore:
    def __init__(self, directory: str | os.PathLike[str], *, max_log_records: int = 500) -> None:
        self.dir = Path(directory)
        self.max_log_records = max_log_records

    # ---------------------------------------------------------------- generation
    def generation(self) -> int:
        """The latest generation written (-1 when none): one small file read."""
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
        index.compact()
        doc_at, emb = index.state()
        arrays = index.lexical.to_arrays()
        name = f"snap-{index.generation:08d}-{secrets.token_hex(4)}"
        tmpdir = Path(tempfile.mkdtemp(dir=self.dir, prefix=".tmp-snap-"))
        try:
            with (tmpdir / "docs.jsonl").open("w", encoding="utf-8") as fh:
                for d in doc_at:
                    fh.write(json.dumps(doc_to_json(index.docs[d or ""]), ensure_ascii=False))
                    fh.write("\n")
            np.save(tmpdir / "emb.npy", np.ascontiguousarray(emb, dtype=np.float32))
            np.save(tmpdir / "lex_indptr.npy", arrays.indptr)
            np.save(tmpdir / "lex_slots.npy", arrays.slots)
            np.save(tmpdir / "lex_tfs.npy", arrays.tfs)
            np.save(tmpdir / "lex_dl.npy", arrays.dl[: len(doc_at)])
            (tmpdir / "lex_terms.json").write_text(
                json.dumps(arrays.terms, ensure_ascii=False), encoding="utf-8"
            )
            (tmpdir / LOG).touch()
            files = {p.name: _sha256(p) for p in sorted(tmpdir.iterdir()) if p.name != LOG}
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
            "count": len(doc_at),
            "files": files,
        }
        atomic_write(self.dir / MANIFEST, json.dumps(manifest, indent=1).encode())
        atomic_write(self.dir / GENERATION, str(index.generation).encode())
        index.snapshot_id = name
        for old in self.dir.glob("snap-*"):
            if old.name != name:
                shutil.rmtree(old, ignore_errors=True)

    def load(self, embedder: Embedder, **index_kwargs: Any) -> MatchingIndex:
        """Load the current snapshot and replay its log. Raises :class:`IndexCorrupt`."""
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
            emb = np.load(snap / "emb.npy")
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
            len(emb) != len(docs)
            or len(dl) != len(docs)
            or len(arrays.indptr) != len(arrays.terms) + 1
        ):
            raise IndexCorrupt("snapshot pieces disagree in size")
        index = MatchingIndex(embedder, **index_kwargs)
        lexical = LexicalIndex.from_arrays(arrays, manifest.get("field_weights"))
        index.restore(docs, emb, lexical)
        index.generation = int(manifest["generation"])
        index.snapshot_id = str(manifest["snapshot"])
        self._replay(index, snap)
        return index

    # ---------------------------------------------------------------- change log
    def _read_log(self, snap: Path) -> list[dict[str, Any]]:
        try:
            raw = (snap / LOG).read_bytes()
        except FileNotFoundError as exc:
            raise IndexCorrupt(f"missing {snap / LOG}") from exc
        out = []
        for line in raw.split(b"\n"):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                body = rec["body"]
                if hashlib.sha256(body.encode()).hexdigest() != rec["sha"]:
                    raise ValueError("checksum mismatch")
                out.append(json.loads(body))
            except (ValueError, KeyError, TypeError) as exc:
                raise IndexCorrupt(f"bad change-log record in {snap.name}: {exc}") from exc
        if raw and not raw.endswith(b"\n"):
            raise IndexCorrupt(f"truncated change log in {snap.name}")
        return out

    def _apply(self, index: MatchingIndex, rec: Mapping[str, Any]) -> None:
        if rec["op"] == "upsert":
            docs = [doc_from_json(d) for d in rec["docs"]]
            index.upsert(docs, embeddings=_emb_from_b64(rec["emb"], len(docs)))
        elif rec["op"] == "delete":
            index.delete(rec["ids"])
        else:
            raise IndexCorrupt(f"unknown change-log op {rec['op']!r}")
        index.generation = int(rec["seq"])

    def _replay(self, index: MatchingIndex, snap: Path) -> int:
        n = 0
        for rec in self._read_log(snap):
            if int(rec["seq"]) > index.generation:
                self._apply(index, rec)
                n += 1
        return n

    def _append(self, index: MatchingIndex, rec: dict[str, Any]) -> None:
        manifest = self._manifest()
        if manifest["snapshot"] != getattr(index, "snapshot_id", None):
            raise IndexCorrupt("index in memory is not based on the current snapshot; refresh")
        snap = self.dir / str(manifest["snapshot"])
        rec["seq"] = index.generation
        body = json.dumps(rec, ensure_ascii=False, separators=(",", ":"))
        line = json.dumps({"sha": hashlib.sha256(body.encode()).hexdigest(), "body": body})
        with (snap / LOG).open("ab") as fh:
            fh.write(line.encode() + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        atomic_write(self.dir / GENERATION, str(index.generation).encode())
        if sum(1 for _ in (snap / LOG).open("rb")) >= self.max_log_records:
            self._save(index)

    def upsert(self, index: MatchingIndex, docs: Sequence[ProductDoc]) -> None:
        """Apply an upsert to ``index`` and persist it as one log record."""
        docs = list({d.doc_id: d for d in docs}.values())
        if not docs:
            return
        with self._writer():
            self.refresh(index)
            emb = index.embedder.embed_passages(index.passage_texts(docs))
            index.upsert(docs, embeddings=emb)
            self._append(
                index,
                {"op": "upsert", "docs": [doc_to_json(d) for d in docs], "emb": _emb_to_b64(emb)},
            )

    def delete(self, index: MatchingIndex, doc_ids: Sequence[str]) -> None:
        with self._writer():
            self.refresh(index)
            if index.delete(doc_ids):
                self._append(index, {"op": "delete", "ids": list(doc_ids)})

    def refresh(self, index: MatchingIndex) -> bool:
        """Bring ``index`` up to the stored generation; True when something changed.

        Replays new log records when ``index`` is on the current snapshot, else reloads
        it in place from the new snapshot.
        """
        if self.generation() == index.generation:
            return False
        manifest = self._manifest()
        snap = self.dir / str(manifest["snapshot"])
        if manifest["snapshot"] == getattr(index, "snapshot_id", None):
            return self._replay(index, snap) > 0
        fresh = self.load(
            index.embedder,
            hs=index.hs,
            config=index.config,
            parser=index.parse,
            checker=index.check,
            expander=index.expand,
        )
        index.restore(
            [fresh.docs[d or ""] for d in fresh.state()[0]], fresh.state()[1], fresh.lexical
        )
        index.generation = fresh.generation
        index.snapshot_id = fresh.snapshot_id
        return True
