"""Every setting of a run, with its default, its help and its allowed values, checked up front.

The defaults are the tutorial's: 100 points on [0, 100], y = x + 10·N(0,1), k and b from U(0,1),
plain gradient descent at lr = 1e-4 for 1000 steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from numbers import Integral

from engine.settings.errors import SettingError

OPTIMIZERS = ("manual", "sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad", "lbfgs")
PLAIN_DESCENT = ("manual", "sgd")
"""θ ← θ − lr·∇L with no state: a step is lr times the gradient, so the eigenvalues predict its speed exactly."""
LOSSES = ("mse", "mae", "huber")
DATASETS = ("linear", "quadratic", "sine", "outliers")
DEVICES = ("auto", "cpu", "cuda", "mps")
DTYPES = ("float32", "float64")
ADAMW_WEIGHT_DECAY = 0.01
"""torch.optim.AdamW's own default weight decay; every other rule's default is 0."""

# Past this many points a run needs more memory than a workstation has; the memory guard
# (engine.data.memory_guard) refuses smaller sizes too when they don't fit in what is free.
MAX_POINTS = 1_000_000_000
MAX_STEPS = 10**12


def _doc(text: str, group: str, **extra) -> dict:
    return {"help": text, "group": group, **extra}


@dataclass(frozen=True)
class Settings:
    """One run's settings; field names are the long options with underscores."""

    # Data
    points: int = field(default=100, metadata=_doc("number of points (≥ 2)", "Data"))
    x_min: float = field(default=0.0, metadata=_doc("smallest x", "Data"))
    x_max: float = field(default=100.0, metadata=_doc("largest x (> x-min)", "Data"))
    slope: float = field(default=1.0, metadata=_doc("true slope of the data", "Data"))
    intercept: float = field(default=0.0, metadata=_doc("true intercept of the data", "Data"))
    noise: float = field(default=10.0, metadata=_doc("noise σ added to y (≥ 0)", "Data"))
    seed: int = field(default=0, metadata=_doc("seed of the data and the start (≥ 0)", "Data"))
    dataset: str = field(default="linear", metadata=_doc("built-in data", "Data", choices=DATASETS))
    data: str | None = field(
        default=None,
        metadata=_doc("a CSV file of x,y instead of built-in data; - reads standard input (a pipe or FIFO: read as it comes)", "Data"),
    )
    x_column: str = field(default="1", metadata=_doc("CSV column of x: a name or a 1-based position", "Data"))
    y_column: str = field(default="2", metadata=_doc("CSV column of y: a name or a 1-based position", "Data"))
    holdout: float = field(default=0.0, metadata=_doc("fraction of points kept out of training (0 ≤ F < 1)", "Data"))

    # Descent
    lr: float = field(default=1e-4, metadata=_doc("learning rate (> 0)", "Descent"))
    steps: int = field(default=1000, metadata=_doc("number of updates (≥ 0)", "Descent"))
    optimizer: str = field(default="manual", metadata=_doc("update rule", "Descent", choices=OPTIMIZERS))
    momentum: float = field(default=0.9, metadata=_doc("momentum of momentum/nesterov (0 ≤ m < 1)", "Descent"))
    loss: str = field(default="mse", metadata=_doc("loss function", "Descent", choices=LOSSES))
    huber_delta: float = field(default=1.0, metadata=_doc("huber loss's delta (> 0)", "Descent"))
    model: str = field(
        default="linear", metadata=_doc("linear, slope (y = k·x), poly:D (1 ≤ D ≤ 10) or mlp:H (1 ≤ H ≤ 256)", "Descent")
    )
    standardize: bool = field(default=False, metadata=_doc("fit on standardized x; report in data units", "Descent"))
    batch_size: int | None = field(default=None, metadata=_doc("points per update (≥ 1); default: all of them", "Descent"))
    start: int = field(default=0, metadata=_doc("which random start on the same data (≥ 0)", "Descent"))
    weight_decay: float | None = field(
        default=None,
        metadata=_doc(f"weight decay (≥ 0); default: torch's, {ADAMW_WEIGHT_DECAY:g} for adamw, 0 for the rest", "Descent"),
    )
    dtype: str = field(default="float32", metadata=_doc("float32 (the tutorial's) or float64 (for hard data)", "Descent", choices=DTYPES))
    device: str = field(default="auto", metadata=_doc("auto (cuda, then mps, then cpu), cpu, cuda, cuda:N or mps", "Descent"))

    def with_changes(self, **changes) -> Settings:
        """A copy with some settings changed, checked."""
        return validate(replace(self, **changes))


