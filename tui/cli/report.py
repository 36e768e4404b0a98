"""What a finished headless run reports: a JSON-ready dict and a short human summary."""

from __future__ import annotations

import math

from engine.descent.snapshot import Snapshot


def finite_or_none(value: float | None) -> float | None:
    """JSON has no NaN or infinity: a blown-up loss is reported as null."""
    return value if value is not None and math.isfinite(value) else None


def run_report(problem, first: Snapshot, last: Snapshot, optimum, seconds: float, analysis=None, cast=None) -> dict:
    """The `--json` object of one run; `analysis` (engine.maths.curvature.Analysis) is of the problem as optimized,
    `cast` (engine.data.precision.CastCheck) what float32 did to the data (None in float64)."""
    from dataclasses import asdict

    from engine.maths.optimum import excess_loss

    report = {
        "steps": last.step,
        "initial_loss": finite_or_none(first.loss),
        "loss": finite_or_none(last.loss),
        # Named scalars for models that have them (linear, poly); an MLP's 3H+1 numbers mean nothing
        # one by one, so it has null here and only `parameter_count`, which every model reports.
        "params": _named(last.params) if last.layout.names else None,
        "grads": _named(last.grads) if last.layout.names else None,
        "parameter_count": last.layout.size,
        "optimum": None if optimum is None else {"params": optimum.params, "loss": optimum.loss},
        # L − L* at the final parameters, in float64 on the data as given: ≥ 0, whatever the descent's dtype read.
        "excess_loss": finite_or_none(excess_loss(optimum, last.vector)),
        "dtype": problem.settings.dtype,
        "cast": None if cast is None else cast.as_dict(),
        "analysis": None if analysis is None else analysis.as_dict(),
        "diverged": last.status == "diverged",
        "diverged_at": last.diverged_at,
        "device": str(problem.device),
        "points": len(problem.train),
        "seconds": seconds,
        "steps_per_second": last.step / seconds if seconds > 0 else None,
        "settings": asdict(problem.settings),  # as run: a `best` lr or momentum is the number it was worked out to be
    }
    if last.test_loss is not None:
        report["test_loss"] = finite_or_none(last.test_loss)
        report["test_points"] = len(problem.test)
    return report


def _named(values: dict[str, float]) -> dict[str, float | None]:
    return {name: finite_or_none(value) for name, value in values.items()}


def summary_lines(report: dict, settings, analysis=None, notes=(), standardized_analysis=None) -> list[str]:
    """A few lines a person reads after `descent run`; `notes` are explanations added before the timing.

    `standardized_analysis`: the curvature with standardized x, which a divergence's advice compares against."""
    if report["params"] is None:
        params = f"{report['parameter_count']:,} parameters"
    else:
        params = ", ".join(f"{name} = {_number(value)}" for name, value in report["params"].items())
    lines = [
        f"{report['steps']} steps of {settings.optimizer} at lr {settings.lr:g}{_decay(settings)} on {report['points']} points "
        f"({report['device']}, {report.get('dtype', settings.dtype)})",
        f"loss {_number(report['initial_loss'])} → {_number(report['loss'])}    {params}",
    ]
    optimum = report["optimum"]
    if optimum is not None:
        best = ", ".join(f"{name} = {_number(value)}" for name, value in optimum["params"].items())
        lines.append(f"least squares: loss {_number(optimum['loss'])}    {best}")
        if report.get("excess_loss") is not None:
            lines.append(f"excess loss L − L* = {report['excess_loss']:.6g} (in float64, at the final parameters)")
    if "test_loss" in report:
        lines.append(f"held-out loss {_number(report['test_loss'])} on {report['test_points']} points")
    if report.get("interrupted"):
        by = report.get("signal", "SIGINT")
        by = "ctrl+c" if by == "SIGINT" else by
        lines.append(f"INTERRUPTED at step {report['steps']} of {settings.steps} ({by}); the figures above are from that step.")
    if analysis is not None:
        lines.append(_curvature_line(analysis) + _rule_limit(analysis, settings))
    if report["diverged"]:
        from engine.words.explain import explain_divergence

        why = explain_divergence(
            report["diverged_at"],
            settings.lr,
            analysis,
            settings.optimizer,
            settings.standardize,
            momentum=settings.momentum,
            standardized_analysis=standardized_analysis,
        )
        lines.append(why.replace("Diverged", "DIVERGED", 1))
    lines.extend(notes)
    rate = report["steps_per_second"]
    warmup = report.get("warmup_seconds") or 0.0
    # steps/s leaves the first update out (tui/cli/run.py); its one-off set-up is said when it is worth a word
    warm = f" (the first update, {warmup:.3f} s with torch's one-off set-up, left out)" if warmup >= 0.01 else ""
    lines.append(f"{report['seconds']:.3f} s descending" + (f", {rate:,.0f} steps/s{warm}" if rate else ""))
    return lines


def _curvature_line(analysis) -> str:
    if not analysis.exact:
        limit = "" if analysis.lr_max is None or not math.isfinite(analysis.lr_max) else f", lr_max ≈ 2/λmax = {analysis.lr_max:.3g}"
        return f"curvature at the start (estimated): λmax ≈ {analysis.lambda_max:.4g}{limit}"
    from engine.words.explain import kappa_short

    kappa_text = kappa_short(analysis)
    kappa_text = kappa_text if kappa_text.startswith(">") else f"= {kappa_text}"
    return (
        f"curvature: λmax = {analysis.lambda_max:.4g}, λmin = {analysis.lambda_min:.4g}, κ {kappa_text}; "
        f"lr_max = 2/λmax = {analysis.lr_max:.3g}, lr_best = 2/(λmax+λmin) = {analysis.lr_best:.3g}"
    )


def _rule_limit(analysis, settings) -> str:
    """The limit of the rule in use, where it is not plain descent's: momentum's own, or none for adaptive rules."""
    from engine.maths.optimizer_rules import ADAPTIVE, limit_formula, lr_limit

    optimizer = getattr(settings, "optimizer", "manual")
    if optimizer in ADAPTIVE:
        return f"; {optimizer} has no lr limit from the curvature (its steps are bounded by about lr)"
    limit = lr_limit(analysis.lambda_max, optimizer, settings.momentum)
    if optimizer in ("momentum", "nesterov") and limit is not None:
        return f"; {optimizer}'s own limit {limit_formula(optimizer)} = {limit:.3g} (β = {settings.momentum:g})"
    return ""


def _decay(settings) -> str:
    """ ", weight decay 0.01" where the update rule applies one (adamw's default among them); nothing otherwise."""
    from engine.settings.run_settings import weight_decay_of

    decay = weight_decay_of(settings)
    return f", weight decay {decay:g}" if decay else ""


def _number(value: float | None) -> str:
    return "inf/nan" if value is None else f"{value:.6g}"
