"""Which keys the main screen's footer names, for the width it has (issue 25: at 80×24 a new user saw none of the
teaching keys, which were only in help).

Textual's footer shows the bindings marked `show`, in order, and cuts what runs past the edge. Here the screen's
active bindings are handed to it with `show` set by the room there is: the keys of a running tour and of the
focused widget first, then FOOTER_PRIORITY's; the shown ones in FOOTER_ORDER. At 80 columns that is
`space Run n Step T Tour P Guess c Code l Land y Maths a Grad x Why ? Help q Quit`; wider r, g, v, the
pace keys and p; during the tour its keys (→ ← Esc) come first. Every key, shown or not, is in help (?) and the command palette.
"""

from __future__ import annotations

import dataclasses

from textual.binding import ActiveBinding

FOOTER_PRIORITY = (
    "tour-next",
    "tour-back",
    "tour-leave",
    "run-pause",
    "step",
    "help",
    "quit",
    "tour",
    "predict",
    "code",
    "landscape",
    "analysis",
    "autograd",
    "explain",
    "valley",
    "reset",
    "new-data",
    "panel",
    "turbo",
    "faster",
    "slower",
)
"""The screen's keys the footer names, most wanted first: running, then the lesson's keys, then the rest."""
FOOTER_ORDER = (
    "tour-next",
    "tour-back",
    "tour-leave",
    "run-pause",
    "step",
    "reset",
    "new-data",
    "tour",
    "predict",
    "code",
    "landscape",
    "analysis",
    "autograd",
    "explain",
    "valley",
    "faster",
    "slower",
    "turbo",
    "panel",
    "help",
    "quit",
)
"""Left to right, as far as they are shown."""
PAIRS = {"faster": "slower"}
"""Keys named together or not at all: + without - would read as the only pace key."""
FOOTER_LABELS = {"landscape": "Land", "analysis": "Maths"}
"""Shorter words in the footer only (help and the palette keep "Landscape" and "Analysis"): at 80 columns every
teaching key then has room."""
MARGIN = 1
"""The compact footer's gap after each key and its description; the last one may fall past the edge."""


def footer_bindings(active: dict[str, ActiveBinding], width: int, key_display, screen) -> dict[str, ActiveBinding]:
    """`active` (a screen's active bindings) with `show` set for the footer of a screen `width` columns wide.

    Bindings from anything but `screen` (the focused widget: the code pane's n, a field's keys) keep their own
    `show` and go first; so do the tour's (shown only while it runs: check_action). `key_display(binding)` is the
    app's label for a key.
    """
    first_key: dict[str, str] = {}  # action → its first key: a binding with two keys (? and F1) is named once
    for key, (_, binding, _, _) in active.items():
        first_key.setdefault(binding.action, key)

    def wanted(item) -> bool:
        _, (node, binding, _, _) = item
        # the screen's other keys (ctrl+s, e, s, o, z, m, w) are in help only
        return binding.id in FOOTER_PRIORITY if node is screen else binding.show

    def rank(item) -> tuple[int, int]:
        _, (node, binding, _, _) = item
        if node is not screen or binding.id not in FOOTER_PRIORITY:
            return (0, 0)
        return (1, FOOTER_PRIORITY.index(binding.id))

    candidates = sorted((item for item in active.items() if first_key[item[1].binding.action] == item[0] and wanted(item)), key=rank)
    by_id = {binding.id: key for key, (node, binding, _, _) in candidates if node is screen}

    def label(binding) -> str:
        return FOOTER_LABELS.get(binding.id, binding.description) if binding.id else binding.description

    def cost(key: str) -> int:
        binding = active[key].binding
        return len(key_display(binding)) + 1 + len(label(binding)) + MARGIN

    room, shown = width + MARGIN, set()
    for key, (node, binding, _, _) in candidates:
        pair = PAIRS.get(binding.id) if node is screen else None
        if key in shown or (pair is None and binding.id in PAIRS.values() and node is screen):
            continue  # the second of a pair goes with the first
        keys = [key] + ([by_id[pair]] if pair in by_id else [])
        if sum(cost(k) for k in keys) <= room:
            shown.update(keys)
            room -= sum(cost(k) for k in keys)

    def place(item) -> tuple[int, int]:
        _, (node, binding, _, _) = item
        if node is screen and binding.id in FOOTER_ORDER:
            return (1, FOOTER_ORDER.index(binding.id))
        return (0, 0)

    fitted = {}
    for key, active_binding in sorted(active.items(), key=place):
        binding = active_binding.binding
        show = key in shown
        if show != binding.show or label(binding) != binding.description:
            active_binding = active_binding._replace(binding=dataclasses.replace(binding, show=show, description=label(binding)))
        fitted[key] = active_binding
    return fitted


def fitted_active_bindings(screen) -> dict[str, ActiveBinding]:
    """MainScreen.active_bindings: Textual's, with `show` fitted to the screen's width (a property of the screen)."""
    from textual.screen import Screen

    return footer_bindings(Screen.active_bindings.fget(screen), screen.size.width, screen.app.get_key_display, screen)
