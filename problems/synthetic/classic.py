"""Classic synthetic test functions, registered by simple names.

Formulas, bounds and optima follow the usual published definitions (Surjanovic &
Bingham's Virtual Library of Simulation Experiments; the same conventions as
BoTorch's ``test_functions/synthetic.py``). Every ``evaluate`` works on the last
axis, so an array of shape (n, dim) gives n values at once.

Registered names: branin, hartmann3, hartmann6, rosenbrock, levy, ackley,
griewank, rastrigin, styblinski_tang, six_hump_camel, michalewicz, shekel.
"""

from __future__ import annotations

import numpy as np

from hpobench.validation import check_int

from ..base import SyntheticFunction, register


def _check_dim(dim: object, minimum: int = 1, maximum: int | None = None) -> int:
    return check_int("dim", dim, minimum=minimum, maximum=maximum)


def _box(low: float, high: float, dim: int) -> np.ndarray:
    return np.tile([float(low), float(high)], (dim, 1))


# ---------------------------------------------------------------- pure cores


def branin(x: np.ndarray) -> np.ndarray:
    """Branin-Hoo on [-5, 10] x [0, 15]."""
    x1, x2 = x[..., 0], x[..., 1]
    b, c, t = 5.1 / (4 * np.pi**2), 5 / np.pi, 1 / (8 * np.pi)
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * np.cos(x1) + 10


def hartmann(x: np.ndarray, alpha: np.ndarray, a: np.ndarray, p: np.ndarray) -> np.ndarray:
    """-sum_i alpha_i exp(-sum_j a_ij (x_j - p_ij)^2); a, p have shape (4, dim)."""
    x = np.asarray(x)[..., None, :]
    return -np.sum(alpha * np.exp(-np.sum(a * (x - p) ** 2, axis=-1)), axis=-1)


def rosenbrock(x: np.ndarray) -> np.ndarray:
    return np.sum(100 * (x[..., 1:] - x[..., :-1] ** 2) ** 2 + (1 - x[..., :-1]) ** 2, axis=-1)


def levy(x: np.ndarray) -> np.ndarray:
    w = 1 + (x - 1) / 4
    head = np.sin(np.pi * w[..., 0]) ** 2
    middle = np.sum((w[..., :-1] - 1) ** 2 * (1 + 10 * np.sin(np.pi * w[..., :-1] + 1) ** 2), axis=-1)
    tail = (w[..., -1] - 1) ** 2 * (1 + np.sin(2 * np.pi * w[..., -1]) ** 2)
    return head + middle + tail


def ackley(x: np.ndarray) -> np.ndarray:
    # Written as a(1 - exp(.)) + (e - exp(.)) so the value at 0 is exactly 0.0,
    # not +-4e-16 (which would matter once the output is floored to a resolution).
    a, b, c = 20.0, 0.2, 2 * np.pi
    term1 = a * (1 - np.exp(-b * np.sqrt(np.mean(x**2, axis=-1))))
    return term1 + (np.e - np.exp(np.mean(np.cos(c * x), axis=-1)))


def griewank(x: np.ndarray) -> np.ndarray:
    i = np.arange(1, x.shape[-1] + 1)
    return np.sum(x**2, axis=-1) / 4000 - np.prod(np.cos(x / np.sqrt(i)), axis=-1) + 1


def rastrigin(x: np.ndarray) -> np.ndarray:
    return 10 * x.shape[-1] + np.sum(x**2 - 10 * np.cos(2 * np.pi * x), axis=-1)


def styblinski_tang(x: np.ndarray) -> np.ndarray:
    return 0.5 * np.sum(x**4 - 16 * x**2 + 5 * x, axis=-1)


def six_hump_camel(x: np.ndarray) -> np.ndarray:
    x1, x2 = x[..., 0], x[..., 1]
    return (4 - 2.1 * x1**2 + x1**4 / 3) * x1**2 + x1 * x2 + (-4 + 4 * x2**2) * x2**2


def michalewicz(x: np.ndarray, m: float = 10.0) -> np.ndarray:
    i = np.arange(1, x.shape[-1] + 1)
    return -np.sum(np.sin(x) * np.sin(i * x**2 / np.pi) ** (2 * m), axis=-1)


