"""Pruning a PyTorch training loop: a small MLP on digits, epoch by epoch, on CUDA when there is one.

What it shows: the define-by-run network (number of layers, their widths,
dropout, learning rate, optimizer) trained epoch by epoch; after each epoch
the validation error is reported with ``trial.report`` and the trial stops
when ``trial.should_prune()`` says so (ASHA). The data set is scikit-learn's
digits (1,797 8x8 images, shipped with scikit-learn: no download). The
device is chosen at run time: ``cuda`` when ``torch.cuda.is_available()``,
else the CPU (``HPOBENCH_EXAMPLES_DEVICE=cpu`` forces one).

How long: 30 trials of up to 20 epochs, 0.2 s of CPU per trial on the CPU (27
of 30 pruned; 36 ms per epoch), 11 s of CPU for the whole script; the time per trial
is printed at the end (examples/README.md). ``HPOBENCH_EXAMPLES_TINY=1``
runs 2 trials of 2 epochs (the CI test). Needs the ``examples`` extra
(``pip install 'hpobench[examples]'``: PyTorch).

    .venv/bin/python examples/pytorch_pruning.py
"""

import os
import time

try:
    import torch
except ImportError:
    raise SystemExit("examples/pytorch_pruning.py needs torch: pip install 'hpobench[examples]'") from None
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

import hpobench
from hpobench.pruners import SuccessiveHalvingPruner

TINY = os.environ.get("HPOBENCH_EXAMPLES_TINY") == "1"
N_TRIALS, N_EPOCHS, BATCH = (2, 2, 64) if TINY else (30, 20, 64)
DEVICE = torch.device(os.environ.get("HPOBENCH_EXAMPLES_DEVICE") or ("cuda" if torch.cuda.is_available() else "cpu"))


def load_data() -> tuple[torch.Tensor, ...]:
    X, y = load_digits(return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
    as_tensor = lambda a, dtype: torch.tensor(a, dtype=dtype, device=DEVICE)  # noqa: E731
    return (
        as_tensor(X_train, torch.float32),
        as_tensor(y_train, torch.long),
        as_tensor(X_val, torch.float32),
        as_tensor(y_val, torch.long),
    )


X_TRAIN, Y_TRAIN, X_VAL, Y_VAL = load_data()


def build_model(trial: hpobench.Trial) -> nn.Module:
    layers, width = [], X_TRAIN.shape[1]
    for i in range(trial.suggest_int("n_layers", 1, 3)):
        out = trial.suggest_int(f"n_units_l{i}", 16, 256, log=True)
        layers += [nn.Linear(width, out), nn.ReLU(), nn.Dropout(trial.suggest_float(f"dropout_l{i}", 0.0, 0.5))]
        width = out
    return nn.Sequential(*layers, nn.Linear(width, 10)).to(DEVICE)


def validation_error(model: nn.Module) -> float:
    model.eval()
    with torch.no_grad():
        return (model(X_VAL).argmax(dim=1) != Y_VAL).float().mean().item()


def objective(trial: hpobench.Trial) -> float:
    torch.manual_seed(trial.number)
    model = build_model(trial)
    optimizer_name = trial.suggest_categorical("optimizer", ["Adam", "SGD"])
    lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
    optimizer = getattr(torch.optim, optimizer_name)(model.parameters(), lr=lr)
    error = 1.0
    for epoch in range(N_EPOCHS):
        model.train()
        for batch in torch.randperm(len(X_TRAIN), device=DEVICE).split(BATCH):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(X_TRAIN[batch]), Y_TRAIN[batch]).backward()
            optimizer.step()
        error = validation_error(model)
        trial.report(error, epoch)
        if trial.should_prune():
            raise hpobench.TrialPruned()
    return error


if __name__ == "__main__":
    torch.set_num_threads(1)  # small tensors: one thread is the fastest on a CPU, and fair to compare
    study = hpobench.create_study(
        sampler=hpobench.samplers.TPESampler(seed=0), pruner=SuccessiveHalvingPruner(max_resource=N_EPOCHS)
    )
    start, cpu_start = time.perf_counter(), time.process_time()
    study.optimize(objective, n_trials=N_TRIALS)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    epochs = sum(len(t.intermediate_values) for t in study.trials)
    pruned = sum(t.state == hpobench.TrialState.PRUNED for t in study.trials)
    print(
        f"device {DEVICE}: {N_TRIALS} trials ({pruned} pruned, {epochs} epochs) in {wall:.1f} s wall, {cpu:.1f} s CPU: "
        f"{wall / N_TRIALS:.2f} s wall and {cpu / N_TRIALS:.2f} s CPU per trial, "
        f"{cpu / epochs * 1000:.0f} ms CPU per epoch"
    )
    print(f"best validation error {study.best_value:.4f} with {study.best_params}")
