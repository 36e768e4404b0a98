"""Seeded data, made with numpy alone so the points exist before torch has loaded."""

from __future__ import annotations

import numpy as np

from engine.data.csv_reader import read_csv
from engine.data.dataset import Dataset
from engine.settings.run_settings import Settings


def data_rng(seed: int) -> np.random.Generator:
    """The generator of a seed's data: independent of torch and of the device, so every device sees the same."""
    return np.random.default_rng(seed)


def synthesize(settings: Settings) -> Dataset:
    """The built-in dataset the settings name: the tutorial's recipe with every number a setting."""
    s = settings
    rng = data_rng(s.seed)
    x = np.linspace(s.x_min, s.x_max, s.points)
    # In place where the arithmetic allows: at 10 million points each temporary array is 80 MB.
    noise = rng.standard_normal(s.points)
    noise *= s.noise
    if s.dataset == "linear":
        y = s.slope * x
        y += s.intercept
        y += noise
    elif s.dataset == "quadratic":
        # A parabola through the line's ends, bowed by the range, so the same axes fit it.
        middle = (s.x_min + s.x_max) / 2
        half = (s.x_max - s.x_min) / 2
        y = s.slope * x + s.intercept + s.slope * half * (((x - middle) / half) ** 2 - 1 / 3) + noise
    elif s.dataset == "sine":
        # One and a half periods over the range, as tall as the line rises over half of it: well above
        # the default noise, so a curve that fits it cuts the loss of a flat line many times over.
        phase = 3 * np.pi * (x - s.x_min) / (s.x_max - s.x_min)
        amplitude = s.slope * (s.x_max - s.x_min) / 2
        y = s.intercept + amplitude * np.sin(phase) + noise
    elif s.dataset == "outliers":
        y = s.slope * x
        y += s.intercept
        y += noise
        # One point in ten, at least one, thrown far off the line: what a robust loss ignores.
        count = max(1, s.points // 10)
        picked = rng.choice(s.points, size=count, replace=False)
        spread = abs(s.slope) * (s.x_max - s.x_min) + 10 * s.noise + 1
        y[picked] += spread * rng.uniform(0.5, 1.0, size=count) * rng.choice([-1.0, 1.0], size=count)
    else:  # validate() rejects other names first
        raise ValueError(f"unknown dataset {s.dataset!r}")
    return Dataset(x=x, y=y, source=s.dataset)


def load_dataset(settings: Settings, cancelled=None, waiting=None) -> Dataset:
    """The settings' data: the CSV file when one is named, else the built-in dataset.

    A CSV that is a stream (standard input, a pipe, a FIFO) is counted against free memory as it is read;
    `cancelled` stops the wait for it and `waiting` is told when it stays silent (engine.data.stream_read).
    """
    if settings.data is not None:
        from engine.data.memory_guard import stream_guard
        from engine.data.stream_read import ReadWatch

        watch = ReadWatch(guard=stream_guard(settings), cancelled=cancelled, waiting=waiting)
        return read_csv(settings.data, settings.x_column, settings.y_column, watch)
    return synthesize(settings)