def shekel(x: np.ndarray, a: np.ndarray, c: np.ndarray) -> np.ndarray:
    """-sum_i 1 / (|x - a_i|^2 + c_i)."""
    x = np.asarray(x)[..., None, :]
    return -np.sum(1.0 / (np.sum((x - a) ** 2, axis=-1) + c), axis=-1)


# ------------------------------------------------------------------ constants

HARTMANN3_A = np.array([[3.0, 10, 30], [0.1, 10, 35], [3.0, 10, 30], [0.1, 10, 35]])
HARTMANN3_P = 1e-4 * np.array([[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]])
HARTMANN6_A = np.array(
    [
        [10, 3, 17, 3.5, 1.7, 8],
        [0.05, 10, 17, 0.1, 8, 14],
        [3, 3.5, 1.7, 10, 17, 8],
        [17, 8, 0.05, 10, 0.1, 14],
    ]
)
HARTMANN6_P = 1e-4 * np.array(
    [
        [1312, 1696, 5569, 124, 8283, 5886],
        [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650],
        [4047, 8828, 8732, 5743, 1091, 381],
    ]
)
HARTMANN_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])

SHEKEL_A = np.array(
    [
        [4, 4, 4, 4],
        [1, 1, 1, 1],
        [8, 8, 8, 8],
        [6, 6, 6, 6],
        [3, 7, 3, 7],
        [2, 9, 2, 9],
        [5, 5, 3, 3],
        [8, 1, 8, 1],
        [6, 2, 6, 2],
        [7, 3.6, 7, 3.6],
    ],
    dtype=float,
)
SHEKEL_C = 0.1 * np.array([1, 2, 2, 4, 4, 6, 3, 7, 5, 5], dtype=float)

# Per-coordinate minimisers and minima of Michalewicz (m=10). The function is a
# sum of one-dimensional terms, so the d-dimensional optimum is the first d entries.
# Refined numerically with scipy; they agree with the published -1.8013 (d=2),
# -4.687658 (d=5) and -9.66015 (d=10).
MICHALEWICZ_ARGMIN = (
    2.202905513296628, 1.570796322320509, 1.284991564577549, 1.923058467505610,
    1.720469766517768, 1.570796319218113, 1.454413962081172, 1.756086513575824,
    1.655717409323190, 1.570796319387859, 1.497728796097675, 1.923739461688219,
)  # fmt: skip
MICHALEWICZ_MIN = (
    0.8013034100985499, 1.0, 0.9590912698958649, 0.9384624184720668,
    0.9888010806214966, 1.0, 0.9932271353558245, 0.9828720362721659,
    0.9963943649250527, 1.0, 0.9973305415507061, 0.9383447102236013,
)  # fmt: skip


# -------------------------------------------------------------------- classes


class Branin(SyntheticFunction):
    """Branin-Hoo: three global minima of 0.397887 on [-5, 10] x [0, 15]."""

    name = "branin"
    dim = 2
    optimal_value = 0.39788735772973816
    optimizers = [(-np.pi, 12.275), (np.pi, 2.275), (3 * np.pi, 2.475)]

    @property
    def bounds(self) -> np.ndarray:
        return np.array([[-5.0, 10.0], [0.0, 15.0]])

    def evaluate(self, x: np.ndarray) -> float | np.ndarray:
        return branin(np.asarray(x, dtype=float))


class Hartmann3(SyntheticFunction):
    """Hartmann 3-D on the unit cube; minimum -3.86278."""

    name = "hartmann3"
    dim = 3
    optimal_value = -3.8627797873326593
    optimizers = [(0.1145888449, 0.5556488895, 0.85254698)]

    @property
    def bounds(self) -> np.ndarray:
        return _box(0, 1, 3)

    def evaluate(self, x: np.ndarray) -> float | np.ndarray:
        return hartmann(np.asarray(x, dtype=float), HARTMANN_ALPHA, HARTMANN3_A, HARTMANN3_P)


