"""The last few results of a deterministic computation, kept by a digest of its inputs.

Parsing the same chain file or seed table again, or fitting the same classifier on
the same training set, is most of what a re-opened workspace or a backtest's later
snapshots cost; each keeps its own :class:`Memo`.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

__all__ = ["Memo"]

T = TypeVar("T")


class Memo(Generic[T]):
    """A thread-safe store of the ``kept`` newest results by key (least recently used goes first).

    With ``weight`` (a value's size, e.g. its rows) and ``budget``, the oldest also go while the values kept
    weigh more than ``budget``; the newest is always kept. The values handed out are shared: a caller that may
    change one copies it.

    Examples
    --------
    >>> calls = []
    >>> memo = Memo(kept=2)
    >>> memo.get("a", lambda: calls.append("a") or 1), memo.get("a", lambda: calls.append("a") or 1)
    (1, 1)
    >>> calls                                   # made once
    ['a']
    >>> _ = memo.get("b", lambda: 2); _ = memo.get("c", lambda: 3)
    >>> sorted(memo.keys())                     # "a" was the least recently used
    ['b', 'c']
    >>> sized = Memo(kept=10, weight=len, budget=5)
    >>> _ = sized.get("ab", lambda: "ab"); _ = sized.get("cde", lambda: "cde"); _ = sized.get("f", lambda: "f")
    >>> sized.keys()                            # 2 + 3 + 1 > 5: the oldest went
    ['cde', 'f']
    """

    def __init__(self, kept: int, weight: Callable[[T], int] | None = None, budget: int | None = None):
        self.kept = kept
        self.weight = weight
        self.budget = budget
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._weights: dict[Hashable, int] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value kept for ``key``, or ``make()`` kept (a ``make`` that raises keeps nothing)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()   # outside the lock: two threads may both make a value, never wait on each other
        with self._lock:
            self._items[key] = value
            self._weights[key] = self.weight(value) if self.weight else 0
            while len(self._items) > 1 and (len(self._items) > self.kept or (
                    self.budget is not None and sum(self._weights.values()) > self.budget)):
                del self._weights[self._items.popitem(last=False)[0]]
        return value

    def keys(self) -> list[Hashable]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._weights.clear()
