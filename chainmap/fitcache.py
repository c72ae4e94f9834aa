"""On-disk cache of fitted target scorers, so that a command on unchanged data never retrains.

This is the edge (it reads and writes files, and reads ``CHAINMAP_CACHE_DIR``):
the core scorer knows nothing of it. A fit is stored under a key that digests

* the data: a name the store gives its content (the workspace database's id
  and data version, so a cache hit reads no table at all), or a digest of the
  tables themselves (:func:`tables_digest`);
* the scoring parameters and the inference method;
* the code: every ``chainmap`` source file, and :data:`CACHE_VERSION`.

Entries are pickles written atomically (a temporary file renamed into place);
a folder keeps the 200 last written or read, within 1 GiB.
An entry that cannot be read, or whose stored key or version differs, is
ignored and rebuilt. The fitted link classifier is left out of the entry (its
placements, ``inferred_`` and ``inferred_proba_``, are kept): loading it
would import scikit-learn, which alone costs more than the rest of a cached
``chainmap rank``; a scorer read back has ``classifier_ = None``.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

__all__ = ["CACHE_VERSION", "default_dir", "tables_digest", "fit_key", "load", "save",
           "cached_fit", "refit"]

#: Bump when the layout of a cache entry changes.
CACHE_VERSION = 1
#: Entries kept per cache folder (last used first). The bytes below decide for a large library; the count keeps a
#: folder of small fits short. It holds the yearly snapshots of a few backtests besides today's fits: at 24, a
#: second backtest's snapshots pushed the first's out.
_KEEP = 200
#: Bytes kept per cache folder (last used first; the entry just written always): a fit of the national library
#: is tens of MB.
_BUDGET = 1 << 30
_code_digest: str | None = None


def default_dir() -> Path:
    """``$CHAINMAP_CACHE_DIR``, else ``$XDG_CACHE_HOME/chainmap``, else ``~/.cache/chainmap``."""
    if os.environ.get("CHAINMAP_CACHE_DIR"):
        return Path(os.environ["CHAINMAP_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "chainmap"


def _code() -> str:
    global _code_digest
    if _code_digest is None:
        h = hashlib.sha256()
        root = Path(__file__).resolve().parent
        for p in sorted(root.rglob("*.py")):
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
        _code_digest = h.hexdigest()
    return _code_digest


def tables_digest(tables) -> str:
    """Digest of every table's columns, dtypes and values."""
    import pandas as pd

    h = hashlib.sha256()
    for name, df in tables.items():
        h.update(name.encode())
        h.update(repr([(c, str(t)) for c, t in df.dtypes.items()]).encode())
        h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()


def fit_key(data_digest: str, params, inference: str) -> str:
    """The cache key of one fit: data, parameters, inference method, code and cache version."""
    h = hashlib.sha256()
    for part in (str(CACHE_VERSION), _code(), data_digest, repr(params), inference):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _path(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / f"scorer-{key[:40]}.pkl"


def load(cache_dir: str | os.PathLike, key: str):
    """The scorer stored under ``key``, or None (absent, unreadable, or another key or version)."""
    path = _path(Path(cache_dir), key)
    try:
        with open(path, "rb") as f:
            entry = pickle.load(f)
        if entry.get("version") == CACHE_VERSION and entry.get("key") == key:
            try:
                os.utime(path)   # used: kept before the entries written since (see save)
            except OSError:
                pass
            return entry["scorer"]
    except FileNotFoundError:
        return None
    except Exception:  # a corrupt or foreign entry: ignored, rebuilt by the caller
        pass
    return None


def save(cache_dir: str | os.PathLike, key: str, scorer) -> Path | None:
    """Store ``scorer`` under ``key`` (atomically); None when the folder cannot be written."""
    cache_dir = Path(cache_dir)
    state = dict(scorer.__dict__)
    state["classifier_"] = None
    lean = object.__new__(type(scorer))
    lean.__dict__.update(state)
    path = _path(cache_dir, key)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".scorer-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump({"version": CACHE_VERSION, "key": key, "scorer": lean}, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        return None
    entries = []
    for p in cache_dir.glob("scorer-*.pkl"):
        try:
            st = p.stat()
        except OSError:  # removed meanwhile by another process's clean-up
            continue
        entries.append((st.st_mtime, st.st_size, p))
    total = 0
    for i, (_, size, p) in enumerate(sorted(entries, reverse=True)):
        total += size
        if i >= _KEEP or (i and total > _BUDGET):
            try:
                p.unlink()
            except OSError:
                pass
    return path


def cached_fit(tables, params=None, inference: str = "classifier", cache_dir=None, data_digest: str | None = None,
               *, load_tables=None):
    """A fitted :class:`~chainmap.scoring.TargetScorer`, from the cache when the key matches.

    Returns ``(scorer, hit)``. ``data_digest`` defaults to :func:`tables_digest`.
    ``tables`` may be None when ``data_digest`` is given; ``load_tables()`` then
    reads them, on a miss only.
    """
    from .scoring import ScoringParams, TargetScorer

    params = params or ScoringParams()
    cache_dir = Path(cache_dir) if cache_dir is not None else default_dir()
    key = fit_key(data_digest or tables_digest(tables), params, inference)
    hit = load(cache_dir, key)
    if hit is not None:
        return hit, True
    scorer = TargetScorer(params, inference).fit(tables if tables is not None else load_tables())
    save(cache_dir, key, scorer)
    return scorer, False


def refit(scorer, tables, cache_dir=None):
    """``scorer`` fitted on ``tables``, or an equal fit read from the cache (same parameters, inference and
    data): the ``fit`` hook of :func:`chainmap.learn.backtest.backtest`, whose snapshots are the same tables
    each time the backtest runs again on unchanged data."""
    return cached_fit(tables, scorer.params, scorer.inference, cache_dir)[0]
