"""Making a run ready off the UI thread: the points first (numpy), then the problem (torch, imported here, late)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from textual.message import Message

from engine.data.memory_guard import check_fits
from engine.settings.errors import DataError, SettingError
from engine.settings.run_settings import Settings
from tui.served import check_readable, data_error_text

SHOWN_WAIT_S = 1.0
"""How long torch's import waits for the points to be on screen: importing it holds the GIL for ~1 s."""


class DataReady(Message):
    """The points exist: the screen can draw them while torch is still loading."""

    def __init__(self, run_id: int, dataset) -> None:
        super().__init__()
        self.run_id = run_id
        self.dataset = dataset


class DataWaiting(DataReady):
    """The data is a stream (a FIFO, a pipe) that has said nothing yet: the screen says what it waits for.

    News of the data, so the screen's handler for DataReady routes it too (Textual dispatches along the MRO);
    tui.screens.run_driver tells the two apart by type. `dataset` is None: there is none yet.
    """

    def __init__(self, run_id: int, words: str) -> None:
        super().__init__(run_id, None)
        self.words = words


class ProblemReady(Message):
    """The run can start: its problem, the least-squares optimum, the generator and its first snapshot."""

    def __init__(self, run_id: int, problem, optimum, generator, first, analysis=None) -> None:
        super().__init__()
        self.run_id = run_id
        self.problem = problem
        self.optimum = optimum
        self.generator = generator
        self.first = first
        self.analysis = analysis
        """(LiveAnalysis, the Analysis at the start), or None: see analyse_start."""


class PrepareFailed(Message):
    """The run can't be made: `setting` names the field to blame (None when it is no one field)."""

    def __init__(self, run_id: int, setting: str | None, message: str) -> None:
        super().__init__()
        self.run_id = run_id
        self.setting = setting
        self.message = message


def prepare(
    settings: Settings,
    dataset,
    run_id: int,
    post: Callable[[Message], None],
    cancelled: Callable[[], bool],
    shown: threading.Event | None = None,
    start=None,
) -> None:
    """Load the data, build the problem and pull the start; post what happened. Runs in a thread.

    `start`: θ to start from (as fitted: a marble dropped on the landscape) instead of the seeded start.

    `shown` is set by the screen once the points are drawn: torch's import waits for it, because the
    import holds the GIL for most of a second and would otherwise delay the first screen by as much.
    """
    try:
        if dataset is None:
            from engine.data.synthetic import load_dataset

            check_fits(settings)  # before the points exist (a CSV file: from its size): refusing must not need the memory it refuses
            check_readable(settings.data)  # served to a browser: only the host's data folder
            check_not_keyboard(settings.data)
            # a FIFO with no writer yet: waited for in steps that look at `cancelled` (q quits at once), and said
            dataset = load_dataset(settings, cancelled=cancelled, waiting=lambda words: post(DataWaiting(run_id, words)))
        # Whether loaded here or given (a CSV the command line read, the points kept by r), the screen hears of the
        # data one way: a CSV's facts and axis names reach it however the file was given (issue 25).
        post(DataReady(run_id, dataset))
        if shown is not None:
            shown.wait(SHOWN_WAIT_S)
        if cancelled():
            return
        from engine.descent.descend import descend
        from engine.descent.problem import make_problem
        from engine.maths.optimum import least_squares

        problem = make_problem(settings, dataset)
        optimum = least_squares(problem)
        if start is None:
            generator = descend(problem)
        else:
            from engine.descent.steer import go_on

            _, generator = go_on(problem, settings, start, 0)
        first = next(generator)
        first.host  # read it here, not on the UI thread  # noqa: B018
        post(ProblemReady(run_id, problem, optimum, generator, first, analyse_start(problem, first)))
    except SettingError as error:
        post(PrepareFailed(run_id, error.setting, error.message))
    except DataError as error:
        post(PrepareFailed(run_id, "data", data_error_text(error, settings)))
    except (MemoryError, RuntimeError, ValueError, OSError) as error:
        # torch reports an allocation it can't make as a RuntimeError; say so in words, not a traceback
        post(PrepareFailed(run_id, None, f"the run can't be built: {type(error).__name__}: {error}"))


def check_not_keyboard(path: str | None) -> None:
    """DataError for `-` or /dev/stdin typed in the app: its standard input is the keyboard the app reads its keys from."""
    from engine.data.stream_read import descriptor_of

    if path is not None and descriptor_of(path) == 0:
        raise DataError(f"{path}: in the app, standard input is the keyboard: give a file's name")


ANALYSIS_EVERY = 10
"""Frames between two estimates of λmax for a model not linear in θ (~0.5 s at 20 fps; an estimate is ~20 Hessian-vector products)."""


def analyse_start(problem, first):
    """(LiveAnalysis, the analysis at the start), or None when it can't be had. Runs in the prepare thread.

    Before the run starts nothing else touches the model, so estimating here is safe for any model.
    """
    from engine.maths.curvature import LiveAnalysis

    live = LiveAnalysis(problem, every=ANALYSIS_EVERY)
    try:
        return live, live.at(first)
    except (RuntimeError, ValueError):
        return None  # an estimate that fails must not stop the run from being made