SETTING_NAMES = tuple(f.name for f in fields(Settings))


def option_name(setting: str) -> str:
    """The command-line option of a setting: `x_min` → `--x-min`."""
    return "--" + setting.replace("_", "-")


def _finite(name: str, value: float) -> None:
    if not math.isfinite(value):
        raise SettingError(name, f"must be a finite number (got {value!r})")


def _count(value: int) -> str:
    """A whole number as a message quotes it: a pasted 10**200 is cut to `1e+200`, so the message stays one short line."""
    if not isinstance(value, int) or abs(value) < 10**15:
        return repr(value)  # a float given through the Python API (seed=-inf) is quoted as it is
    if value.bit_length() > 10_000:  # str() refuses ints past 4,300 digits
        return f"{'-' if value < 0 else ''}about 2**{value.bit_length()}"
    digits = str(abs(value))
    return f"{'-' if value < 0 else ''}{digits[0]}.{digits[1:3]}e+{len(digits) - 1}"


def _quoted(text: str) -> str:
    """Typed text as a message quotes it, cut when long."""
    return repr(text if len(text) <= 30 else text[:27] + "…")


def _is_whole(text: str) -> bool:
    """ASCII digits only: str.isdigit() also accepts '²', which int() then refuses."""
    return text.isascii() and text.isdigit()


def weight_decay_of(settings: Settings) -> float:
    """The weight decay a run applies: the setting, or torch's default for its optimizer."""
    if settings.weight_decay is not None:
        return float(settings.weight_decay)
    return ADAMW_WEIGHT_DECAY if settings.optimizer == "adamw" else 0.0


def parse_model(spec: str) -> tuple[str, int]:
    """`linear` → ("linear", 1); `slope` → ("slope", 1); `poly:3` → ("poly", 3); `mlp:16` → ("mlp", 16)."""
    kind, _, size = spec.partition(":")
    if kind in ("linear", "slope") and not size:
        return kind, 1
    limits = {"poly": 10, "mlp": 256}
    # at most 4 digits: int() refuses past 4,300 of them, with a ValueError that is not a SettingError
    if kind in limits and _is_whole(size.strip()) and len(size.strip()) <= 4:
        number = int(size)
        if 1 <= number <= limits[kind]:
            return kind, number
    raise SettingError("model", f"must be linear, slope, poly:D with 1 ≤ D ≤ 10, or mlp:H with 1 ≤ H ≤ 256 (got {_quoted(spec)})")


DATA_BOUND = 1e15
"""The largest |x|, slope, intercept or noise: float32 (the descent's dtype) squares residuals far past it."""
FLOAT32_TINY = 1.1754943508222875e-38
"""float32's smallest normal number (torch.finfo(torch.float32).tiny): the narrowest x range a run can have."""


