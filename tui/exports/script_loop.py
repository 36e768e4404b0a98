"""The exported script's loss, update rule and descent loop: full batch or mini-batches, as engine/ runs them.

Fixed text around the settings' names; the constants themselves are written by tui/exports/script.py.
Each loop takes the same float32 ops in the same order as engine/descent/descend.py or engine/descent/minibatch.py,
so the loss the script prints is the run's final loss: the loss on every fitted point at θ after
STEPS updates, or where the run diverged.
"""

from __future__ import annotations

from engine.settings.run_settings import Settings

_LOSSES = {
    "mse": "# The loss: mean squared error.\ndef loss_fn(predictions, targets):\n    return F.mse_loss(predictions, targets)\n",
    "mae": "# The loss: mean absolute error.\ndef loss_fn(predictions, targets):\n    return F.l1_loss(predictions, targets)\n",
    "huber": "# The loss: huber, quadratic within HUBER_DELTA of the target and linear beyond, so far-off points pull less.\n"
    "def loss_fn(predictions, targets):\n    return F.huber_loss(predictions, targets, delta=HUBER_DELTA)\n",
}

_OPTIMIZERS = {
    "sgd": "torch.optim.SGD([theta], lr=LR, weight_decay=WEIGHT_DECAY)",
    "momentum": "torch.optim.SGD([theta], lr=LR, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)",
    "nesterov": "torch.optim.SGD([theta], lr=LR, momentum=MOMENTUM, nesterov=True, weight_decay=WEIGHT_DECAY)",
    "adam": "torch.optim.Adam([theta], lr=LR, weight_decay=WEIGHT_DECAY)",
    "adamw": "torch.optim.AdamW([theta], lr=LR, weight_decay=WEIGHT_DECAY)",
    "rmsprop": "torch.optim.RMSprop([theta], lr=LR, weight_decay=WEIGHT_DECAY)",
    "adagrad": "torch.optim.Adagrad([theta], lr=LR, weight_decay=WEIGHT_DECAY)",
    "lbfgs": 'torch.optim.LBFGS([theta], lr=LR, line_search_fn="strong_wolfe")',
}

_FULL_BATCH_CLOSURE = """

def closure():
    # forward
    loss = loss_fn(predict(), y_train)
    # backward: fills theta.grad with ∂loss/∂θ
    loss.backward()
    return loss
"""

_BATCHES = """

# Mini-batches: each update follows the gradient of BATCH_SIZE fitted points, not all of them. The
# points are reshuffled every epoch (the last batch of an epoch may be smaller) by a generator of
# their own, seeded with (SEED, 3, START), so batching changes neither the data nor the start.
batch_rng = np.random.default_rng([SEED, 3, START])


def batches():
    while True:
        order = torch.as_tensor(batch_rng.permutation(len(x_train)), device=device)
        for first in range(0, len(order), BATCH_SIZE):
            yield order[first : first + BATCH_SIZE]


batch_stream = batches()


def closure():
    # forward, on this step's batch (x_batch, y_batch, set in the loop below)
    loss = loss_fn(model(x_batch), y_batch)
    # backward: fills theta.grad with the batch's ∂loss/∂θ
    loss.backward()
    return loss


def full_loss():
    # The loss descent shows: on every fitted point, not the batch's, which jumps with the batch drawn.
    with torch.no_grad():
        return loss_fn(predict(), y_train)
"""


def _update(s: Settings, batched: bool) -> str:
    if s.optimizer == "manual":
        # The batched loop computes the gradient just before updating; the full-batch one has it from
        # the loss it just checked.
        lines = ["    closure()  # the batch's gradient"] if batched else []
        lines += [
            "    # update: θ ← θ − lr·∂loss/∂θ, outside autograd's graph, then clear the gradient",
            "    with torch.no_grad():",
            "        theta.sub_(theta.grad, alpha=LR)",
            "    theta.grad = None",
        ]
        return "\n".join(lines)
    if s.optimizer == "lbfgs":
        return """    # update: L-BFGS evaluates the loss again in its line search, each time from clear gradients
    def fresh_closure():
        optimizer.zero_grad(set_to_none=True)
        return closure()

    optimizer.step(fresh_closure)
    optimizer.zero_grad(set_to_none=True)"""
    return "\n".join(
        (["    closure()  # the batch's gradient"] if batched else [])
        + ["    # update", "    optimizer.step()", "    optimizer.zero_grad(set_to_none=True)"]
    )


def descent_block(s: Settings, batched: bool) -> str:
    """The loss, the optimizer and the loop; `batched` for mini-batches smaller than the training set."""
    optimizer = "" if s.optimizer == "manual" else f"\n\n# The update rule, torch's own.\noptimizer = {_OPTIMIZERS[s.optimizer]}\n"
    evaluate = "loss = full_loss()" if batched else "loss = closure()"
    draw = ""
    if batched:
        draw = "    # this step's batch\n    batch = next(batch_stream)\n    x_batch, y_batch = x_train[batch], y_train[batch]\n"
    loop = f"""

# The descent: STEPS updates. Like descent, stop early when the loss blows up (not finite, or past
# a million times the first loss): the learning rate is then too large for this loss's curvature.
{evaluate}
limit = 1e6 * max(abs(loss.item()), 1e-30) if math.isfinite(loss.item()) else -math.inf
diverged_at = None if math.isfinite(loss.item()) else 0
step = 0
while diverged_at is None and step < STEPS:
{draw}{_update(s, batched)}
    step += 1
    {evaluate}
    if not (math.isfinite(loss.item()) and loss.item() <= limit):
        diverged_at = step
"""
    return _LOSSES[s.loss] + (_BATCHES if batched else _FULL_BATCH_CLOSURE) + optimizer + loop