class Hartmann6(SyntheticFunction):
    """Hartmann 6-D on the unit cube; minimum -3.32237."""

    name = "hartmann6"
    dim = 6
    optimal_value = -3.3223680114155147
    optimizers = [(0.20168952, 0.15001069, 0.47687398, 0.27533243, 0.31165162, 0.65730054)]

    @property
    def bounds(self) -> np.ndarray:
        return _box(0, 1, 6)

    def evaluate(self, x: np.ndarray) -> float | np.ndarray:
        return hartmann(np.asarray(x, dtype=float), HARTMANN_ALPHA, HARTMANN6_A, HARTMANN6_P)


class _NDimensional(SyntheticFunction):
    """Base of the functions defined for any dimension (dim is keyword-only)."""

    low: float
    high: float
    max_dim: int | None = None

    def __init__(self, *, dim: int, noise_std: float = 0.0, seed: int | None = None) -> None:
        super().__init__(noise_std=noise_std, seed=seed)
        self.dim = _check_dim(dim, maximum=self.max_dim)

    @property
    def bounds(self) -> np.ndarray:
        return _box(self.low, self.high, self.dim)


class Rosenbrock(_NDimensional):
    """Rosenbrock valley on [-5, 10]^dim; minimum 0 at (1, ..., 1)."""

    name = "rosenbrock"
    low, high = -5.0, 10.0
    optimal_value = 0.0

    def __init__(self, *, dim: int = 5, noise_std: float = 0.0, seed: int | None = None) -> None:
        if isinstance(dim, (int, np.integer)) and not isinstance(dim, bool) and dim < 2:
            raise ValueError(f"Rosenbrock needs dim >= 2, got {dim!r}.")
        super().__init__(dim=dim, noise_std=noise_std, seed=seed)
        self.optimizers = [(1.0,) * self.dim]

    def evaluate(self, x: np.ndarray) -> float | np.ndarray:
        return rosenbrock(np.asarray(x, dtype=float))


class Levy(_NDimensional):
    """Levy on [-10, 10]^dim; minimum 0 at (1, ..., 1)."""

    name = "levy"
    low, high = -10.0, 10.0
    optimal_value = 0.0

    def __init__(self, *, dim: int = 10, noise_std: float = 0.0, seed: int | None = None) -> None:
        super().__init__(dim=dim, noise_std=noise_std, seed=seed)
        self.optimizers = [(1.0,) * self.dim]

    def evaluate(self, x: np.ndarray) -> float | np.ndarray:
        return levy(np.asarray(x, dtype=float))


class Ackley(_NDimensional):
    """Ackley on [-32.768, 32.768]^dim; minimum 0 at the origin."""

    name = "ackley"
    low, high = -32.768, 32.768
    optimal_value = 0.0

    def __init__(self, *, dim: int = 2, noise_std: float = 0.0, seed: int | None = None) -> None:
        super().__init__(dim=dim, noise_std=noise_std, seed=seed)
        self.optimizers = [(0.0,) * self.dim]

    def evaluate(self, x: np.ndarray) -> float | np.ndarray:
        return ackley(np.asarray(x, dtype=float))


class Griewank(_NDimensional):
    """Griewank on [-600, 600]^dim; minimum 0 at the origin."""

    name = "griewank"
    low, high = -600.0, 600.0
    optimal_value = 0.0

    def __init__(self, *, dim: int = 2, noise_std: float = 0.0, seed: int | None = None) -> None:
        super().__init__(dim=dim, noise_std=noise_std, seed=seed)
        self.optimizers = [(0.0,) * self.dim]

    def evaluate(self, x: np.ndarray) -> float | np.ndarray:
        return griewank(np.asarray(x, dtype=float))


class Rastrigin(_NDimensional):
    """Rastrigin on [-5.12, 5.12]^dim; minimum 0 at the origin."""

    name = "rastrigin"
    low, high = -5.12, 5.12
    optimal_value = 0.0

    def __init__(self, *, dim: int = 2, noise_std: float = 0.0, seed: int | None = None) -> None:
        super().__init__(dim=dim, noise_std=noise_std, seed=seed)
        self.optimizers = [(0.0,) * self.dim]

    def evaluate(self, x: np.ndarray) -> float | np.ndarray:
        return rastrigin(np.asarray(x, dtype=float))


