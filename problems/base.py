"""The one problem base class, and the name registry used by the CLI and configs.

Three kinds of problems:
- Problem: any define-by-run objective (real learning-curve tasks subclass it).
- SyntheticFunction: a black-box test function on a box (dim, bounds,
  optimal_value, optimizers, evaluate(x)); objective() suggests x0..x{dim-1}.
- RecordedProblem: replays stored learning curves (configure + curve) so the
  simulated-time runner can run it without training.
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from typing import Any

import numpy as np

from hpobench.interfaces import ProblemInterface, RecordedProblemInterface
from hpobench.trial import Trial
from hpobench.validation import check_int

_REGISTRY: dict[str, Callable[..., Problem]] = {}


def register(name: str) -> Callable[[Callable[..., Problem]], Callable[..., Problem]]:
    """Decorator (or call) that makes a problem factory available by name."""

    def add(factory: Callable[..., Problem]) -> Callable[..., Problem]:
        if name in _REGISTRY and _REGISTRY[name] is not factory:
            raise ValueError(f"Problem name {name!r} is registered twice.")
        _REGISTRY[name] = factory
        return factory

    return add


def list_problems() -> list[str]:
    """Names of every registered problem, sorted."""
    _load_all()
    return sorted(_REGISTRY)


def get_problem(name: str, **kwargs: Any) -> Problem:
    """Build a problem by name; an unknown name lists the known ones."""
    _load_all()
    if name not in _REGISTRY:
        raise ValueError(f"Unknown problem {name!r}. Available problems: {', '.join(sorted(_REGISTRY))}.")
    return _REGISTRY[name](**kwargs)


def _load_all() -> None:
    import hpobench.problems  # noqa: F401  (importing the package registers every problem module)


class Problem(ProblemInterface):
    """Base of every problem. Subclasses set name/direction and implement objective()."""

    def __init__(self, *, seed: int | None = None) -> None:
        self.seed = None if seed is None else check_int("seed", seed, minimum=0)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class SyntheticFunction(Problem):
    """A test function on a box. Subclasses define dim, bounds, optimal_value, optimizers and evaluate().

    Args:
        noise_std: standard deviation of Gaussian observation noise (0 = exact).
        seed: seeds the noise generator.
    """

    dim: int
    optimizers: list[tuple[float, ...]] = []
    int_dims: tuple[int, ...] = ()
    resolution: float | None = None

    def __init__(self, *, noise_std: float = 0.0, seed: int | None = None) -> None:
        super().__init__(seed=seed)
        if noise_std < 0:
            raise ValueError(f"noise_std must be >= 0, got {noise_std!r}.")
        self.noise_std = float(noise_std)
        self._noise_rng = np.random.default_rng(seed)

    @property
    @abc.abstractmethod
    def bounds(self) -> np.ndarray:
        """Array of shape (dim, 2): lower and upper bound per dimension."""

    @abc.abstractmethod
    def evaluate(self, x: np.ndarray) -> float | np.ndarray:
        """Noise-free value at x (shape (dim,)); most formulas also take points as the
        columns of x (shape (dim, n)) and return n values (refine_optima uses that)."""

    def __call__(self, x: np.ndarray) -> float:
        value = float(self.evaluate(np.asarray(x, dtype=float)))
        if self.noise_std > 0:
            value += float(self._noise_rng.normal(0.0, self.noise_std))
        return value

    def objective(self, trial: Trial) -> float:
        x = np.empty(self.dim)
        for i, (low, high) in enumerate(self.bounds):
            if i in self.int_dims:
                x[i] = trial.suggest_int(f"x{i}", int(np.ceil(low)), int(np.floor(high)))
            else:
                x[i] = trial.suggest_float(f"x{i}", float(low), float(high))
        return self(x)


class RecordedProblem(RecordedProblemInterface, Problem):
    """A learning-curve task answered from recorded (or otherwise precomputed) curves."""
