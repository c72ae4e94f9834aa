"""The learned strategy's file: ``seeds/learned_weights.toml`` in a workspace.

``chainmap learn`` writes it; ``--strategy learned`` and the app read it. It
holds the weights, their bootstrap uncertainty, what they were fitted on and
the backtest figures of that moment, so a reader can judge them. The hand-set
strategies live in code (:data:`chainmap.scoring.weights.STRATEGIES`) and are
never overwritten. Which keys a weight table needs is checked by the scoring
layer, not here.
"""
from __future__ import annotations

import os
import tomllib
from pathlib import Path

import tomli_w

from .errors import InputError, Problem
from .workspace import atomic_write

__all__ = ["LEARNED_FILE", "parse_learned", "format_learned", "read_learned", "write_learned"]

LEARNED_FILE = "seeds/learned_weights.toml"


def parse_learned(data: bytes, file: str = LEARNED_FILE) -> dict:
    """The learned-strategy document; ``weights`` must be a table of numbers.

    >>> parse_learned(b"[weights]\\nfill = 1.0\\n")["weights"]
    {'fill': 1.0}
    >>> parse_learned(b"[weights]\\nfill = 'a lot'\\n")
    Traceback (most recent call last):
    ...
    chainmap.io.errors.InputError: seeds/learned_weights.toml: weights.fill must be a number, got 'a lot'
    """
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise InputError([Problem(file, "not_toml", {"error": str(e)})]) from None
    weights = doc.get("weights")
    if not isinstance(weights, dict) or not weights:
        raise InputError([Problem(file, "no_weights")])
    for k, v in weights.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise InputError([Problem(file, "weight_not_number", {"key": k, "value": v})])
    return doc


def format_learned(doc: dict) -> str:
    """TOML text of a learned-strategy document (``None`` values left out)."""
    def clean(x):
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items() if v is not None}
        if isinstance(x, (list, tuple)):
            return [clean(v) for v in x if v is not None]
        return x
    return "# Written by `chainmap learn`; the hand-set strategies are in chainmap/scoring/weights.py.\n" + \
        tomli_w.dumps(clean(doc))


def read_learned(root: str | os.PathLike) -> dict | None:
    """The workspace's learned strategy, or None when ``chainmap learn`` has not run."""
    path = Path(root) / LEARNED_FILE
    if not path.exists():
        return None
    return parse_learned(path.read_bytes(), str(path))


def write_learned(root: str | os.PathLike, doc: dict) -> Path:
    """Write the learned strategy atomically; returns its path."""
    path = Path(root) / LEARNED_FILE
    atomic_write(path, format_learned(doc).encode("utf-8"))
    return path