class StyblinskiTang(_NDimensional):
    """Styblinski-Tang on [-5, 5]^dim; minimum -39.16617 * dim at x_i = -2.903534."""

    name = "styblinski_tang"
    low, high = -5.0, 5.0

    def __init__(self, *, dim: int = 2, noise_std: float = 0.0, seed: int | None = None) -> None:
        super().__init__(dim=dim, noise_std=noise_std, seed=seed)
        self.optimizers = [(-2.903534027771177,) * self.dim]
        self.optimal_value = -39.16616570377142 * self.dim

    def evaluate(self, x: np.ndarray) -> float | np.ndarray:
        return styblinski_tang(np.asarray(x, dtype=float))


class SixHumpCamel(SyntheticFunction):
    """Six-hump camel on [-3, 3] x [-2, 2]; two global minima of -1.0316."""

    name = "six_hump_camel"
    dim = 2
    optimal_value = -1.0316284534898774
    optimizers = [(0.08984201368301331, -0.7126564032704135), (-0.08984201368301331, 0.7126564032704135)]

    @property
    def bounds(self) -> np.ndarray:
        return np.array([[-3.0, 3.0], [-2.0, 2.0]])

    def evaluate(self, x: np.ndarray) -> float | np.ndarray:
        return six_hump_camel(np.asarray(x, dtype=float))


class Michalewicz(_NDimensional):
    """Michalewicz (m=10) on [0, pi]^dim, dim <= 12 (the optimum is tabulated up to 12)."""

    name = "michalewicz"
    low, high = 0.0, np.pi
    max_dim = len(MICHALEWICZ_ARGMIN)

    def __init__(self, *, dim: int = 2, noise_std: float = 0.0, seed: int | None = None) -> None:
        super().__init__(dim=dim, noise_std=noise_std, seed=seed)
        self.optimizers = [MICHALEWICZ_ARGMIN[: self.dim]]
        self.optimal_value = -float(np.sum(MICHALEWICZ_MIN[: self.dim]))

    def evaluate(self, x: np.ndarray) -> float | np.ndarray:
        return michalewicz(np.asarray(x, dtype=float))


_SHEKEL_OPTIMA = {  # m -> (minimiser, minimum), refined numerically from (4, 4, 4, 4)
    5: ((4.00003715, 4.00013327, 4.00003715, 4.00013327), -10.153199679058231),
    7: ((4.00057291, 4.00068936, 3.99948971, 3.99960616), -10.402940566818664),
    10: ((4.00074671, 4.00059300, 3.99966351, 3.99950985), -10.536409816692046),
}


class Shekel(SyntheticFunction):
    """Shekel with m = 5, 7 or 10 foxholes on [0, 10]^4."""

    name = "shekel"
    dim = 4

    def __init__(self, *, m: int = 10, noise_std: float = 0.0, seed: int | None = None) -> None:
        if m not in _SHEKEL_OPTIMA or isinstance(m, bool):
            raise ValueError(f"m must be one of {sorted(_SHEKEL_OPTIMA)}, got {m!r}.")
        super().__init__(noise_std=noise_std, seed=seed)
        self.m = int(m)
        optimizer, self.optimal_value = _SHEKEL_OPTIMA[self.m]
        self.optimizers = [optimizer]

    @property
    def bounds(self) -> np.ndarray:
        return _box(0, 10, 4)

    def evaluate(self, x: np.ndarray) -> float | np.ndarray:
        return shekel(np.asarray(x, dtype=float), SHEKEL_A[: self.m], SHEKEL_C[: self.m])


CLASSICS: dict[str, type[SyntheticFunction]] = {
    cls.name: cls
    for cls in (
        Branin, Hartmann3, Hartmann6, Rosenbrock, Levy, Ackley, Griewank,
        Rastrigin, StyblinskiTang, SixHumpCamel, Michalewicz, Shekel,
    )
}  # fmt: skip

for _name, _cls in CLASSICS.items():
    register(_name)(_cls)
