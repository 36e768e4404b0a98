"""The words and numbers of the Analysis panel: curvature, the learning rates it allows, warnings and explanations.

Plain functions over engine results (no widgets), so the panel, the status line and the tests share them.
"""

from __future__ import annotations

import math

from rich.text import Text

from engine.words.numbers import significant

BEYOND_DOUBLE = 1e15  # engine.words.explain.BEYOND_DOUBLE, not imported: engine.words.explain loads torch, and the app draws before it has


def _g(value: float | None) -> str:
    if value is None:
        return "–"
    if math.isinf(value):
        return "∞"
    return significant(value, 4)


def _kappa(value: float | None) -> str:
    if value is None:
        return "–"
    if not math.isinf(value) and value > BEYOND_DOUBLE:
        return "> 1e15"  # λmin is below float64's rounding of λmax: a bound, not a figure (engine.words.explain)
    return "∞" if math.isinf(value) else f"{value:,.0f}"


def steps_phrase(analysis, lr: float, optimizer: str = "manual", momentum: float = 0.9) -> str:
    """What the eigenvalues predict at this lr for the rule in use: steps to shrink the error 1000× (engine.maths.optimizer_rules)."""
    from engine.maths.optimizer_rules import lr_limit, steps_at, steps_words

    if analysis.lambda_min is None:
        return ""
    steps = steps_at(lr, (analysis.lambda_min, analysis.lambda_max), optimizer, momentum)
    if steps is None:
        return f"lr {lr:g}: {optimizer} sizes its own steps (each bounded by about lr); no count from λ"
    if math.isinf(steps):
        limit = lr_limit(analysis.lambda_max, optimizer, momentum)
        return f"lr {lr:g}: never shrinks the error (lr ≥ {optimizer}'s limit {limit:.3g})"
    return f"lr {lr:g}: {steps_words(steps).replace('about ', '~')} to shrink the error 1000×"


WHOLE_TEXT_KEY = "x"
"""The key that opens the whole explanation, scrollable, at every size."""


def headline(text: str, width: int | None = None) -> str:
    """An explanation's first sentence, as many of its clauses (to a colon) as fit in `width`, and the key for all of it."""
    hint = f" ({WHOLE_TEXT_KEY}: why)"
    clauses = text.split(". ", 1)[0].rstrip(".").split(": ")
    first = clauses[0]
    for clause in clauses[1:]:
        if width is None or len(first) + 2 + len(clause) + len(hint) > width:
            break
        first += ": " + clause
    if width is not None and len(first) + len(hint) > width:
        first = first[: max(width - len(hint) - 1, 8)] + "…"
    return first + hint


def analysis_text(
    analysis,
    lr: float,
    warning: str | None = None,
    remark: str | None = None,
    compact: bool = False,
    width: int | None = None,
    lesson: str | None = None,
    rule: tuple[str, float] = ("manual", 0.9),
) -> Text:
    """The panel: λmax, λmin, κ, lr_max, lr_best, the predicted steps; then a warning or a remark, when there is one.

    With `width` (the panel in place) the warning or remark is a one-line headline; without it (the scrollable
    view) it is whole, followed by `lesson` (what lr_best can't do, where κ is large).
    """
    text = Text()
    if compact and analysis is not None and analysis.exact:
        text.append(f"λmax {_g(analysis.lambda_max)}  λmin {_g(analysis.lambda_min)}  κ {_kappa(analysis.condition_number)}", style="bold")
        text.append(f"\nlr_max {_g(analysis.lr_max)}  lr_best {_g(analysis.lr_best)}")
    elif compact and analysis is not None:
        text.append(f"λmax ≈ {_g(analysis.lambda_max)} (estimate)", style="bold")
        if analysis.lambda_max > 0:
            text.append(f"  lr_max ≈ {_g(analysis.lr_max)}")
    elif analysis is None:
        text.append("Analysis  ", style="bold")
        text.append("no curvature to show for this run yet", style="dim")
    elif analysis.exact:
        text.append("Analysis  ", style="bold")
        text.append("λmax ", style="dim")
        text.append(_g(analysis.lambda_max))
        text.append("  λmin ", style="dim")
        text.append(_g(analysis.lambda_min))
        text.append("  κ ", style="dim")
        text.append(_kappa(analysis.condition_number), style="bold")
        text.append("  (o: best lr)", style="dim")
        text.append("\nlr_max = 2/λmax ", style="dim")
        text.append(_g(analysis.lr_max), style="bold")
        text.append("  lr_best = 2/(λmax+λmin) ", style="dim")
        text.append(_g(analysis.lr_best), style="bold")
        text.append("\n" + steps_phrase(analysis, lr, *rule), style="dim")
    else:
        text.append("Analysis (estimate)  ", style="bold")
        text.append("λmax ≈ ", style="dim")
        text.append(_g(analysis.lambda_max))
        text.append(" by power iteration at θ now  ", style="dim")
        if analysis.lambda_max > 0:
            text.append("lr_max ≈ ", style="dim")
            text.append(_g(analysis.lr_max), style="bold")
        else:  # power iteration found the largest eigenvalue in size, and it is negative: no limit from curvature here
            text.append("no lr_max here: the loss curves downwards (not convex) where θ is", style="dim")
        text.append("\nλmin, κ and lr_best need a constant Hessian (MSE on a linear or poly model)", style="dim")
    if width is not None:
        if warning:
            text.append("\n⚠ " + headline(warning, width - 2), style="bold yellow")
        elif remark:
            text.append("\n" + headline(remark, width), style="italic")
        elif lesson:
            text.append("\n" + headline(lesson.split(": ", 1)[-1], width), style="dim")  # after "κ = …:"
        return text
    if warning:
        text.append("\n\n⚠ " + warning, style="bold yellow")
    if remark:
        text.append("\n\n" + remark, style="italic")
    if lesson:
        text.append("\n\n" + lesson)
    return text


def divergence_note(explanation: str) -> str:
    """The status line's note for a divergence: the state already says 'diverged', so the sentence starts at the step."""
    return explanation.removeprefix("Diverged ").removeprefix("Diverged")
