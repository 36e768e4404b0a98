"""A run's history in bounded memory: the loss curve and the parameters' path, however many steps.

Every `stride`-th append is stored; when the store is full, every other stored row is dropped and
the stride doubles, so the rows stay evenly spread over the whole run (the curve's shape) while
memory stays flat, for a hundred steps or a hundred million. The first row is never dropped, and the
latest row and the rows of the lowest and highest loss are kept beside the store, so the ends and
the extremes of the curve are always there. An append that is not stored costs a few comparisons.
"""

from __future__ import annotations

import math

import numpy as np

EXTRAS = 3
"""Rows kept beside the evenly spaced store: the latest, the lowest loss and the highest loss."""


class History:
    """At most `capacity` rows of (step, loss, other values…), evenly spread over every append so far."""

    def __init__(self, capacity: int = 4096, columns: int = 1) -> None:
        """`columns` values per row after the step: the loss first, then anything (θ, for the path)."""
        if capacity < EXTRAS + 2:
            raise ValueError(f"capacity must be at least {EXTRAS + 2} (got {capacity})")
        if columns < 1:
            raise ValueError(f"columns must be at least 1: the loss (got {columns})")
        self.capacity = capacity
        self.columns = columns
        self._store = np.empty((capacity - EXTRAS, 1 + columns))
        self._stored = 0
        self._appended = 0
        self.stride = 1
        """Appends per stored row: it doubles each time the store fills."""
        self._latest: tuple | None = None
        self._lowest: tuple | None = None
        self._highest: tuple | None = None
        self._low = math.inf
        self._high = -math.inf

    def __len__(self) -> int:
        return len(self.rows())

    @property
    def appended(self) -> int:
        """How many rows were ever appended."""
        return self._appended

    @property
    def due(self) -> bool:
        """Whether the next append goes into the store (a caller may skip reading values that won't be)."""
        return self._appended % self.stride == 0

    def append(self, step: float, *values: float) -> None:
        """Add a row: the step, then `columns` values, the loss first."""
        row = (step, *values)
        self._latest = row
        loss = values[0]
        if loss < self._low:
            self._low, self._lowest = loss, row
        if loss > self._high:
            self._high, self._highest = loss, row
        index = self._appended
        self._appended = index + 1
        if index % self.stride:
            return
        if len(row) != self._store.shape[1]:
            raise ValueError(f"expected a step and {self.columns} values (got {len(row)} numbers)")
        if self._stored == len(self._store):
            self._halve()
            if index % self.stride:  # an odd multiple of the old stride: not on the new grid
                return
        self._store[self._stored] = row
        self._stored += 1

    def _halve(self) -> None:
        """Drop every other stored row (keeping the first) and double the stride."""
        kept = self._store[: self._stored : 2]
        self._stored = len(kept)
        self._store[: self._stored] = kept.copy()
        self.stride *= 2

    def rows(self) -> np.ndarray:
        """Every kept row, ordered by step: shape (≤ capacity, 1 + columns); column 0 is the step, 1 the loss."""
        extras = [row for row in (self._latest, self._lowest, self._highest) if row is not None]
        table = np.concatenate([self._store[: self._stored], np.array(extras, dtype=float).reshape(-1, 1 + self.columns)])
        # The extras may repeat stored rows: one row per step, in step order.
        _, first = np.unique(table[:, 0], return_index=True)
        return table[first]

    @property
    def steps(self) -> np.ndarray:
        return self.rows()[:, 0]

    @property
    def losses(self) -> np.ndarray:
        return self.rows()[:, 1]
