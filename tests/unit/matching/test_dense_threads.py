"""Serving processes run numpy's OpenBLAS with one thread (``dense.limit_blas_threads``)."""

from __future__ import annotations

import ctypes
from pathlib import Path

import numpy as np

from dualcirc.matching.dense import limit_blas_threads


def _openblas_threads() -> int | None:
    for line in Path("/proc/self/maps").read_text(encoding="utf-8").splitlines():
        path = line.split(maxsplit=5)[-1]
        if "openblas" in Path(path).name.lower():
            lib = ctypes.CDLL(path)
            for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads"):
                getter = getattr(lib, name, None)
                if getter is not None:
                    return int(getter())
    return None


def test_limit_blas_threads_sets_numpy_openblas_to_one_thread():
    np.ones((4, 4)) @ np.ones(4)  # numpy and its BLAS are loaded

    assert limit_blas_threads(1) is True

    assert _openblas_threads() == 1
    # products still compute the same
    m = np.arange(12, dtype=np.float32).reshape(3, 4)
    assert (m @ np.ones(4, dtype=np.float32)).tolist() == [6.0, 22.0, 38.0]
