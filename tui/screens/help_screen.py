"""The help screen (? or F1): every key, and what each part of the screen shows."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.screen import ModalScreen
from textual.widgets import Markdown

PARTS = """
## The screen

- **Parameters** (left): every data and descent setting. Type a value and press Enter to apply it; a bad
  value says why under the field, and the run can't start until it is fixed. Changing a Data setting makes
  new points and starts again from step 0; lr, steps, optimizer, momentum and batch size change while the run
  goes on from where it is, with a mark on the loss curve. Tab or a click moves to a field (letters typed
  elsewhere are keys, never text); Escape goes back to the plot. With a CSV, the file's facts replace the
  synthetic data's settings.
- **Fit** (top): the points, the current fitted line (orange) and the least-squares line (grey), the best any
  descent can reach.
- **Loss** (bottom): log10(L − L*), how far the loss is above its least possible value L*, where L* is known
  (MSE on a model linear in its parameters); log10 of the loss elsewhere. A straight fall is a steady rate; the
  long, nearly flat tail is the slow direction (b) that plain gradient descent barely moves along.
- **Status line**: the state (ready, running, paused, done or diverged), step / total, L−L* (or the loss), the
  parameters k and b, their gradients, steps per second (measured), the device and the pace; one line, so a
  narrow terminal leaves out the device, then the gradients. The pace is the demo at first: the first steps one
  at a time, then faster and faster (the tutorial's 1000 in 8 s); `+`/`-` set a fixed rate, `t` turbo.
- **Analysis** (above the fit; `y` shows or hides it, hidden at first on a narrow screen): the loss's curvature,
  λmax and λmin of its Hessian and κ = λmax/λmin; lr_max = 2/λmax, above which plain gradient descent diverges;
  lr_best = 2/(λmax+λmin), the best rate in the long run (`o` sets it), not always the fastest short run: there the
  steep direction swings from side to side; the steps the current lr needs, by the optimizer's own rule, to
  shrink the error 1000× (momentum's limit is 2(1+β)/λmax, Nesterov's 2(1+β)/((1+2β)λmax); adam's has none).
  For a model not linear in θ, λmax is an estimate by power iteration where θ is. A warning shows when lr is above
  lr_max, before the run; a diverged or stalled run is explained here and in a notification, as a one-line
  headline: `x` shows the whole text, scrollable, at any size. Where κ is large it says what no lr can do, and
  what does: standardizing x (`z`), with the κ it would give, or momentum at its best β*, lr* (`m` sets both).
- **Landscape** (`l`, instead of the fit; two-parameter models): the loss over a (k, b) window, dark at the valley's
  floor, with the path so far (•), the current point (◆) and the optimum (✕). The arrow keys move the start one
  cell and a click puts it on a cell ("drop a marble"): the run starts again from there.
- **Autograd** (`a`, instead of the loss): the step's computation, and ∂L/∂k, ∂L/∂b from backward() beside the
  formulas' values. `w` shows the tutorial's warm-up, z = mean((x+2)²), and x.grad beside 2(x+2)/100.
- **Tour** (`T`, or `descent tour`): the tutorial's lesson in 9 stops under the plots, each setting up the screen
  it talks about; → ← (or Page Down / Page Up, for a presenter's clicker) move, Escape leaves and keeps the screen.
- **Code** (`c`, instead of the loss): the PyTorch loop `--export-script` writes for these settings, with live values
  beside its lines; there `n` takes one phase at a time (forward, loss, backward, update), its line marked ▶.
- **Predict** (`P`, and four stops of the tour): a question about the run before it plays (lr against its limit:
  smooth, zig-zag or diverges; how much of the error along the valley's floor is left at the end; κ after
  standardizing), its answer computed for the settings on screen. 1–4 answer, Escape or → skip; the run then
  plays, and the panel puts your answer beside what the run did, with the reason in numbers.
- **Rewind** (`[` `]` a kept step back or on, `{` `}` a tenth of the run, with the run paused or done): every view
  shows that step, and the status says `rewound`. Space, `n` or a new lr goes on from there: the later history
  is dropped and a mark on the loss curve shows the branch. A long run keeps every step of its first 32, then an
  even spread of at most 2,048 (the status says how far apart): rewinding lands on kept steps.
- **Command palette** (ctrl+p): every action by name.

A learning rate above lr_max (about 3e-4 for the default run) makes it diverge: the app stops and says why.
"""


def typed(key: str) -> str:
    """A key as the person types it: `?`, `+`, `-` (Textual names them question_mark, plus, minus)."""
    return key if key == "escape" else format_key(key)


def keys_table(bindings) -> str:
    rows = ["## Keys", "", "| key | what it does |", "| --- | --- |"]
    for binding in bindings:
        keys = " or ".join(f"`{typed(k.strip())}`" for k in binding.key.split(","))
        rows.append(f"| {keys} | {binding.tooltip or binding.description} |")
    rows += ["| `tab` | next field of the parameter panel |", "| `escape` | leave a field, back to the plot |"]
    return "\n".join(rows)


class HelpScreen(ModalScreen):
    """Keys and parts of the screen; any of escape, ?, F1 or q closes it."""

    BINDINGS = [Binding("escape,question_mark,f1,q", "dismiss", "Close help")]

    def __init__(self, bindings, parts: str = PARTS) -> None:
        super().__init__()
        self.bindings = bindings
        self.parts = parts
        """What each part of the screen shows (the race's screen has its own)."""

    def compose(self):
        with VerticalScroll(id="help-body"):
            yield Markdown("# descent: help\n\n" + keys_table(self.bindings) + "\n" + self.parts)
