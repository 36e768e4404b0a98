"""`descent tour --autoplay SECONDS [--loop]`: the tour plays itself, for a lecture screen or a booth.

Each stop stays at least SECONDS from when its text (with the run's numbers) is on screen, and a stop that
runs (the loop, the stall, …, the race) stays until its run has ended too, so a stop's last numbers are read
before the next one. Any key or click hands the tour back to the person (the key then does what it always
does). With `loop`, the last stop is followed by the first, and a tour left alone for IDLE_S after someone
took it over starts playing again from stop 1.

A collaborator of the app: it only reads the tour (tui/screens/tour.py) and calls its `go`; the stops are unchanged.
"""

from __future__ import annotations

import math
import time

from engine.words.tour import STOPS, WAITING

TICK_S = 0.1
"""How often the time and the run are looked at: a stop's end is late by at most this."""
IDLE_S = 60.0
"""With --loop: a booth left alone this long after a key starts its tour again."""
FINISHED = ("done", "diverged", "error")


def state_name(screen) -> str:
    """A screen's run state as a word (`done`), whether it is kept as a string or an Enum member."""
    state = getattr(screen, "state", None)
    if state is None or isinstance(state, str):
        return state or ""
    value = getattr(state, "value", None)
    return (value if isinstance(value, str) else getattr(state, "name", str(state))).lower()


class Autoplay:
    """Moves `screen`'s tour on by itself; `stop()` hands it back (the app calls it on any key)."""

    def __init__(self, app, screen, seconds: float, loop: bool = False, idle_s: float = IDLE_S, clock=time.monotonic) -> None:
        self.app, self.screen, self.seconds, self.loop, self.idle_s, self.clock = app, screen, seconds, loop, idle_s, clock
        self.playing = False
        self.index = -1
        self.since = clock()
        """When the current stop began (playing), or when the person last pressed a key (not playing)."""
        self.timer = app.set_interval(TICK_S, self.tick)

    @property
    def tour(self):
        return self.screen.teaching.tour

    def play(self) -> None:
        self.playing, self.since = True, self.clock()
        self.index = self.tour.index if self.tour is not None else -1

    def stop(self) -> None:
        """A key or a click: the person has the tour now."""
        if self.playing:
            self.app.notify("autoplay stopped: the tour is yours (→ next stop, Esc leaves)", title="Tour")
            if self.tour is not None:
                self.say(self.tour, None)
        self.playing, self.since = False, self.clock()

    @staticmethod
    def say(tour, note: str | None) -> None:
        """`note` at the end of the tour panel's head (None: the keys, as without autoplay).

        The panel's own timer redraws it (within tour_panel.FOLLOW_S): a panel being mounted or removed draws nothing."""
        for panel in [tour.panel] + ([tour.race.tour_panel] if tour.race is not None else []):
            panel.head_note = note

    def tick(self) -> None:
        now = self.clock()
        if not self.playing:
            if self.loop and now - self.since >= self.idle_s and self.app.screen in (self.screen, getattr(self.tour, "race", None)):
                self.restart()
            return
        tour = self.tour
        if tour is None:  # left by a key, which stopped the play first; or the app is closing
            self.playing = False
            return
        if tour.index != self.index or not self.text_shown(tour):
            self.index, self.since = tour.index, now  # a stop's time counts from when its numbers are on screen
        left = self.seconds - (now - self.since)
        asking = self.question(tour)
        if asking is not None:  # predict, then run: the room reads the question for SECONDS, then the run plays
            if left <= 0:
                asking.answer(None)  # skipped, as Escape does: the run plays, its verdict comes when it ends
                self.since = now
            else:
                self.say(tour, f"autoplay: question for {math.ceil(left)} s; keys take over")
            return
        if left > 0 or not self.run_over(tour):
            # short: at 80 columns it shares the head's line with "stop 2/9" and the stop's title
            when = f"in {math.ceil(left)} s" if left > 0 else "after the run"
            self.say(tour, f"autoplay: next {when}; keys take over")
            return
        if tour.index < len(STOPS) - 1:
            tour.go(tour.index + 1)
        elif self.loop:
            tour.go(0)
        else:
            self.playing = False  # the last stop stays on screen
            self.say(tour, None)
            return
        self.index, self.since = tour.index, now

    def restart(self) -> None:
        """--loop after IDLE_S alone: the tour from stop 1 again."""
        if self.tour is None:
            self.screen.teaching.start_tour(0)
        else:
            self.tour.go(0)
        self.play()

    def question(self, tour):
        """The stop's open question (issue 22's predict-then-run, `screen.learner.predicting`), or None.

        Read by duck typing: a screen without questions has no `learner`, and nothing here imports them."""
        predicting = getattr(getattr(self.screen, "learner", None), "predicting", None)
        return predicting if getattr(predicting, "phase", None) == "asking" else None

    @staticmethod
    def text_shown(tour) -> bool:
        """Whether the stop's panel shows its own text with the run's numbers (not "being prepared")."""
        panel = tour.race.tour_panel if tour.race is not None else tour.panel
        return panel.shown is not None and panel.shown[0] == tour.index and panel.shown[1] != WAITING

    def run_over(self, tour) -> bool:
        """Whether the stop's run (or race) has ended; a stop without a run has nothing to wait for."""
        if not tour.stop.run:
            return True
        screen = tour.race if tour.race is not None else self.screen
        return state_name(screen) in FINISHED


def start_autoplay(app, seconds: float, loop: bool) -> Autoplay | None:
    """Play the tour on `app`'s main screen; the app keeps the Autoplay as `app.autoplayer` to stop it on a key."""
    screen = app.screen
    if getattr(getattr(screen, "teaching", None), "tour", None) is None:
        return None
    app.autoplayer = Autoplay(app, screen, seconds, loop)
    app.autoplayer.play()
    app.notify(f"the tour plays itself: a stop every {seconds:g} s (and to its run's end); any key takes over", title="Tour")
    return app.autoplayer
