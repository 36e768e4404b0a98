"""Every setting as an input, grouped, built from `Settings`' fields so new settings appear by themselves.

A value is checked as it is typed, with the engine's rules; the reason it is wrong shows under it.
Enter applies a typed value; a choice or a switch applies at once. Applying posts `Applied`; typing posts
`Typed`, so the screen hears of a value before it is applied without reading the panel's inputs.
"""

from __future__ import annotations

from dataclasses import Field, dataclass, field, fields

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static

from engine.settings.run_settings import Settings
from tui.widgets.literal import visible
from tui.widgets.setting_input import SettingValidator, check, format_value

FIELDS = {f.name: f for f in fields(Settings)}
SYNTHETIC = ("points", "x_min", "x_max", "slope", "intercept", "noise", "dataset")
"""Settings of the built-in data only: with a CSV they say nothing about the points, so the file's facts replace them."""


def control_id(name: str) -> str:
    return f"setting-{name}"


class OnOff(Checkbox):
    """A switch that says `on` or `off` in words: the box's colour alone is unreadable with NO_COLOR."""

    def watch_value(self) -> None:
        self.label = "on" if self.value else "off"
        super().watch_value()


class SettingRow(Widget):
    """A setting's name, its control, and (when the value is bad) why: a grid of three widgets (app.tcss), no more.

    The compositor repaints every widget on a line it redraws, and a turbo run's status line spans the panel's lines
    five times a second: a wrapper per row was a fifth of the panel's widgets."""

    def __init__(self, field: Field, control) -> None:
        super().__init__(classes="setting-row")
        self.field = field
        self.control = control
        self.error = Static("", classes="setting-error")

    def compose(self):
        yield Label(self.field.name, classes="setting-name").with_tooltip(self.field.metadata["help"])
        yield self.control
        yield self.error

    def show_error(self, message: str | None) -> None:
        self.error.update(Text(visible(message or "")))  # literal: the message quotes what was typed, `[/]` included
        self.error.display = bool(message)
        self.set_class(bool(message), "-invalid")


