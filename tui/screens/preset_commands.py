"""The command palette's presets: "Preset: sine" and the like, each applied like a change made in the panel."""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import SystemCommand

from engine.settings.presets import PRESETS, apply_preset
from engine.settings.run_settings import SETTING_NAMES, Settings


def preset_settings(name: str, current: Settings) -> Settings:
    """The preset over the defaults (a preset is a whole lesson), keeping the device this app runs on."""
    return apply_preset(name, Settings(device=current.device))


def preset_changes_from(current: Settings, target: Settings) -> dict:
    """The settings that differ, by field name: what the panel would have applied."""
    return {name: getattr(target, name) for name in SETTING_NAMES if getattr(target, name) != getattr(current, name)}


def apply_preset_to(screen, name: str) -> None:
    """Switch the screen's run to a preset: its panel shows the values, the run restarts at step 0."""
    target = preset_settings(name, screen.settings)
    changes = preset_changes_from(screen.settings, target)
    race = PRESETS[name].race
    if race:
        # A race is its own screen, over this one: Escape comes back to the single run as it was.
        from tui.screens.race_screen import RaceScreen

        screen.app.push_screen(RaceScreen(target, tuple(race), screen.pace.fps))
        screen.notify(PRESETS[name].description, title=f"Preset: {name}")
        return
    if changes:
        screen.apply(changes, restart=True)  # a preset is a whole lesson: from step 0, even for an lr alone
    else:
        screen.prepare_run(screen.settings, screen.dataset)
    screen.notify(PRESETS[name].description, title=f"Preset: {name}")


def preset_commands(screen) -> Iterator[SystemCommand]:
    for name, preset in PRESETS.items():
        yield SystemCommand(f"Preset: {name}", preset.description, lambda name=name: apply_preset_to(screen, name))


def apply_preset_from_race(race, name: str) -> None:
    """A preset chosen in the race: a race preset races anew; another leaves the race for the single run it sets."""
    from tui.screens.main_screen import MainScreen
    from tui.screens.race_screen import RaceScreen

    app = race.app
    target = preset_settings(name, race.settings)
    below = app.screen_stack[-2] if len(app.screen_stack) > 1 else None
    race.workers.cancel_group(race, "race")
    if not PRESETS[name].race and isinstance(below, MainScreen):  # the race was opened over a single run: back to it
        app.pop_screen()
        apply_preset_to(below, name)
        return
    screen = RaceScreen(target, tuple(PRESETS[name].race), race.pace.fps) if PRESETS[name].race else MainScreen(target, race.pace.fps)
    # The app's first screen can't be switched away (Textual pops it with a result callback it never had): cover it.
    (app.switch_screen if below is not None else app.push_screen)(screen)
    app.notify(PRESETS[name].description, title=f"Preset: {name}")


def race_preset_commands(race) -> Iterator[SystemCommand]:
    for name, preset in PRESETS.items():
        yield SystemCommand(f"Preset: {name}", preset.description, lambda name=name: apply_preset_from_race(race, name))
