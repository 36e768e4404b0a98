"""How fast a run goes, and the one pacing loop the single run and the race both pull their steps through.

No Textual and no torch at import: the `descent` command reads the frame-rate constants from here, and the
app's first paint must not wait for torch.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

DEFAULT_FPS, MAX_FPS = 20, 60
"""The app's frame rate (`--fps`): the UI is fed at most this many frames a second, whatever the step rate."""
LITE_FPS = 10
"""`--lite`'s frame rate, for slow links."""
TURBO_FPS = 5
"""Turbo's frame rate, when the app's is higher: the UI holds the GIL while it draws a frame (a few ms of Python
at 100×30), and the stepping thread waits that long. Turbo is for speed: at 20 frames a second it made 0.7×
`descent run`'s steps/s; at 10, 0.86–0.87× and at 5, 0.87–0.90× here (benchmarks/tui_speed.py: two runs at 10, four
at 5, before the heap's young generation was widened: tui/workers/heap.py)."""
MIN_RATE, MAX_RATE = 0.25, 1e7
"""`-` goes down to a step every 4 s: the demo starts at 1.25/s, and slower than it must still be possible."""
DEMO_SECONDS, DEMO_STEPS = 8.0, 1000
"""The demo pace (the default) shows step s at DEMO_SECONDS·ln(s)/ln(DEMO_STEPS) seconds: step 1 at once, step 2
after 0.8 s, 3 at 1.3 s, 5 at 1.9 s, 10 at 2.7 s, 100 at 5.3 s, the tutorial's 1000 at 8 s. The line's first moves,
which at a fixed 150/s are over inside one frame, each stay on screen; the long crawl then goes by fast."""
RATE_WINDOW_S = 2.0
"""steps/s is measured over the last this-many seconds, a window that slides with every frame: steady but current.
(Counted afresh every 0.5 s instead, at 1M points, where steps come in bursts between frames, it read 4/s while
over 100 steps a second were taken.)"""


def demo_rate(step: int) -> float:
    """Steps per second of the demo pace after `step` ≥ 1 steps: 1/(time from step s to s+1) = 1/(c·ln((s+1)/s))."""
    return 1.0 / (DEMO_SECONDS / math.log(DEMO_STEPS) * math.log1p(1.0 / step))


class Pace:
    """How fast a run goes: the demo pace (slow first steps, faster and faster), a steps-per-second target, or
    turbo (no pacing at all). `+` and `-` leave the demo for a fixed rate twice or half its current one."""

    def __init__(self, fps: int = DEFAULT_FPS, rate: float | None = None) -> None:
        self.fps = fps
        self.demo = rate is None
        self.rate = demo_rate(1) if rate is None else rate
        """Steps per second: the fixed target, or the demo's at the step the run is at."""
        self.turbo = False

    def steps_per_frame_at(self, step: int) -> float:
        """Steps owed per frame when the run has taken `step` steps (the demo's rate grows with it)."""
        if self.demo:
            if step < 1:
                return 1.0  # the first step at once: the key pressed, the line moves
            self.rate = demo_rate(step)
            return self.rate / self.fps
        return self.rate / self.fps

    @property
    def steps_per_frame(self) -> float:
        return self.rate / self.fps

    @property
    def frame_s(self) -> float:
        """Seconds from one frame to the next: 1/fps, or 1/TURBO_FPS in turbo when that is longer."""
        return 1.0 / (min(self.fps, TURBO_FPS) if self.turbo else self.fps)

    def faster(self) -> None:
        self.turbo = self.demo = False
        self.rate = min(MAX_RATE, self.rate * 2)

    def slower(self) -> None:
        self.turbo = self.demo = False
        self.rate = max(MIN_RATE, self.rate / 2)

    def toggle_turbo(self) -> None:
        self.turbo = not self.turbo

    def describe(self) -> str:
        if self.turbo:
            return "turbo"
        return "pace demo" if self.demo else f"pace {self.rate:,.4g}/s"