class ParameterPanel(VerticalScroll):
    """The Data and Descent settings; `applied` is what the run uses now."""

    BINDINGS = [Binding("escape", "leave", "Back to the plot", show=False)]
    can_focus = False  # Tab goes straight to the first field

    class Applied(Message):
        """Settings changed by the person; the screen rebuilds the run with them."""

        def __init__(self, changes: dict) -> None:
            super().__init__()
            self.changes = changes

    class Typed(Message):
        """A setting's text changed, typed or set, applied or not (an lr above lr_max warns before Enter)."""

        def __init__(self, name: str, text: str) -> None:
            super().__init__()
            self.name = name
            self.text = text

    def __init__(self, settings: Settings, **kwargs) -> None:
        super().__init__(**kwargs)
        self.applied = settings
        self._rows: dict[str, SettingRow] = {}
        """Empty until `fill` has mounted them; until then what the screen says is kept in `_early`."""
        self._early = Early()
        self.filled = False
        """Whether the rows are mounted and show what was said before (a field can be focused and typed in)."""

    def on_mount(self) -> None:
        # The rows are most of the screen's widgets: styled before the first paint, they held the points back (one
        # traced launch, the points made first: 0.46 s to the first screen with them, 0.29 s with no rows). They come
        # one refresh later.
        self.call_after_refresh(self.fill)

    async def fill(self) -> None:
        """Mount a row per setting, showing what was said to the panel before they existed."""
        groups: dict[str, list[Field]] = {}
        for f in fields(Settings):
            groups.setdefault(f.metadata["group"], []).append(f)
        widgets, rows = [], {}
        for group, members in groups.items():
            widgets.append(Static(group, classes="group-title"))
            if group == "Data":
                widgets.append(Static("", id="data-facts"))
            for f in members:
                rows[f.name] = SettingRow(f, self._control(f))
                widgets.append(rows[f.name])
        await self.mount_all(widgets)
        self._rows = rows
        # after the Input.Changed each new field posts (on_input_changed would clear an error shown now)
        self.call_later(self._show_early, self._early)

    def _show_early(self, early: Early) -> None:
        for name, value in early.values.items():
            self.set_value(name, value)
        for name, message in early.errors.items():
            self.show_error(name, message)
        self.show_dataset(early.dataset)
        self.filled = True

    def _control(self, f: Field):
        value = getattr(self.applied, f.name)
        if "choices" in f.metadata:
            return Select([(c, c) for c in f.metadata["choices"]], value=value, allow_blank=False, compact=True, id=control_id(f.name))
        if str(f.type) == "bool":
            return OnOff("on" if value else "off", value=value, compact=True, id=control_id(f.name))
        validator = SettingValidator(f, lambda: self.applied)
        return Input(format_value(value), validators=[validator], compact=True, id=control_id(f.name), select_on_focus=False)

    def action_leave(self) -> None:
        self.screen.focus_plot()

    def set_applied(self, settings: Settings) -> None:
        """Show these settings as applied (after a reset, new data, or a rebuild)."""
        self.applied = settings
        self._early = Early(dataset=self._early.dataset)  # the rows, when they come, are built from `applied`
        for name, row in self._rows.items():
            self.set_value(name, getattr(settings, name))
            row.show_error(None)

    def show_dataset(self, dataset) -> None:
        """The points the run uses: a CSV's facts (file, rows, columns used, x range) in place of the synthetic settings."""
        self._early.dataset = dataset
        if not self._rows:
            return
        from_file = dataset is not None and self.applied.data is not None and dataset.source == self.applied.data
        facts = self.query_one("#data-facts", Static)
        facts.display = from_file
        for name in SYNTHETIC:
            self._rows[name].display = not from_file
        if from_file:
            facts.update(data_facts(dataset, self.applied))

    def set_value(self, name: str, value) -> None:
        """Show a value in a setting's control without applying it (the screen applies it, or not)."""
        if not self._rows:
            self._early.values[name] = value
            return
        control = self._rows[name].control
        if isinstance(control, Input):
            control.value = format_value(value)
        elif control.value != value:
            with control.prevent(Select.Changed, Checkbox.Changed):
                control.value = value

    def show_error(self, name: str, message: str | None) -> None:
        """Show a problem found later (a file that can't be read, a device that isn't there) beside its setting."""
        if not self._rows:
            self._early.errors[name] = message
        elif name in self._rows:
            self._rows[name].show_error(message)

    def problems(self) -> list[tuple[str, str]]:
        """(setting, why) for every typed value that is not valid now."""
        found = []
        for name, row in self._rows.items():
            if isinstance(row.control, Input):
                _, problem = check(row.field, row.control.value, self.applied)
                if problem:
                    found.append((name, problem))
        return found

    def pending(self) -> dict:
        """Typed values that are valid but not applied yet (Enter was not pressed)."""
        changes = {}
        for name, row in self._rows.items():
            if isinstance(row.control, Input):
                value, problem = check(row.field, row.control.value, self.applied)
                if problem is None and value != getattr(self.applied, name):
                    changes[name] = value
        return changes

    def on_input_changed(self, event: Input.Changed) -> None:
        name = self._name_of(event.input)
        _, problem = check(FIELDS[name], event.value, self.applied)
        self._rows[name].show_error(problem)
        self.post_message(self.Typed(name, event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = self._name_of(event.input)
        value, problem = check(FIELDS[name], event.value, self.applied)
        self._rows[name].show_error(problem)
        if problem is None and value != getattr(self.applied, name):
            self.post_message(self.Applied({name: value}))

    def on_select_changed(self, event: Select.Changed) -> None:
        self._apply_choice(event.select, event.value)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._apply_choice(event.checkbox, event.value)

    def _apply_choice(self, control, value) -> None:
        name = self._name_of(control)
        if value != getattr(self.applied, name):
            self.post_message(self.Applied({name: value}))

    @staticmethod
    def _name_of(control) -> str:
        return control.id.removeprefix("setting-")


@dataclass
class Early:
    """What the screen said to the panel before its rows were mounted: shown when they are."""

    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    dataset: object = None


def data_facts(dataset, settings: Settings) -> Text:
    """A CSV's facts, as the Data group shows them instead of points, x range, slope and noise."""
    import os

    text = Text()
    for label, value in (
        ("file", os.path.basename(dataset.source)),
        ("rows", f"{len(dataset):,}"),
        ("x", _column(getattr(dataset, "x_name", "x"), settings.x_column)),
        ("y", _column(getattr(dataset, "y_name", "y"), settings.y_column)),
        ("x range", f"{float(dataset.x.min()):.4g} … {float(dataset.x.max()):.4g}"),
    ):
        if text:
            text.append("\n")
        text.append(f"{label:<13}", style="dim")
        text.append(value)
    return text


def _column(name: str, spec: str) -> str:
    """A column as used: its name, and its position when it was given by one."""
    return f"{name} (column {spec})" if spec.strip().isdigit() else name