def validate(settings: Settings) -> Settings:
    """Check every setting; raise SettingError naming the first bad one and what is allowed."""
    s = settings
    for f in fields(Settings):
        value = getattr(s, f.name)
        if f.type in ("float", float) and isinstance(value, (int, float)) and not isinstance(value, bool):
            _finite(f.name, float(value))
        if str(f.type).startswith("int") and value is not None and (not isinstance(value, Integral) or isinstance(value, bool)):
            # the CLI, the TOML reader and the app give ints; a float (nan) from Python would pass every range check
            raise SettingError(f.name, f"must be a whole number (got {value!r})")
    if not 2 <= s.points <= MAX_POINTS:
        raise SettingError("points", f"must be between 2 and {MAX_POINTS:,} (got {_count(s.points)})")
    if not s.x_max > s.x_min:
        raise SettingError("x_max", f"must be greater than x_min (got x_min={s.x_min:g}, x_max={s.x_max:g})")
    for name in ("x_min", "x_max", "slope", "intercept", "noise"):  # the message names the setting at fault
        if abs(getattr(s, name)) > DATA_BOUND:
            raise SettingError(name, f"must stay within ±1e15 (got {getattr(s, name):g}; float32 overflows past that)")
    if s.x_max - s.x_min < FLOAT32_TINY:
        # narrower, x is subnormal in float32 and the slope (noise/width) overflows even float64: 1e-310 crashed the optimum
        raise SettingError(
            "x_max", f"x_max − x_min must be at least {FLOAT32_TINY:.3g}, float32's smallest normal number (got {s.x_max - s.x_min:g})"
        )
    if s.noise < 0:
        raise SettingError("noise", f"must be ≥ 0 (got {s.noise:g})")
    if s.seed < 0 or s.seed >= 2**63:
        raise SettingError("seed", f"must be between 0 and 2**63-1 (got {_count(s.seed)})")
    if s.start < 0 or s.start >= 2**63:
        raise SettingError("start", f"must be between 0 and 2**63-1 (got {_count(s.start)})")
    if s.dataset not in DATASETS:
        raise SettingError("dataset", f"must be one of {', '.join(DATASETS)} (got {_quoted(s.dataset)})")
    if not 0 <= s.holdout < 1:
        raise SettingError("holdout", f"must be at least 0 and less than 1 (got {s.holdout:g})")
    if s.holdout > 0 and s.data is None and s.points < 3:
        raise SettingError("holdout", f"{s.holdout:g} of {s.points} points leaves no test point: needs at least 3 points; use 0 for none")
    if not (s.lr > 0 and s.lr <= 1e6):
        raise SettingError("lr", f"must be greater than 0 and at most 1e6 (got {s.lr:g})")
    if not 0 <= s.steps <= MAX_STEPS:
        raise SettingError("steps", f"must be between 0 and {MAX_STEPS:.0e} (got {_count(s.steps)})")
    if s.optimizer not in OPTIMIZERS:
        raise SettingError("optimizer", f"must be one of {', '.join(OPTIMIZERS)} (got {_quoted(s.optimizer)})")
    if not 0 <= s.momentum < 1:
        raise SettingError("momentum", f"must be at least 0 and less than 1 (got {s.momentum:g})")
    if s.loss not in LOSSES:
        raise SettingError("loss", f"must be one of {', '.join(LOSSES)} (got {_quoted(s.loss)})")
    if not s.huber_delta > 0:
        raise SettingError("huber_delta", f"must be greater than 0 (got {s.huber_delta:g})")
    parse_model(s.model)
    if s.weight_decay is not None and not (isinstance(s.weight_decay, (int, float)) and 0 <= s.weight_decay < math.inf):
        raise SettingError("weight_decay", f"must be a finite number ≥ 0 (got {s.weight_decay!r}); leave it out for torch's default")
    if s.weight_decay and s.optimizer in ("manual", "lbfgs"):
        raise SettingError("weight_decay", f"{s.optimizer} has no weight decay; use sgd (or another torch.optim rule) for it")
    if s.dtype not in DTYPES:
        raise SettingError("dtype", f"must be one of {', '.join(DTYPES)} (got {_quoted(str(s.dtype))})")
    if s.batch_size is not None and s.batch_size < 1:
        raise SettingError("batch_size", f"must be at least 1 (got {_count(s.batch_size)}); leave it out for the full batch")
    kind, _, index = s.device.partition(":")
    if kind not in DEVICES or (index and (kind != "cuda" or not _is_whole(index))):
        raise SettingError("device", f"must be auto, cpu, cuda, cuda:N or mps (got {_quoted(s.device)})")
    for name in ("x_column", "y_column"):
        if not getattr(s, name).strip():
            raise SettingError(name, "must be a column name or a 1-based position (got an empty value)")
    return s
