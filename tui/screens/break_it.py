"""Break it (key b in the code pane): the run goes on without `theta.grad = None`, and the screen says what happens.

The break is real: the run's problem is steered (engine.descent.steer.go_on) to one whose descent accumulates
gradients in `.grad` (engine/descent/forgotten_reset.py), from θ where it is. A second b mends it the same way.
A run made while the break is on (r, g, a new setting) is broken as soon as it is ready: the pane says so.
"""

from __future__ import annotations

import dataclasses


def can_steer(screen) -> bool:
    """A run under way that can go on from θ (ready, running or paused, with a snapshot)."""
    return screen.problem is not None and screen.driver.can_go_on(screen.settings)


def steer_broken(screen, broken: bool) -> bool:
    """The screen's run goes on from θ with the reset forgotten (or put back); False when there is no run to steer."""
    if not can_steer(screen) or screen.problem.forgets_grad_reset == broken:
        return False
    screen.problem = dataclasses.replace(screen.problem, forgets_grad_reset=broken)
    screen.driver.go_on(screen.settings, run=running(screen))
    return True


def running(screen) -> bool:
    return screen.life.running


def what_happens(screen) -> str:
    from engine.words.forgotten_words import forgotten_words

    return forgotten_words(screen.settings.optimizer, screen.settings.lr, screen.analysis)


def short_line(screen) -> str:
    from engine.words.forgotten_words import forgotten_short

    return forgotten_short(screen.settings.optimizer, screen.settings.lr, screen.analysis)