class PacedLoop:
    """Steps at the pace's rate and at most one frame per 1/fps, for whichever runner owns it.

    While the UI is still drawing the last frame, steps accumulate into the next one instead of queueing
    messages (back-pressure). A runner says how to take one step and how to post what has gathered.
    """

    def __init__(self) -> None:
        self.stepping = threading.Lock()  # a cancelled worker may still be mid-step when the next one starts
        self._ui_ready = threading.Event()
        self._ui_ready.set()
        self.rate = 0.0
        """Steps per second, measured over the last `RATE_WINDOW_S` of stepping."""
        self.steps = 0
        """Steps taken through this loop, over every pull: where the demo pace is."""

    def frame_drawn(self) -> None:
        """The UI has drawn a frame: the loop may post the next."""
        self._ui_ready.set()

    def run(
        self,
        pace: Pace,
        take: Callable[[], int],
        post_frame: Callable[[bool, float], bool],
        cancelled: Callable[[], bool],
        finished: Callable[[], bool],
        limit: int | None = None,
    ) -> None:
        """Call `take(most, until)` until finished, cancelled or `limit` steps: it takes up to `most` steps (a race: one
        round) until the clock passes `until`, one at least unless there are none left, and returns how many.

        `post_frame(final, rate)` posts what has gathered since the last frame, and says whether it posted one.
        """
        with self.stepping:
            self._run(pace, take, post_frame, cancelled, finished, limit)

    def _run(self, pace, take, post_frame, cancelled, finished, limit) -> None:
        taken = 0
        rate = 0.0
        self.rate = rate
        window = deque([(time.perf_counter(), 0)])  # (time, steps taken by then), the last RATE_WINDOW_S of them
        owed = 0.0
        next_frame = window[0][0] + pace.frame_s
        stop = False
        while not stop:
            budget = float("inf") if pace.turbo or limit is not None else None  # `n`'s one step goes at once, at any pace
            if budget is None:
                owed += pace.steps_per_frame_at(self.steps + taken)
                budget = int(owed)
                owed -= budget
            while budget > 0:
                if cancelled() or finished():
                    stop = True
                    break
                most = budget if limit is None else min(budget, limit - taken)
                # a slice of the frame at most: a cancel (pause, a new setting) is seen within SLICE_S
                got = take(most, min(next_frame, time.perf_counter() + SLICE_S))
                taken += got
                budget -= got
                if finished() or (limit is not None and taken >= limit):
                    stop = True
                    break
                if time.perf_counter() >= next_frame:  # a slow step (many points) must not stall the screen
                    break
            now = time.perf_counter()
            window.append((now, taken))
            while len(window) > 2 and now - window[1][0] >= RATE_WINDOW_S:
                window.popleft()  # keep one sample at least RATE_WINDOW_S old: the window spans the whole stretch
            since, then = window[0]
            elapsed = now - since
            if elapsed >= RATE_WINDOW_S / 4 or (stop and not rate):
                rate = (taken - then) / elapsed if elapsed > 0 and taken > then else rate
                self.rate = rate
            if stop or self._ui_ready.is_set():
                self._ui_ready.clear()  # before posting: the UI may draw the frame before `post_frame` returns
                if not post_frame(stop, rate):
                    self._ui_ready.set()  # nothing to draw yet: the next frame may go at once
            if stop:
                self.steps += taken
                return
            if not pace.turbo and now < next_frame:
                time.sleep(next_frame - now)
            next_frame = max(next_frame + pace.frame_s, time.perf_counter())  # read each frame: `t` may come mid-run


SLICE_S = 0.005
"""The longest `take` steps before the loop looks at `cancelled` again (a step of a million points: one step)."""
FOLD_EVERY = 256
"""Pending losses read into numbers once this many gather for one racer: on a GPU, where a step keeps a tensor,
one transfer per 256 steps (the divergence check syncs every 64 already); a UI that draws nothing for a long while
then holds no tensor per step."""


class FrameLosses:
    """The losses gathered for the next frame, per racer (a single run is one racer).

    On a CPU the engine has read each step's loss already (its divergence check: `Snapshot.loss_read`), and a
    step keeps that number. On a GPU a step keeps its snapshot's tensor (reading one loss there is a device sync)
    and the tensors are read in one stack and one transfer, when the frame is posted or FOLD_EVERY gather.
    """

    def __init__(self, names) -> None:
        self.names = list(names)
        self._pending: dict[str, list] = {name: [] for name in self.names}
        self._folded: dict[str, list[float]] = {name: [] for name in self.names}

    def add(self, name: str, snapshot) -> None:
        pending = self._pending[name]
        read = snapshot.loss_read  # a number already (a CPU's run): holding a tensor per step cost ~0.6 µs a step
        pending.append(snapshot.values if read is None else read)
        if len(pending) >= FOLD_EVERY:
            self._folded[name] += _read(pending)
            pending.clear()

    def read(self) -> dict[str, list[float]]:
        """Every racer's losses since the last read, as numbers; the gathered ones are dropped."""
        groups = read_losses([self._folded[name] + self._pending[name] for name in self.names])
        self._pending = {name: [] for name in self.names}
        self._folded = {name: [] for name in self.names}
        return dict(zip(self.names, groups, strict=True))


def read_losses(groups: list[list]) -> list[list[float]]:
    """Each group's losses as numbers: floats pass through; tensors (a loss, or a snapshot's values, whose first
    number is the loss) are read in one transfer."""
    read = iter(_read([loss for group in groups for loss in group]))
    return [[next(read) for _ in group] for group in groups]


def _read(losses: list) -> list[float]:
    """`losses` as numbers, in order: floats as they are, the tensors' first numbers in one stack and one transfer."""
    tensors = [loss for loss in losses if not isinstance(loss, float)]
    if not tensors:
        return list(losses)
    import torch  # only a run gets here, long after torch is loaded

    try:
        stacked = torch.stack(tensors)  # every tensor alike: the common case, one call
        firsts = stacked if stacked.dim() == 1 else stacked[:, 0]
    except RuntimeError:  # racers whose snapshots differ in size
        firsts = torch.cat([t.reshape(-1)[:1] for t in tensors])
    read = iter(firsts.tolist())
    return [loss if isinstance(loss, float) else next(read) for loss in losses]
