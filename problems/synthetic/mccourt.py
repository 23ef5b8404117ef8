"""The McCourt functions of the SigOpt evalset (McCourt, 2016).

Each is a weighted sum of radial kernels sum_k coefs[k] * kernel(r_k(x)) on
[0, 1]^dim, where r_k measures the distance from x to centre k, scaled per
coordinate by e_mat[k]:

- "sq":  r = sum_j e_kj (x_j - c_kj)^2   (squared, weighted Euclidean)
- "l1":  r = sum_j sqrt(e_kj) |x_j - c_kj|
- "inf": r = max_j sqrt(e_kj) |x_j - c_kj|

The constants (centres, scales, coefficients, kernels) are those of the evalset
``test_funcs.py``; only the cases used by the 56-case suite are included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import j0


def _sqrt(r2: np.ndarray) -> np.ndarray:
    return np.sqrt(np.maximum(r2, 0.0))


# Kernels as functions of the distance value r ("sq" distances are squared).
KERNELS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "inverse_multiquadric": lambda r2: 1.0 / np.sqrt(1.0 + r2),
    "multiquadric": lambda r2: np.sqrt(1.0 + r2),
    "gaussian": lambda r2: np.exp(-r2),
    "cos_gaussian": lambda r2: np.cos(np.pi * _sqrt(r2)) * np.exp(-r2),
    "matern32": lambda r2: (1.0 + _sqrt(r2)) * np.exp(-_sqrt(r2)),
    "matern52_approx": lambda r2: (1.0 + _sqrt(r2) + 0.333 * r2) * np.exp(-_sqrt(r2)),
    "exponential": lambda r2: np.exp(-_sqrt(r2)),
    "bessel": lambda r2: j0(_sqrt(r2)),
    # for "l1" / "inf" distances r is already a norm, not a square
    "identity": lambda r: r,
    "exp_norm": lambda r: np.exp(-r),
    "bessel_norm": lambda r: j0(r),
}


@dataclass(frozen=True)
class McCourtSpec:
    """One McCourt function: kernel, distance, and the constants."""

    kernel: str
    distance: str
    centers: tuple[tuple[float, ...], ...]
    e_mat: tuple[tuple[float, ...], ...]
    coefs: tuple[float, ...]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        centers, e_mat, coefs = np.array(self.centers), np.array(self.e_mat), np.array(self.coefs)
        diff = np.asarray(x, dtype=float)[..., None, :] - centers
        if self.distance == "sq":
            r = np.sum(e_mat * diff**2, axis=-1)
        elif self.distance == "l1":
            r = np.sum(np.sqrt(e_mat) * np.abs(diff), axis=-1)
        else:
            r = np.max(np.sqrt(e_mat) * np.abs(diff), axis=-1)
        return np.sum(coefs * KERNELS[self.kernel](r), axis=-1)


def _scaled(factor: float, rows: list[list[float]]) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(factor * v for v in row) for row in rows)


def _rows(values: list[float], dim: int) -> list[list[float]]:
    """Rows whose entries are all equal (most scale matrices are like this)."""
    return [[v] * dim for v in values]


_C7 = [
    [.1, .1, .1, .1, .1, .1, .1],
    [.3, .1, .5, .1, .8, .8, .6],
    [.6, .7, .8, .3, .7, .8, .6],
    [.4, .7, .4, .9, .4, .1, .9],
    [.9, .3, .3, .5, .2, .7, .2],
    [.5, .5, .2, .8, .5, .3, .4],
]  # fmt: skip

_C8_10 = [
    [.1, .1, .1, .1, .1, .1, .1, .1],
    [.3, .1, .5, .1, .8, .8, .6, .4],
    [.6, .7, .8, .3, .7, .8, .6, .9],
    [.7, 0, .7, 1, .3, 0, .8, .6],
    [.4, .6, .4, 1, .4, .2, 1, .3],
    [.5, .5, .2, .8, .5, .3, .4, .5],
    [.1, .2, 1, .4, .5, .6, .7, 0],
    [.9, .4, .3, .5, .2, .7, .2, .4],
    [0, .5, .3, .2, .1, .9, .3, .7],
    [.2, .8, .6, .4, .6, .6, .5, 0],
]  # fmt: skip

_C2_10 = [
    [0.1, 0.1],
    [0.3, 0.8],
    [0.6, 0.7],
    [0.7, 0.1],
    [0.4, 0.3],
    [0.2, 0.8],
    [0.1, 0.2],
    [0.9, 0.4],
    [0.5, 0.5],
    [0, 0.8],
]
_E2_10 = [1, 1, 1, 0.5, 1, 3, 0.5, 1, 2, 1]

MCCOURT: dict[str, McCourtSpec] = {
    "McCourt01": McCourtSpec(
        "inverse_multiquadric", "sq", _scaled(1, _C7), _scaled(5, _rows([1] * 6, 7)), (1, 1, -2, 1, 1, 1)
    ),
    "McCourt03": McCourtSpec(
        "gaussian",
        "sq",
        _scaled(
            1,
            [
                [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
                [0.3, 0.1, 0.5, 0.1, 0.8, 0.8, 0.6, 0.4, 0.2],
                [0.6, 0.7, 0.8, 0.3, 0.7, 0.8, 0.6, 0.9, 0.1],
                [0.7, 0.2, 0.7, 0.7, 0.3, 0.3, 0.8, 0.6, 0.4],
                [0.4, 0.6, 0.4, 0.9, 0.4, 0.1, 0.9, 0.3, 0.3],
                [0.5, 0.5, 0.2, 0.8, 0.5, 0.3, 0.4, 0.5, 0.8],
                [0.8, 0.3, 0.3, 0.5, 0.2, 0.7, 0.2, 0.4, 0.6],
                [0.8, 0.3, 0.3, 0.5, 0.2, 0.7, 0.2, 0.4, 0.6],
                [0.8, 0.3, 0.3, 0.5, 0.2, 0.7, 0.2, 0.4, 0.6],
            ],
        ),
        _scaled(1, _rows([1, 1, 1, 1, 1, 1, 0.1, 0.5, 1], 9)),
        (1, -1, 1, 1, 1, 1, -1, -2, -1),
    ),  # fmt: skip
    "McCourt06": McCourtSpec(
        "multiquadric",
        "sq",
        _scaled(
            1,
            [
                [0.1, 0.1, 0.1, 0.1, 0.1],
                [0.3, 0.8, 0.8, 0.6, 0.9],
                [0.6, 0.1, 0.2, 0.5, 0.2],
                [0.7, 0.2, 0.1, 0.8, 0.9],
                [0.4, 0.6, 0.5, 0.3, 0.8],
                [0.9, 0.5, 0.3, 0.2, 0.4],
                [0.2, 0.8, 0.6, 0.4, 0.6],
            ],
        ),
        _scaled(0.4, _rows([1, 0.5, 1, 0.2, 0.5, 1, 1], 5)),
        (-3, 2, -2, 4, -1, 5, -1),
    ),  # fmt: skip
    "McCourt07": McCourtSpec(
        "matern32",
        "sq",
        _scaled(
            1,
            [
                [0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
                [0.3, 0.8, 0.8, 0.6, 0.9, 0.4],
                [0.6, 1, 0.2, 0, 1, 0.3],
                [0.7, 0.2, 0.1, 0.8, 0.9, 0.2],
                [0.4, 0.6, 0.5, 0.3, 0.8, 0.3],
                [0.9, 0.5, 0.3, 0.2, 0.4, 0.8],
                [0.2, 0.8, 0.6, 0.4, 0.6, 0.9],
            ],
        ),
        _scaled(0.7, _rows([1, 0.5, 1, 0.2, 0.5, 1, 0.7], 6)),
        (2, 2, -4, 1, -2, 4, -2),
    ),  # fmt: skip
    "McCourt08": McCourtSpec(
        "matern52_approx",
        "sq",
        _scaled(
            1,
            [
                [0.1, 0.1, 0.1, 0.1],
                [0.3, 0.8, 0.9, 0.4],
                [0.6, 1, 0.2, 0],
                [0.7, 0.2, 0.1, 0.8],
                [0.4, 0, 0.8, 1],
                [0.9, 0.5, 0.3, 0.2],
                [0.2, 0.8, 0.6, 0.4],
            ],
        ),
        _scaled(
            0.7,
            [
                [1, 1, 1, 1],
                [0.5, 0.5, 0.5, 0.5],
                [1, 3, 1, 3],
                [0.5, 0.5, 0.5, 0.5],
                [2, 1, 2, 1],
                [1, 1, 1, 1],
                [0.7, 0.7, 0.7, 0.7],
            ],
        ),
        (2, 1, -8, 1, -5, 3, 2),
    ),  # fmt: skip
    "McCourt09": McCourtSpec(
        "cos_gaussian",
        "sq",
        _scaled(
            1,
            [
                [0.1, 0.1, 0.1],
                [0.3, 0.8, 0.9],
                [0.6, 1, 0.2],
                [0.6, 1, 0.2],
                [0.7, 0.2, 0.1],
                [0.4, 0, 0.8],
                [0.9, 0.5, 1],
                [0, 0.8, 0.6],
            ],
        ),
        _scaled(
            0.6,
            [
                [1, 1, 1],
                [0.6, 0.6, 0.6],
                [1, 0.5, 1],
                [4, 10, 4],
                [0.5, 0.5, 0.5],
                [0.5, 1, 0.5],
                [1, 1, 1],
                [0.3, 0.5, 0.5],
            ],
        ),
        (4, -3, -6, -2, 1, -3, 6, 2),
    ),  # fmt: skip
    "McCourt10": McCourtSpec(
        "inverse_multiquadric",
        "sq",
        _scaled(1, _C8_10),
        _scaled(0.8, _rows([1, 1, 1, 0.5, 1, 3, 0.5, 1, 2, 1], 8)),
        (5, -2, 5, -5, -12, -2, 10, 2, -5, 5),
    ),
    "McCourt11": McCourtSpec(
        "exponential",
        "sq",
        _scaled(1, _C8_10),
        _scaled(0.5, _rows([1, 1, 1, 0.5, 1, 3, 0.5, 1, 2, 1], 8)),
        (5, -2, 5, -5, -7, -2, 10, 2, -5, 5),
    ),
    "McCourt12": McCourtSpec(
        "bessel",
        "sq",
        _scaled(1, [row[:7] for row in _C8_10]),
        _scaled(0.7, _rows([1, 1, 1, 0.5, 1, 10, 0.5, 1, 2, 1], 7)),
        (5, -4, 5, -5, -7, -2, 10, 2, -5, 5),
    ),
    "McCourt13": McCourtSpec(
        "gaussian",
        "sq",
        _scaled(
            1,
            [
                [0.9, 0.9, 0.9],
                [0.9, 0.9, 1],
                [0.9, 1, 0.9],
                [1, 0.9, 0.9],
                [1, 1, 1],
                [1, 0, 0],
                [0.5, 0, 0],
                [0, 1, 0],
                [0, 0.7, 0],
                [0, 0, 0],
                [0.4, 0.3, 0.6],
                [0.7, 0.7, 0.7],
                [0.7, 0.7, 1],
                [1, 0.7, 0.7],
                [0.7, 1, 0.7],
            ],
        ),
        _scaled(
            0.8,
            [[9.5] * 3] * 5
            + [[1, 0.5, 1], [2, 0.5, 1], [0.5, 0.5, 0.5], [0.5, 1, 0.5], [1, 1, 1], [2, 2, 3.5]]
            + [[8.5] * 3] * 4,
        ),
        (4, 4, 4, 4, -12, 1, 3, -2, 5, -2, 1, -2, -2, -2, -2),
    ),  # fmt: skip
    "McCourt14": McCourtSpec("gaussian", "sq", ((0.1, 0.8, 0.3),), ((5, 5, 5),), (-5,)),
    "McCourt16": McCourtSpec(
        "inverse_multiquadric",
        "sq",
        ((0.3, 0.8, 0.3, 0.6), (0.4, 0.9, 0.4, 0.7)),
        _scaled(5, _rows([1, 1], 4)),
        (-5, 5),
    ),
    "McCourt17": McCourtSpec(
        "inverse_multiquadric",
        "sq",
        ((0.3, 0.8, 0.3, 0.6, 0.2, 0.8, 0.5), (0.8, 0.3, 0.8, 0.2, 0.5, 0.2, 0.8), (0.2, 0.7, 0.2, 0.5, 0.4, 0.7, 0.3)),
        _scaled(4, _rows([1, 1, 1], 7)),
        (-5, 5, 5),
    ),
    "McCourt18": McCourtSpec(
        "matern32",
        "sq",
        _scaled(
            1,
            [[0.3, 0.8, 0.3, 0.6, 0.2, 0.8, 0.2, 0.4]] * 3
            + [[0.8, 0.3, 0.8, 0.2, 0.5, 0.2, 0.5, 0.7], [0.2, 0.7, 0.2, 0.5, 0.4, 0.3, 0.8, 0.8]],
        ),
        _scaled(1, _rows([0.5, 1, 4, 4, 4], 8)),
        (-1, 2, -5, 4, 4),
    ),  # fmt: skip
    "McCourt19": McCourtSpec(
        "identity", "l1", _scaled(1, _C2_10), _scaled(3, _rows(_E2_10, 2)), (-5, 4, -5, 5, 4, 2, -10, -4, 5, 5)
    ),
    "McCourt20": McCourtSpec(
        "exp_norm", "l1", _scaled(1, _C2_10), _scaled(50, _rows(_E2_10, 2)), (5, -4, 5, -7, -4, -2, 10, 4, -2, -5)
    ),
    "McCourt23": McCourtSpec(
        "bessel_norm",
        "inf",
        _scaled(
            1,
            [
                [0.1, 0.1, 1, 0.3, 0.4, 0.1],
                [0, 0, 0.1, 0.6, 0, 0.7],
                [0.1, 0.5, 0.7, 0, 0.7, 0.3],
                [0.9, 0.6, 0.2, 0.9, 0.3, 0.8],
                [0.8, 0.3, 0.7, 0.7, 0.2, 0.7],
                [0.7, 0.6, 0.5, 1, 1, 0.7],
                [0.8, 0.9, 0.5, 0, 0, 0.5],
                [0.3, 0, 0.3, 0.2, 0.1, 0.8],
            ],
        ),
        _scaled(
            0.1,
            [
                [4, 5, 5, 4, 1, 5],
                [2, 4, 5, 1, 2, 2],
                [1, 4, 3, 2, 2, 3],
                [4, 2, 3, 4, 1, 4],
                [2, 3, 6, 6, 4, 1],
                [5, 4, 1, 4, 1, 1],
                [2, 2, 2, 5, 4, 2],
                [1, 4, 6, 3, 4, 3],
            ],
        ),
        (1, -2, 3, -20, 5, -2, -1, -2),
    ),  # fmt: skip
    "McCourt26": McCourtSpec(
        "exp_norm",
        "l1",
        _scaled(
            1,
            [
                [0.5, 0.2, 0],
                [0.6, 0.2, 0.5],
                [0.4, 0.6, 0.5],
                [0.5, 0.7, 0.3],
                [0.4, 0.4, 0.4],
                [0.8, 0.5, 0.8],
                [0, 0, 0.8],
                [0.7, 0.7, 0.2],
                [0.9, 0.3, 1],
                [0.4, 0.4, 0.8],
                [0.2, 0.8, 0.8],
            ],
        ),
        _scaled(
            0.5,
            [
                [2, 2, 2],
                [6, 5, 3],
                [3, 3, 3],
                [5, 2, 5],
                [4, 6, 3],
                [2, 2, 3],
                [2, 4, 1],
                [4, 6, 4],
                [1, 3, 4],
                [3, 2, 2],
                [6, 2, 3],
            ],
        ),
        (1, 2, 3, -5, 3, -2, 1, -2, 5, 2, -2),
    ),  # fmt: skip
    "McCourt28": McCourtSpec(
        "gaussian",
        "sq",
        _scaled(
            1,
            [
                [0.6, 0.2, 0.8, 0.4],
                [0.1, 0.1, 0.7, 0.9],
                [1, 0.1, 0.8, 0.6],
                [0, 0.3, 0.2, 1],
                [0.2, 1, 0.8, 0],
                [0.6, 0.9, 0.2, 0.9],
                [0.1, 0.7, 0.6, 0.8],
                [0.8, 0.4, 0.3, 0.2],
                [0.1, 1, 0.8, 0.2],
                [0.3, 0.9, 0.9, 0],
                [0.8, 1, 0.6, 0.9],
            ],
        ),
        _scaled(
            1,
            [
                [1, 1, 1, 1],
                [5, 3, 3, 3],
                [4, 6, 2, 4],
                [4, 1, 6, 3],
                [2, 5, 3, 5],
                [5, 4, 6, 1],
                [6, 4, 1, 6],
                [5, 1, 2, 1],
                [1, 5, 4, 2],
                [1, 3, 3, 2],
                [4, 6, 6, 2],
            ],
        ),
        (-10, 2, 3, 5, 3, 2, 1, 2, 5, 2, 2),
    ),  # fmt: skip
}
