"""Formulas, boxes and published optima of the SigOpt evalset functions.

Source: the evalset ``test_funcs.py`` (Dewancker, McCourt, Clark, Hayes, Johnson,
Ke, 2016), which collects Gavana's AMPGO global-optimisation benchmarks plus
McCourt's kernel functions (problems/synthetic/mccourt.py). Boxes follow the
evalset, which often shifts them away from the textbook ones (Ackley on
[-10, 30], Sphere on [-5.12, 2.12], ...) so the optimum is not at the centre.

Quirks kept on purpose, because the 56-case suite is defined by this code:
- evalset "Easom" is the Ackley formula on [-100, 20]^d (not Easom's cos*exp);
- "Sargan" is d*sum(x^2) + 0.4*d^2*sum(x_i x_{i+1}), as coded there.

Every formula works on the last axis: x of shape (..., dim) gives values of
shape (...). The published optimum (``min_loc``/``fmin``) is only the starting
point: problems/synthetic/evalset.py stores optima refined numerically
(see docs/problems.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .classic import ackley, michalewicz, shekel, styblinski_tang
from .mccourt import MCCOURT


def _unpack(x: np.ndarray) -> tuple[np.ndarray, ...]:
    return tuple(np.moveaxis(np.asarray(x, dtype=float), -1, 0))


def adjiman(x: np.ndarray) -> np.ndarray:
    x1, x2 = _unpack(x)
    return np.cos(x1) * np.sin(x2) - x1 / (x2**2 + 1)


def alpine02(x: np.ndarray) -> np.ndarray:
    return np.prod(np.sqrt(x) * np.sin(x), axis=-1)


def carrom_table(x: np.ndarray) -> np.ndarray:
    x1, x2 = _unpack(x)
    inner = np.cos(x1) * np.cos(x2) * np.exp(np.abs(1 - np.sqrt(x1**2 + x2**2) / np.pi))
    return -(inner**2) / 30


def csendes(x: np.ndarray) -> np.ndarray:
    # The term is 0 at x = 0 (x**6 wins); evalset adds eps to x instead, which
    # gives nan at x = -eps, so zero is special-cased here.
    x = np.asarray(x, dtype=float)
    safe = np.where(x == 0, 1.0, x)
    return np.sum(np.where(x == 0, 0.0, x**6 * (2 + np.sin(1 / safe))), axis=-1)


def deflected_corrugated_spring(x: np.ndarray, alpha: float = 5.0, k: float = 5.0) -> np.ndarray:
    r2 = np.sum((x - alpha) ** 2, axis=-1)
    return -np.cos(k * np.sqrt(r2)) + 0.1 * r2


def hartmann3_evalset(x: np.ndarray) -> np.ndarray:
    from .classic import HARTMANN3_A, HARTMANN_ALPHA, hartmann

    # evalset uses 0.03815 where the textbook table has 0.0381
    p = np.array(
        [[0.3689, 0.117, 0.2673], [0.4699, 0.4387, 0.747], [0.1091, 0.8732, 0.5547], [0.03815, 0.5743, 0.8828]]
    )
    return hartmann(x, HARTMANN_ALPHA, HARTMANN3_A, p)


def hartmann6(x: np.ndarray) -> np.ndarray:
    from .classic import HARTMANN6_A, HARTMANN6_P, HARTMANN_ALPHA, hartmann

    return hartmann(x, HARTMANN_ALPHA, HARTMANN6_A, HARTMANN6_P)


def helical_valley(x: np.ndarray) -> np.ndarray:
    x1, x2, x3 = _unpack(x)
    theta = np.arctan2(x2, x1) / (2 * np.pi)
    return 100 * ((x3 - 10 * theta) ** 2 + (np.sqrt(x1**2 + x2**2) - 1) ** 2) + x3**2


def lennard_jones6(x: np.ndarray) -> np.ndarray:
    """Energy of two atoms (dim 6); evalset adds 1e-8 to r^6 and caps the value at 0."""
    x = np.asarray(x, dtype=float)
    r2 = np.sum((x[..., 0:3] - x[..., 3:6]) ** 2, axis=-1)
    u = r2**3 + 1e-8
    energy = np.where(r2 > 0, (1 / u - 2) / u, 0.0)
    return np.minimum(energy, 0.0)


def mishra06(x: np.ndarray) -> np.ndarray:
    x1, x2 = _unpack(x)
    a = np.sin((np.cos(x1) + np.cos(x2)) ** 2) ** 2
    b = np.cos((np.sin(x1) + np.sin(x2)) ** 2) ** 2
    with np.errstate(divide="ignore"):  # log(0) = -inf gives +inf: a pole, never a minimum
        return -np.log((a - b + x1) ** 2) + 0.1 * ((x1 - 1) ** 2 + (x2 - 1) ** 2)


def ned01(x: np.ndarray) -> np.ndarray:
    x1, x2 = _unpack(x)
    return np.abs(np.cos(np.sqrt(np.abs(x1**2 + x2)))) ** 0.5 + 0.01 * x1 + 0.01 * x2


def odd_square(x: np.ndarray) -> np.ndarray:
    diff2 = (np.asarray(x, dtype=float) - np.array([1.0, 1.3])) ** 2
    d = 2 * np.max(diff2, axis=-1)
    h = np.sum(diff2, axis=-1)
    return -np.exp(-d / (2 * np.pi)) * np.cos(np.pi * d) * (1 + 0.02 * h / (d + 0.01))


def parsopoulos(x: np.ndarray) -> np.ndarray:
    x1, x2 = _unpack(x)
    return np.cos(x1) ** 2 + np.sin(x2) ** 2


def pinter(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    prev, nxt = np.roll(x, 1, axis=-1), np.roll(x, -1, axis=-1)  # cyclic neighbours
    i = np.arange(1, x.shape[-1] + 1)
    a = prev * np.sin(x) + np.sin(nxt)
    b = prev**2 - 2 * x + 3 * nxt - np.cos(x) + 1
    return np.sum(i * x**2 + 20 * i * np.sin(a) ** 2 + i * np.log10(1 + i * b**2), axis=-1)


def plateau(x: np.ndarray) -> np.ndarray:
    return 30 + np.sum(np.floor(np.abs(x)), axis=-1)


def problem03(x: np.ndarray) -> np.ndarray:
    (x1,) = _unpack(x)
    k = np.arange(1, 6).reshape((5,) + (1,) * np.ndim(x1))
    return -np.sum(k * np.sin((k + 1) * x1 + k), axis=0)


def rosenbrock_log(x: np.ndarray) -> np.ndarray:
    from .classic import rosenbrock

    return np.log1p(rosenbrock(np.asarray(x, dtype=float)))


def sargan(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    d = x.shape[-1]
    cross = np.sum(x[..., :-1] * x[..., 1:], axis=-1)
    return d * np.sum(x**2, axis=-1) + 0.4 * d * d * cross


def schwefel20(x: np.ndarray) -> np.ndarray:
    return np.sum(np.abs(x), axis=-1)


def schwefel36(x: np.ndarray) -> np.ndarray:
    x1, x2 = _unpack(x)
    return -x1 * x2 * (72 - 2 * x1 - 2 * x2)


SHEKEL05_A = np.array([[4, 4, 4, 4], [1, 1, 1, 1], [8, 8, 8, 8], [6, 6, 6, 6], [3, 7, 3, 7]], dtype=float)
SHEKEL05_C = np.array([0.1, 0.2, 0.2, 0.4, 0.6])  # evalset's c (the textbook has 0.4 last)


def shekel05(x: np.ndarray) -> np.ndarray:
    return shekel(x, SHEKEL05_A, SHEKEL05_C)


def sphere(x: np.ndarray) -> np.ndarray:
    return np.sum(np.asarray(x, dtype=float) ** 2, axis=-1)


def tripod(x: np.ndarray) -> np.ndarray:
    x1, x2 = _unpack(x)
    p1, p2 = (x1 >= 0).astype(float), (x2 >= 0).astype(float)
    return p2 * (1 + p1) + np.abs(x1 + 50 * p2 * (1 - 2 * p1)) + np.abs(x2 + 50 * (1 - 2 * p2))


def xor(x: np.ndarray) -> np.ndarray:
    """Error of a tiny 2-2-1 sigmoid network on XOR (9 weights)."""
    w = _unpack(x)

    def sig(z: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-z))

    f1 = sig(w[6] * sig(w[0] + w[1] + w[4]) + w[7] * sig(w[2] + w[3] + w[5]) + w[8]) ** 2
    f2 = sig(w[6] * sig(w[4]) + w[7] * sig(w[5]) + w[8]) ** 2
    f3 = (1 - sig(w[6] * sig(w[0] + w[4]) + w[7] * sig(w[2] + w[5]) + w[8])) ** 2
    f4 = (1 - sig(w[6] * sig(w[1] + w[4]) + w[7] * sig(w[3] + w[5]) + w[8])) ** 2
    return f1 + f2 + f3 + f4


@dataclass(frozen=True)
class EvalsetSpec:
    """One evalset function: formula, box and the published optimum for a dimension.

    ``bounds``, ``min_loc`` and ``fmin`` are callables of the dimension;
    ``dims`` lists the dimensions the function is defined for (None = any).
    """

    formula: Callable[[np.ndarray], np.ndarray]
    bounds: Callable[[int], list[tuple[float, float]]]
    min_loc: Callable[[int], tuple[float, ...]]
    fmin: Callable[[int], float]
    dims: tuple[int, ...] | None = None


def _box(low: float, high: float) -> Callable[[int], list[tuple[float, float]]]:
    return lambda d: [(low, high)] * d


def _fixed(*values: float) -> Callable[[int], tuple[float, ...]]:
    return lambda d: tuple(values)


def _repeat(value: float) -> Callable[[int], tuple[float, ...]]:
    return lambda d: (value,) * d


def _const(value: float) -> Callable[[int], float]:
    return lambda d: value


_MICH_ARGMIN = (2.202905513296628, 1.570796322320509, 1.284991564577549, 1.923058467505610,
                1.720469766517768, 1.570796319218113, 1.454413962081172, 1.756086513575824)  # fmt: skip
_MICH_MIN = (0.8013034100985499, 1, 0.9590912698958649, 0.9384624184720668,
             0.9888010806214966, 1, 0.9932271353558245, 0.9828720362721659)  # fmt: skip

_MCCOURT_BOX = _box(0.0, 1.0)
_MCCOURT_OPTIMA: dict[str, tuple[tuple[float, ...], float]] = {  # published (min_loc, fmin)
    "McCourt01": ((0.6241, 0.7688, 0.8793, 0.2739, 0.7351, 0.8499, 0.6196), -0.0859426686096),
    "McCourt03": ((0.9317, 0.1891, 0.2503, 0.3646, 0.1603, 0.9829, 0.0392, 0.3263, 0.6523), -3.02379637466),
    "McCourt06": ((1, 1, 0.7636, 0.5268, 1), 2.80720263234),
    "McCourt07": ((0.3811, 1, 0.2312, 0, 1, 0.1403), -0.36321372933),
    "McCourt08": ((0.5067, 1, 0.5591, 0.0823), -3.45224058874),
    "McCourt09": ((0.594, 1, 0.205), -10.17146707797),
    "McCourt10": ((0.5085, 0.5433, 0.2273, 1, 0.3381, 0.0255, 1, 0.5038), -2.51939597030),
    "McCourt11": ((0.4, 0.6, 0.4, 1, 0.4, 0.2, 1, 0.3), -0.39045528652),
    "McCourt12": ((0.4499, 0.4553, 0.0046, 1, 0.3784, 0.3067, 0.6173), 3.54274987790),
    "McCourt13": ((1, 1, 1), 1.49048296359),
    "McCourt14": ((0.1, 0.8, 0.3), -5.0),
    "McCourt16": ((0.1858, 0.6858, 0.1858, 0.4858), -0.84221700966),
    "McCourt17": ((0.3125, 0.9166, 0.3125, 0.7062, 0.0397, 0.9270, 0.5979), -0.47089199032),
    "McCourt18": ((0.2677, 0.8696, 0.2677, 0.6594, 0.1322, 0.9543, 0.0577, 0.295), -1.42906223657),
    "McCourt19": ((0.4, 0.8), -8.67263950474),
    "McCourt20": ((0.7, 0.1), -6.59763663216),
    "McCourt23": ((0.7268, 0.3914, 0, 0.7268, 0.5375, 0.8229), -18.35750245671),
    "McCourt26": ((0.5, 0.8, 0.3), -1.55349754312),
    "McCourt28": ((0.4493, 0.0667, 0.9083, 0.2710), -7.69432628909),
}

EVALSET: dict[str, EvalsetSpec] = {
    "Ackley": EvalsetSpec(ackley, _box(-10, 30), _repeat(0.0), _const(0.0)),
    "Adjiman": EvalsetSpec(adjiman, lambda d: [(-1, 2), (-1, 1)], _fixed(2, 0.10578), _const(-2.02180678), (2,)),
    "Alpine02": EvalsetSpec(alpine02, _box(0, 10), _fixed(7.91705268, 4.81584232), _const(-6.12950389113), (2,)),
    "CarromTable": EvalsetSpec(
        carrom_table, _box(-10, 10), _fixed(9.646157266348881, 9.646134286497169), _const(-24.15681551650653), (2,)
    ),
    "Csendes": EvalsetSpec(csendes, _box(-0.5, 1), _repeat(0.0), _const(0.0)),
    "DeflectedCorrugatedSpring": EvalsetSpec(deflected_corrugated_spring, _box(0, 7.5), _repeat(5.0), _const(-1.0)),
    "Easom": EvalsetSpec(ackley, _box(-100, 20), _repeat(0.0), _const(0.0)),
    "Hartmann3": EvalsetSpec(
        hartmann3_evalset, _box(0, 1), _fixed(0.1, 0.55592003, 0.85218259), _const(-3.86278214782076), (3,)
    ),
    "Hartmann6": EvalsetSpec(
        hartmann6,
        _box(0, 1),
        _fixed(0.20168952, 0.15001069, 0.47687398, 0.27533243, 0.31165162, 0.65730054),
        _const(-3.32236801141551),
        (6,),
    ),
    "HelicalValley": EvalsetSpec(helical_valley, _box(-1, 2), _fixed(1, 0, 0), _const(0.0), (3,)),
    "LennardJones6": EvalsetSpec(
        lennard_jones6,
        _box(-3, 3),
        _fixed(-2.66666470373, 2.73904387714, 1.42304625988, -1.95553276732, 2.81714839844, 2.12175295546),
        _const(-1.0),
        (6,),
    ),
    "Michalewicz": EvalsetSpec(
        michalewicz,
        _box(0, np.pi),
        lambda d: _MICH_ARGMIN[:d],
        lambda d: -float(sum(_MICH_MIN[:d])),
        tuple(range(1, len(_MICH_ARGMIN) + 1)),
    ),
    "Mishra06": EvalsetSpec(mishra06, _box(-10, 10), _fixed(2.88631, 1.82326), _const(-2.28395), (2,)),
    "Ned01": EvalsetSpec(ned01, _box(-10, 10), _fixed(-8.4666, -9.9988), _const(-0.17894509347721144), (2,)),
    "OddSquare": EvalsetSpec(
        odd_square,
        _box(-3 * np.pi, 3 * np.pi),
        _fixed(0.912667308214834, 1.212667322565022),
        _const(-1.008467279147474),
        (2,),
    ),
    "Parsopoulos": EvalsetSpec(parsopoulos, _box(-5, 5), _fixed(np.pi / 2, np.pi), _const(0.0), (2,)),
    "Pinter": EvalsetSpec(pinter, _box(-5, 2), _repeat(0.0), _const(0.0)),
    "Plateau": EvalsetSpec(plateau, _box(-2.34, 5.12), _repeat(0.0), _const(30.0)),
    "Problem03": EvalsetSpec(problem03, _box(-10, 10), _fixed(-6.7745761), _const(-12.03124), (1,)),
    "RosenbrockLog": EvalsetSpec(
        rosenbrock_log,
        lambda d: [
            (-2, 2),
            (-2, 1.1),
            (0.5, 2),
            (-2, 2),
            (0.8, 2),
            (-2, 1.5),
            (-2, 2),
            (-2, 1.2),
            (0.7, 2),
            (-2, 2),
            (-2, 2),
        ],
        _repeat(1.0),
        _const(0.0),
        (11,),
    ),  # fmt: skip
    "Sargan": EvalsetSpec(sargan, _box(-2, 4), _repeat(0.0), _const(0.0)),
    "Schwefel20": EvalsetSpec(schwefel20, _box(-60, 100), _repeat(0.0), _const(0.0)),
    "Schwefel36": EvalsetSpec(schwefel36, _box(0, 20), _fixed(12, 12), _const(-3456.0), (2,)),
    "Shekel05": EvalsetSpec(shekel05, _box(0, 10), _repeat(4.0), _const(-10.152719932456289), (4,)),
    "Sphere": EvalsetSpec(sphere, _box(-5.12, 2.12), _repeat(0.0), _const(0.0)),
    "StyblinskiTang": EvalsetSpec(
        styblinski_tang, _box(-5, 5), _repeat(-2.903534018185960), lambda d: -39.16616570377142 * d
    ),
    "Tripod": EvalsetSpec(tripod, _box(-100, 100), _fixed(0, -50), _const(0.0), (2,)),
    "Xor": EvalsetSpec(
        xor, _box(-1, 1), _fixed(1, -1, 1, -1, -1, 1, 1, -1, 0.421457080713797), _const(0.959758757011962), (9,)
    ),
}

for _name, (_loc, _fmin) in _MCCOURT_OPTIMA.items():
    EVALSET[_name] = EvalsetSpec(MCCOURT[_name], _MCCOURT_BOX, _fixed(*_loc), _const(_fmin), (len(_loc),))
