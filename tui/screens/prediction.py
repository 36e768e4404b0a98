"""Predict, then run (issue 22): questions before a run, the learner's answer beside what the run did after.

A collaborator of MainScreen, like `Teaching`: the screen owns the key (P) and calls it; the tour calls
`at_stop` for each stop. The questions and their computed answers are engine/words/predictions.py; what
the run did is read from the rewind tape (tui/screens/rewind.py) by engine/words/predictions.py.
It follows the screen on a timer: it asks once the run is made (its Hessian answers the question) and
judges once the run has ended.
"""

from __future__ import annotations

from textual.binding import Binding

from tui.widgets.prediction_panel import PredictionPanel

PREDICT_BINDINGS = [
    Binding(
        "P",
        "predict",
        "Guess",
        tooltip="predict before the run: lr against its limit, how much error is left at the end (1–4 answer, Esc skips)",
        id="predict",
    ),
]
POLL_S = 0.2
"""How often the panel looks at the run: to ask once it is made, to judge once it has ended."""
HERE = ("regime", "left")
"""What P asks outside the tour: lr against its limit, then (where it converges) where the run will stand."""


class Predicting:
    """The questions of one run: asked, answered (or skipped), then judged against the run; the tour's score."""

    def __init__(self, screen, driver) -> None:
        self.screen = screen
        self.driver = driver
        """The screen's RunDriver: the questions are asked of a run made or paused here."""
        self.panel: PredictionPanel | None = None
        self.kinds: list[str] = []
        self.asked: list[list] = []
        """[question, chosen index or None, verdict or None] for each question asked of this run."""
        self.phase = "idle"
        """idle, waiting (for the run to be made), asking, running (until it ends), judged."""
        self.run_after = False
        self.tape = None
        """The run's rewind tape when the questions were asked: a new run (a new tape) voids them."""
        self.head = "predict"
        self.score: dict[str, bool | None] = {}
        """Tour stop id → right (True), wrong (False) or skipped (None): the session's score."""
        self.stop_id: str | None = None
        self.timer = None
        self.settings = None
        """The settings the questions were asked for."""
        self.start = None
        """The snapshot the questions are about the steps after (the run's start, or where it was paused or rewound)."""

    @property
    def rewind(self):
        """The run's tape and rewinding (tui/screens/rewind.py): what the run did is read from it."""
        return self.screen.learner.rewind

    # ── asking ───────────────────────────────────────────────────────────────
    def ask_here(self) -> None:
        """P: the questions that fit the current settings, before space runs them."""
        screen = self.screen
        if screen.life.over:
            self.driver.prepare_run(screen.settings, screen.dataset)  # the questions are about a run still to come
        elif screen.life.running:
            self.driver.pause()
        self.ask(list(HERE), run=False, head="predict")

    def at_stop(self, stop, index: int, count: int) -> None:
        """The tour shows a stop: its question (the run waits for the answer), or, at the end, the score."""
        from engine.words.predictions import TOUR_QUESTIONS

        self.close()
        if stop.id in TOUR_QUESTIONS:
            self.stop_id = stop.id
            self.ask([TOUR_QUESTIONS[stop.id]], run=stop.run, head=f"stop {index + 1}/{count} · predict first")
        elif index == count - 1 and self.score:
            self._mount()
            self.panel.show_text("your predictions", self.score_text())

    def ask(self, kinds: list[str], run: bool, head: str) -> None:
        self.kinds, self.asked, self.run_after, self.head = list(kinds), [], run, head
        self.phase = "waiting"
        self._mount()
        self.panel.show_text(head, "the run is being made: the question comes in a moment.")
        self.tape = None
        if self.timer is None:
            self.timer = self.panel.set_interval(POLL_S, self.follow)
        self.follow()

    def _mount(self) -> None:
        screen = self.screen
        if self.panel is None or not self.panel.is_attached:
            self.panel = PredictionPanel(self, id="prediction")
            tour = screen.query("#tour")
            screen.mount(self.panel, before=tour.first() if tour else screen.query_one("#status"))
            self.timer = None
        self.panel.display = True

    def follow(self) -> None:
        """On the timer: ask once the run is made; judge once it has ended."""
        screen = self.screen
        made = screen.analysis is not None and screen.snapshot is not None and screen.life.steppable and not screen.life.running
        if self.phase == "waiting" and made:
            self.tape, self.settings = self.rewind.tape, screen.settings
            self._next_question()
        elif self.phase in ("running", "judged") and (self.rewind.tape is not self.tape or screen.settings != self.settings):
            self.close()  # another run began (r, g), or a setting changed: these questions were about the old one
        elif self.phase == "running":
            if screen.life.over and not self.rewind.rewound:
                self._judge()

    def _next_question(self) -> None:
        from engine.words.predictions import ask, prompt

        screen = self.screen
        why_not = None
        while self.kinds:
            kind = self.kinds.pop(0)
            names = tuple(screen.problem.names) if screen.problem is not None else ()
            question = ask(kind, screen.settings, screen.analysis, screen.snapshot.step, self._raw_kappa(kind), names)
            if isinstance(question, str):
                why_not = why_not or question
                continue
            self.asked.append([question, None, None])
            self.start = screen.snapshot
            self.rewind.tape.keep_from(self.start.step)  # the steps after it one by one: a zig-zag shows there
            self.phase = "asking"
            self.panel.show_question(self.head, prompt(question))
            self._hide_tour(True)
            self.panel.focus()
            return
        if not self.asked:
            self.phase = "idle"
            self.panel.show_text(self.head, f"no question fits here: {why_not}.")
            self._play()
            return
        self._play()

    def _raw_kappa(self, kind: str) -> float | None:
        """κ of these settings without standardizing: what the standardizing question compares with."""
        screen = self.screen
        if kind != "kappa" or screen.problem is None:
            return None
        from engine.descent.problem import make_problem
        from engine.maths.curvature import analyse

        raw = analyse(make_problem(screen.settings.with_changes(standardize=False), screen.dataset))
        return raw.condition_number

    def answer(self, index: int | None) -> None:
        """1–4 (an index) or a skip (None): kept; then the next question, or the run."""
        if self.phase != "asking" or not self.asked:
            return
        question = self.asked[-1][0]
        if index is not None and index >= len(question.options):
            return  # no such answer: the digit does nothing
        self.asked[-1][1] = index
        if self.stop_id is not None:
            self.score[self.stop_id] = None if index is None else index == question.answer
        self._next_question()

    def _play(self) -> None:
        """The questions are answered: the run plays (in the tour, or outside it)."""
        screen = self.screen
        self._hide_tour(False)
        if self.asked:
            said = "; ".join("skipped" if c is None else f"you said '{q.options[c]}'" for q, c, _ in self.asked)
            self.head = self.head.replace("predict first", "your prediction")
            self.panel.show_text(self.head, f"{said}. The run plays: the verdict comes when it ends.")
            self.phase = "running"
        if self.run_after or self.asked:
            self.driver.start_run()
        tour = screen.query("#tour")
        if tour:
            tour.first().focus()
        else:
            screen.focus_plot()

    # ── judging ──────────────────────────────────────────────────────────────
    def _judge(self) -> None:
        from engine.words.predictions import observe, verdict

        screen = self.screen
        lines = []
        for entry in self.asked:
            question, chosen, _ = entry
            after = [s for s in self.tape.snapshots() if s.step > self.start.step]
            observed = observe(question, [self.start, *after], screen.analysis, screen.optimum, screen.problem)
            if observed is None:
                continue
            entry[2] = verdict(question, chosen, observed)
            lines.append(entry[2])
            if self.stop_id is not None and chosen is not None:
                self.score[self.stop_id] = chosen == observed.index
        self.phase = "judged"
        self.panel.show_text(self.head, " ".join(lines) or "the run ended before it could tell.")

    def score_text(self) -> str:
        asked = len(self.score)
        right = sum(1 for value in self.score.values() if value)
        skipped = sum(1 for value in self.score.values() if value is None)
        tail = f" ({skipped} skipped)" if skipped else ""
        return f"you predicted {right} of {asked} right{tail}."

    # ── closing ──────────────────────────────────────────────────────────────
    def _hide_tour(self, hidden: bool) -> None:
        """While a question is up the tour's text stays hidden: it would give the answer away."""
        for panel in self.screen.query("#tour"):
            panel.display = not hidden

    def close(self) -> None:
        self.phase, self.kinds, self.asked, self.stop_id = "idle", [], [], None
        self._hide_tour(False)
        if self.panel is not None:
            self.panel.display = False

    def left_tour(self) -> None:
        """Out of the tour: its question goes; the score, if any, is said once."""
        if self.score:
            self.screen.notify(self.score_text(), title="Your predictions on the tour", timeout=6)
        self.close()
        self.score = {}

    def dismiss_key(self) -> None:
        """Escape on a panel with no question up: it goes, and the plot takes the keys."""
        if self.phase == "running":
            return
        self.close()
        self.screen.focus_plot()
