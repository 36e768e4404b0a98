"""A run's history in bounded memory: the loss curve and the parameters' path, however many steps.

Every `stride`-th append is stored; when the store is full, every other stored row is dropped and
the stride doubles, so the rows stay evenly spread over the whole run (the curve's shape) while
memory stays flat, for a hundred steps or a hundred million. The first row is never dropped, and the
latest row and the rows of the lowest and highest loss are kept beside the store, so the ends and
the extremes of the curve are always there. An append that is not stored costs a few comparisons.
"""

from __future__ import annotations

import bisect
import math
import threading

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

    def extend(self, steps: list, losses: list) -> None:
        """Append (step, loss) rows in order, keeping exactly the rows `append` would, at numpy's pace: a turbo frame
        brings thousands, and one append each cost the UI thread ~1 ms a frame."""
        if self.columns != 1:
            raise ValueError(f"extend takes (step, loss) rows; this history has {self.columns} values a row")
        count = len(losses)
        if len(steps) != count:
            raise ValueError(f"{len(steps)} steps but {count} losses")
        if not count:
            return
        values = np.asarray(losses, dtype=float)
        self._latest = (steps[-1], losses[-1])
        if not np.isnan(values).all():  # NaN is never the lowest or the highest (a comparison with it is false)
            low, high = int(np.nanargmin(values)), int(np.nanargmax(values))  # the first of equals, as `<` keeps it
            if values[low] < self._low:
                self._low, self._lowest = losses[low], (steps[low], losses[low])
            if values[high] > self._high:
                self._high, self._highest = losses[high], (steps[high], losses[high])
        first = self._appended
        self._appended = first + count
        at = -first % self.stride  # the batch's first row on the stride
        while at < count:
            room = len(self._store) - self._stored
            if not room:
                self._halve()
                at += -(first + at) % self.stride  # on the doubled stride, or on to the next row that is
                continue
            picked = np.arange(at, count, self.stride)[:room]
            end = self._stored + len(picked)
            self._store[self._stored : end, 0] = np.asarray(steps, dtype=float)[picked]
            self._store[self._stored : end, 1] = values[picked]
            self._stored = end
            at = int(picked[-1]) + self.stride

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


# ── snapshots for rewinding (issue 22) ─────────────────────────────────────────
# A run's snapshots in bounded memory, for rewinding: every step of a short run, an even spread of a long one.
#
# The first `head` snapshots are always kept (where a zig-zag or a blow-up shows, step by step); after them
# every `stride`-th snapshot is kept, and when the store is full every other kept one is dropped and the
# stride doubles (as `history.History` does for the loss curve). The newest snapshot is always kept too. So a
# 10⁷-step turbo run holds at most `head + capacity + 1` snapshots, and rewinding lands on kept steps only:
# `stride` says how far apart they are.
#
# Snapshots are appended by the thread that steps and read by the one that draws: a lock keeps them apart.
# `truncate` starts a new branch: appends still coming from the old branch's generator (a worker that was
# cancelled mid-step) are refused, by generation.
#
# A snapshot's place on the stride is counted by step, from the first one after the head, as if every step had
# been appended: so the stepping thread appends only the steps at or past `wanted` (one comparison a step, where
# the lock and the checks cost 7% of a step at 100 points) and the newest one once a frame.
HEAD = 32
"""The first steps kept one by one, however long the run."""
CAPACITY = 2048
"""Snapshots kept after the head (an MLP's snapshot is a few KB: a few MB in all)."""


