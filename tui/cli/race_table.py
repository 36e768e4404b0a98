"""`descent run --race`'s text: what was raced, and the racers as a table sorted by final loss."""

from __future__ import annotations

import math

COLUMNS = ("", "optimizer", "lr", "final loss", "excess", "steps", "steps/s")
"""The rank, then each racer's figures; excess is the final loss above the least-squares minimum."""


def race_header(settings, runs: list[dict], optimum) -> list[str]:
    """What raced on what: the shared data and steps, and the least-squares minimum when there is one."""
    first = runs[0]
    lines = [f"race of {len(runs)} on {first['points']} points ({first['device']}), up to {settings.steps:,} steps each, from one start"]
    if optimum is not None:
        best = ", ".join(f"{name} = {value:.6g}" for name, value in optimum.params.items())
        lines.append(f"least squares: loss {optimum.loss:.6g}    {best}")
    return lines


def race_table(runs: list[dict], order: list[str]) -> list[str]:
    """One row per racer, best first (`order`: the labels ranked); columns aligned, numbers right-aligned."""
    by_label = {run["label"]: run for run in runs}
    rows = [COLUMNS] + [_row(rank, by_label[label]) for rank, label in enumerate(order, start=1)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    left = {1}  # the optimizer's name reads left to right; figures line up on the right
    return [
        "  ".join(_aligned(cell, width, i in left) for i, (cell, width) in enumerate(zip(row, widths, strict=True))).rstrip()
        for row in rows
    ]


def _aligned(cell: str, width: int, left: bool) -> str:
    return cell.ljust(width) if left else cell.rjust(width)


def _row(rank: int, run: dict) -> tuple[str, ...]:
    if run["diverged"]:
        loss, gap = f"diverged at {run['diverged_at']:,}", "—"
    else:
        loss, gap = _number(run["loss"]), _number(run.get("excess"), "—", ".3g")
    rate = run["steps_per_second"]
    return (
        f"{rank}.",
        run["label"] if "/λmax" in run["label"] else run["optimizer"],  # a ladder's rung is named by its multiple
        f"{run['lr']:g}",
        loss,
        gap,
        f"{run['steps']:,}",
        "—" if rate is None else f"{rate:,.0f}",
    )


def _number(value: float | None, missing: str = "inf/nan", form: str = ".6g") -> str:
    return missing if value is None or not math.isfinite(value) else format(value, form)
