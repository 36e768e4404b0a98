"""One step phase by phase (engine/maths/step_phases.py): the four phases end where the engine's own next step does."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.maths.step_phases import PHASES, step_phases, supports_phases
from engine.settings.run_settings import Settings


@pytest.mark.parametrize(
    "settings",
    [
        Settings(device="cpu"),
        Settings(device="cpu", standardize=True, lr=0.1),
        Settings(device="cpu", optimizer="sgd", model="poly:2", lr=1e-9),
    ],
    ids=["tutorial", "standardized", "sgd-poly2"],
)
def test_after_the_four_phases_theta_is_the_descents_next_snapshot(settings):
    problem = make_problem(settings)
    run = descend(problem)
    now = next(run)
    for _ in range(3):  # from the start and from two later points of the run
        phases = list(step_phases(problem, now.vector))
        following = next(run)
        assert [p.name for p in phases] == list(PHASES)
        np.testing.assert_array_equal(phases[-1].updated, following.vector)
        assert phases[1].loss == pytest.approx(now.loss, rel=1e-6)
        np.testing.assert_allclose(phases[2].gradient, now.gradient, rtol=1e-5)
        now = following


def test_each_phase_adds_its_part_and_keeps_the_earlier_ones():
    # x = 0, 1, 2 and y = x; at k = 2, b = 1 the predictions are 1, 3, 5 and the residuals 1, 2, 3:
    # L = (1 + 4 + 9)/3 = 14/3, ∂L/∂k = 2·(0 + 2 + 6)/3 = 16/3, ∂L/∂b = 2·6/3 = 4; θ − 0.1·∇L.
    problem = make_problem(Settings(device="cpu", points=3, x_max=2.0, noise=0.0, lr=0.1))
    forward, loss, backward, update = step_phases(problem, np.array([2.0, 1.0]))
    np.testing.assert_array_equal(forward.predictions, [1.0, 3.0, 5.0])
    assert forward.loss is None and forward.gradient is None
    assert Fraction(loss.loss).limit_denominator(1000) == Fraction(14, 3)
    assert loss.gradient is None
    np.testing.assert_allclose(backward.gradient, [16 / 3, 4.0], rtol=1e-6)
    assert backward.updated is None
    np.testing.assert_allclose(update.updated, [2.0 - 0.1 * 16 / 3, 1.0 - 0.4], rtol=1e-6)


def test_a_rule_with_a_state_leaves_theta_to_the_run_and_batches_are_refused():
    phases = list(step_phases(make_problem(Settings(device="cpu", optimizer="momentum")), [0.5, 0.5]))
    assert phases[-1].updated is None and phases[-1].gradient is not None
    assert "mini-batches" in supports_phases(make_problem(Settings(device="cpu", batch_size=10)))
    assert "mlp:4" in supports_phases(make_problem(Settings(device="cpu", model="mlp:4")))
    with pytest.raises(ValueError, match="mini-batches"):
        next(step_phases(make_problem(Settings(device="cpu", batch_size=10)), [0.5, 0.5]))
