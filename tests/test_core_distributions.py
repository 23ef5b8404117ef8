"""Distributions: validation, internal/external representation, JSON round trip, compatibility."""

from __future__ import annotations

import math
import warnings

import pytest

from hpobench.distributions import (
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
    check_distribution_compatibility,
    check_same_distribution,
    distribution_to_json,
    json_to_distribution,
)

ALL = [
    FloatDistribution(-1.5, 2.0),
    FloatDistribution(1e-5, 1.0, log=True),
    FloatDistribution(0.0, 1.0, step=0.1),
    FloatDistribution(3.0, 3.0),
    IntDistribution(0, 10),
    IntDistribution(1, 1024, log=True),
    IntDistribution(-4, 8, step=3),
    CategoricalDistribution(["a", 1, 2.5, None, True, False, 0]),
]


@pytest.mark.parametrize("dist", ALL, ids=repr)
def test_json_round_trip_is_equal_and_hashes_equal(dist):
    back = json_to_distribution(distribution_to_json(dist))
    assert back == dist and hash(back) == hash(dist) and type(back) is type(dist)


def test_float_grid_fits_exactly_in_decimal():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an exact fit lowers nothing and warns nothing
        assert FloatDistribution(0.0, 1.0, step=0.1).high == 1.0  # 1.0 / 0.1 is not exact in binary floats
        assert FloatDistribution(0.3, 0.9, step=0.2).high == 0.9
    with pytest.warns(UserWarning, match=r"replaced with \[0.0, 1.0\]"):
        assert FloatDistribution(0.0, 1.1, step=0.25).high == 1.0


def test_float_contains_respects_range_and_grid():
    dist = FloatDistribution(0.0, 1.0, step=0.25)
    assert dist.contains(0.75) and not dist.contains(0.8) and not dist.contains(1.25)
    assert FloatDistribution(0, 1).contains(0.123) and not FloatDistribution(0, 1).contains(-0.1)


def test_int_representation_and_contains():
    dist = IntDistribution(-4, 8, step=3)
    assert dist.to_internal_repr(5) == 5.0 and dist.to_external_repr(5.0) == 5
    assert type(dist.to_external_repr(5.0)) is int
    assert dist.contains(-1.0) and not dist.contains(0.0) and not dist.contains(11.0) and not dist.contains(2.5)
    with pytest.raises(ValueError, match="True is not an int value"):
        dist.to_internal_repr(True)


@pytest.mark.parametrize(
    "dist, single",
    [
        (FloatDistribution(1.0, 1.0), True),
        (FloatDistribution(0.0, 0.5, step=1.0 / 2), False),
        (IntDistribution(3, 3), True),
        (IntDistribution(0, 2, step=2), False),
        (IntDistribution(0, 1), False),
        (CategoricalDistribution(["only"]), True),
        (CategoricalDistribution([1, 2]), False),
    ],
)
def test_single(dist, single):
    assert dist.single() is single


def test_categorical_keeps_each_choice_and_its_type():
    dist = CategoricalDistribution(["a", 1, 1.0, True, None])
    for index, choice in enumerate(dist.choices):
        internal = dist.to_internal_repr(choice)
        assert internal == index
        back = dist.to_external_repr(internal)
        assert back == choice and type(back) is type(choice)
    with pytest.raises(ValueError, match=r"'b' is not one of the choices"):
        dist.to_internal_repr("b")
    assert not dist.contains(5.0) and not dist.contains(0.5) and dist.contains(4.0)


def test_categorical_with_nan_choice():
    dist = CategoricalDistribution([math.nan, 1.0])
    assert dist.to_internal_repr(math.nan) == 0.0


def test_categorical_equality_distinguishes_bool_from_int():
    assert CategoricalDistribution([True, 0]) != CategoricalDistribution([1, 0])
    assert CategoricalDistribution([1, 2]) == CategoricalDistribution((1, 2))


def test_float_rejects_nan_values():
    with pytest.raises(ValueError, match="NaN is not a valid value"):
        FloatDistribution(0, 1).to_internal_repr(math.nan)
    with pytest.raises(ValueError, match="'x' is not a float value"):
        FloatDistribution(0, 1).to_internal_repr("x")


def test_same_distribution_names_both_distributions():
    check_same_distribution("a", IntDistribution(0, 3), IntDistribution(0, 3))
    with pytest.raises(
        ValueError,
        match=r"Parameter 'a' was suggested with IntDistribution\(low=0, high=3.*IntDistribution\(low=0, high=4",
    ):
        check_same_distribution("a", IntDistribution(0, 3), IntDistribution(0, 4))


def test_compatibility_allows_other_ranges_but_not_other_kinds():
    check_distribution_compatibility(IntDistribution(0, 3), IntDistribution(0, 4))
    with pytest.raises(ValueError, match=r"different kinds"):
        check_distribution_compatibility(IntDistribution(0, 3), FloatDistribution(0, 3))
    with pytest.raises(ValueError, match=r"different log flags"):
        check_distribution_compatibility(FloatDistribution(1, 3), FloatDistribution(1, 3, log=True))
    with pytest.raises(ValueError, match=r"different choices"):
        check_distribution_compatibility(CategoricalDistribution([1, 2]), CategoricalDistribution([1, 3]))


def test_unknown_distribution_json():
    with pytest.raises(ValueError, match="Unknown distribution 'Normal'"):
        json_to_distribution('{"name": "Normal", "attributes": {}}')
