"""`--lr best` / `--momentum best` on the command line: worked out once the data exist, or one line naming the option."""

from __future__ import annotations

from engine.settings.errors import DataError, SettingError
from engine.settings.run_settings import option_name
from tui.cli.options import fail


def checked(make, *args):
    """`make(*args)`, a bad setting or bad data one line on stderr and exit 2 (as tui.cli.run's, which imports this)."""
    try:
        return make(*args)
    except SettingError as error:
        fail(f"{option_name(error.setting)}: {error.message}")
    except DataError as error:
        fail(str(error))


def best_problem(problem, best: frozenset[str]):
    """(the problem with its best lr/β in its settings, the sentence saying what was chosen and why); exit 2 where impossible."""
    from engine.maths.best_lr import resolve_best
    from engine.maths.valley import eigenbasis
    from engine.words.best_words import best_words

    problem, choice = checked(resolve_best, problem, "lr" in best, "momentum" in best)
    values = eigenbasis(problem).values
    return problem, best_words(choice, float(values[-1]), float(values[0]))


def best_or_fail(settings, best: frozenset[str], dataset=None):
    """The app's settings with `best` worked out before the screen opens (torch loads here: a second, once)."""
    from engine.descent.problem import make_problem

    problem = checked(make_problem, settings, dataset) if dataset is not None else checked(make_problem, settings)
    problem, _ = best_problem(problem, best)
    return problem.settings