class Tape:
    """Snapshots (anything with a `.step`) of one run, bounded; `steps()` and `at()` read them in step order."""

    def __init__(self, capacity: int = CAPACITY, head: int = HEAD) -> None:
        if capacity < 2:
            raise ValueError(f"capacity must be at least 2 (got {capacity})")
        self.capacity, self.head = capacity, head
        self._lock = threading.Lock()
        self._head: list = []
        self._store: list = []
        self._latest = None
        self._anchor: int | None = None
        """The step whose index on the stride is 0 (None until the first step after the head, or after a truncate)."""
        self._resume_index = 0
        """The index the first step after the head (or after a truncate) takes on the stride."""
        self.wanted = 0
        """The first step an append would keep more than as the newest: a step before it need not be appended."""
        self.stride = 1
        """Steps between two kept snapshots after the head: 1 until the store first fills."""
        self.generation = 0
        self._burst: list = []
        self._burst_until = -1
        """`keep_from`: every step up to this one is kept, whatever the stride (a question watches them)."""

    def add(self, snapshot, generation: int | None = None) -> None:
        """Keep `snapshot` if it falls on the stride (and is of this branch's generation); it is the newest now."""
        with self._lock:
            if generation is not None and generation != self.generation:
                return  # from a branch that was cut off
            step = snapshot.step
            if self._latest is not None and step <= self._latest.step:
                return  # a step already kept (the first snapshot of a branch is the step it goes on from)
            self._latest = snapshot
            if step <= self._burst_until:
                self._burst.append(snapshot)
            if len(self._head) < self.head:
                self._head.append(snapshot)
            else:
                if self._anchor is None:
                    self._anchor = step - self._resume_index
                index = step - self._anchor
                if not index % self.stride:
                    if len(self._store) == self.capacity:
                        self._store = self._store[::2]
                        self.stride *= 2
                    if not index % self.stride:
                        self._store.append(snapshot)
            self._want_next()

    def _want_next(self) -> None:
        after = self._latest.step + 1 if self._latest is not None else 0
        if len(self._head) < self.head or after <= self._burst_until or self._anchor is None:
            self.wanted = after
        else:
            self.wanted = after + (self._anchor - after) % self.stride  # the next step on the stride

    def snapshots(self) -> list:
        """Every kept snapshot, in step order (the newest last)."""
        with self._lock:
            kept = self._head + self._store
            if self._burst:
                kept = sorted({s.step: s for s in kept + self._burst}.values(), key=lambda s: s.step)
            if self._latest is not None and (not kept or kept[-1] is not self._latest):
                kept.append(self._latest)
            return kept

    def keep_from(self, step: int) -> None:
        """Keep each of the `head` steps after `step` too, however thinned the store is (a prediction reads them one by one)."""
        with self._lock:
            self._burst = [s for s in self._burst if s.step <= step]
            self._burst_until = step + self.head
            self._want_next()

    def steps(self) -> list[int]:
        return [snapshot.step for snapshot in self.snapshots()]

    @property
    def latest(self):
        return self._latest

    def at(self, step: int):
        """The kept snapshot at `step`, or at the nearest kept step before it (the first one if none is)."""
        kept = self.snapshots()
        if not kept:
            return None
        index = bisect.bisect_right([s.step for s in kept], step) - 1
        return kept[max(index, 0)]

    def move(self, step: int, by: int):
        """The kept snapshot `by` kept steps from `step` (negative: back), clamped to the first and the newest."""
        kept = self.snapshots()
        if not kept:
            return None
        steps = [s.step for s in kept]
        index = bisect.bisect_left(steps, step)
        if by > 0 and (index == len(steps) or steps[index] != step):
            by -= 1  # `step` is not kept: the kept one after it (at `index`) is one forward
        return kept[min(max(index + by, 0), len(kept) - 1)]

    def truncate(self, step: int) -> None:
        """Drop every snapshot after `step`: a new branch goes on from there (old appends are refused)."""
        with self._lock:
            self.generation += 1
            self._head = [s for s in self._head if s.step <= step]
            self._store = [s for s in self._store if s.step <= step]
            self._burst = [s for s in self._burst if s.step <= step]
            kept = self._head + self._store
            self._latest = kept[-1] if kept else None
            # later snapshots fall on the stride counted from the head, as if this branch had been there all along
            self._anchor, self._resume_index = None, len(self._store) * self.stride
            self._want_next()

    @property
    def decimated(self) -> bool:
        """Whether some steps are no longer kept (a long run): rewinding lands on every `stride`-th step."""
        return self.stride > 1
