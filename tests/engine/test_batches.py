"""--batch-size and --holdout: which points each update sees, what a snapshot reports, and the held-out loss."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from engine.descent.descend import descend
from engine.descent.minibatch import batch_indices, batch_rng
from engine.descent.problem import make_problem, split_holdout
from engine.settings.run_settings import Settings
from tests.helpers import run
from tui.cli.main import main

SMALL = Settings(points=30, device="cpu", steps=40)


def epochs(count, size, seed, start, how_many):
    batches = batch_indices(count, size, batch_rng(seed, start), torch.device("cpu"))
    per_epoch = -(-count // size)
    return [[next(batches).tolist() for _ in range(per_epoch)] for _ in range(how_many)]


def test_each_epoch_sees_every_point_once_in_a_fresh_seeded_order():
    first, second = epochs(10, 4, seed=7, start=0, how_many=2)
    assert [len(batch) for batch in first] == [4, 4, 2]
    assert sorted(sum(first, [])) == list(range(10)) == sorted(sum(second, []))
    assert first != second
    assert epochs(10, 4, seed=7, start=0, how_many=2) == [first, second]
    assert epochs(10, 4, seed=7, start=1, how_many=1)[0] != first


def test_snapshot_holds_the_full_training_loss_and_the_batch_gradient():
    settings = SMALL.with_changes(batch_size=8, lr=1e-4)
    problem = make_problem(settings)
    snapshots = list(descend(problem))
    x, y = problem.dataset.x, problem.dataset.y
    batches = sum(epochs(30, 8, settings.seed, settings.start, 11), [])
    for snapshot, batch in zip(snapshots, batches, strict=False):
        k, b = snapshot.vector
        assert snapshot.loss == pytest.approx(np.mean((k * x + b - y) ** 2), rel=1e-5)
        residuals = k * x[batch] + b - y[batch]
        expected = [2 * np.mean(residuals * x[batch]), 2 * np.mean(residuals)]
        np.testing.assert_allclose(snapshot.gradient, expected, rtol=1e-4)
    # And the update followed that gradient: θ(i+1) = θ(i) − lr·g(i).
    for before, after in zip(snapshots, snapshots[1:], strict=False):
        np.testing.assert_allclose(after.vector, before.vector - 1e-4 * before.gradient, rtol=1e-5)
    assert snapshots[-1].step == 40 and snapshots[-1].status == "done"


def test_a_batch_as_large_as_the_data_is_the_full_batch():
    _, _, full = run(SMALL)
    _, _, batched = run(SMALL.with_changes(batch_size=30))
    _, _, larger = run(SMALL.with_changes(batch_size=1000))
    np.testing.assert_array_equal(full.vector, batched.vector)
    np.testing.assert_array_equal(full.vector, larger.vector)


# L-BFGS fits each batch almost exactly in one step, so it jumps between the batches' optima: a larger batch.
@pytest.mark.parametrize("optimizer, lr, batch_size", [("sgd", 1e-4, 5), ("adam", 0.05, 5), ("lbfgs", 1.0, 10)])
def test_mini_batches_lower_the_loss(optimizer, lr, batch_size):
    _, first, last = run(SMALL.with_changes(batch_size=batch_size, optimizer=optimizer, lr=lr, steps=30))
    assert last.status == "done"
    assert last.loss < first.loss / 3


def test_a_diverging_mini_batch_run_stops_and_says_where():
    _, _, last = run(SMALL.with_changes(batch_size=5, lr=0.01, steps=500))
    assert last.status == "diverged" and last.diverged_at == last.step < 500


# --- holdout


def test_holdout_splits_the_points_in_two_seeded_disjoint_sets():
    train, test = split_holdout(100, 0.25, seed=3)
    assert len(train) + len(test) == 100 and len(test) == 25
    assert set(train).isdisjoint(test) and set(train) | set(test) == set(range(100))
    again = split_holdout(100, 0.25, seed=3)
    np.testing.assert_array_equal(train, again[0])
    assert not np.array_equal(test, split_holdout(100, 0.25, seed=4)[1])
    # Always at least one point held out and two to train on.
    assert [len(part) for part in split_holdout(3, 0.01, 0)] == [2, 1]
    assert [len(part) for part in split_holdout(3, 0.99, 0)] == [2, 1]


@pytest.mark.parametrize("batch_size", [None, 7])
def test_test_loss_is_the_mse_on_the_held_out_points(batch_size):
    problem, _, last = run(SMALL.with_changes(holdout=0.3, batch_size=batch_size))
    x, y = problem.dataset.x, problem.dataset.y
    k, b = last.params["k"], last.params["b"]
    assert len(problem.train) == 21 and len(problem.test) == 9
    assert last.loss == pytest.approx(np.mean((k * x[problem.train] + b - y[problem.train]) ** 2), rel=1e-5)
    assert last.test_loss == pytest.approx(np.mean((k * x[problem.test] + b - y[problem.test]) ** 2), rel=1e-5)


def test_json_reports_test_loss_and_both_counts(capsys):
    assert main(["run", "--json", "--device", "cpu", "--holdout", "0.2", "--steps", "20"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["points"] + report["test_points"] == 100 and report["test_points"] == 20
    assert report["test_loss"] > 0
    assert main(["run", "--json", "--device", "cpu", "--steps", "20"]) == 0
    assert "test_loss" not in json.loads(capsys.readouterr().out)
