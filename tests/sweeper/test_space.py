"""The sweeper's search-space grammar (hydra-optuna-sweeper's) and values written back as overrides."""

from __future__ import annotations

import pytest
from hydra.core.override_parser.overrides_parser import OverridesParser

from hpobench.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from hpobench.sweeper._space import override_value, parse_search_space


def _space(**params: str):
    return {p.name: p for p in parse_search_space(params, []).params}


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("interval(0, 1)", FloatDistribution(0.0, 1.0)),
        ("tag(log, interval(1e-4, 1e-1))", FloatDistribution(1e-4, 1e-1, log=True)),
        ("int(interval(1, 64))", IntDistribution(1, 64)),
        ("tag(log, int(interval(1, 64)))", IntDistribution(1, 64, log=True)),
        ("range(1, 5)", IntDistribution(1, 5)),  # stop included, as in Optuna's sweeper
        ("range(1, 10, 2)", IntDistribution(1, 9, step=2)),  # stop off the grid: cut to the last point
        ("range(-5.5, 5.5, 0.5)", FloatDistribution(-5.5, 5.5, step=0.5)),
        ("range(0.1, 1.0, 0.2)", FloatDistribution(0.1, 0.9, step=0.2)),
        ("choice(adam, sgd)", CategoricalDistribution(["adam", "sgd"])),
        ("adam,sgd,3", CategoricalDistribution(["adam", "sgd", 3])),
        ("shuffle(range(3))", CategoricalDistribution([0, 1, 2])),
        ("shuffle(c, a, b)", CategoricalDistribution(["c", "a", "b"])),
    ],
)
def test_each_sweep_form_becomes_its_distribution(override, expected):
    assert _space(p=override)["p"].distribution == expected


def test_fixed_overrides_pass_unchanged_and_the_command_line_wins():
    space = parse_search_space(
        {"lr": "interval(0, 1)", "depth": "range(1, 3)", "x": 3},
        ["depth=int(interval(2, 8))", "+extra=range(0, 4)", "lr=0.5", "~drop"],
    )
    assert [(p.name, p.key, p.distribution) for p in space.params] == [
        ("depth", "depth", IntDistribution(2, 8)),
        ("extra", "+extra", IntDistribution(0, 4)),
    ]
    assert space.fixed == ("x=3", "lr=0.5", "~drop")
    assert space.params[1].override(3) == "+extra=3"


def test_list_choices_travel_as_override_text():
    param = _space(layers="choice([64, 64], [128])")["layers"]
    assert param.distribution == CategoricalDistribution(["[64,64]", "[128]"])
    assert param.override("[64,64]") == "layers=[64,64]"


@pytest.mark.parametrize(
    "value",
    [
        "adam",
        "1",
        "a b",
        "a,b",
        "it's",
        "back\\",
        "x\\'y",
        "",
        "true",
        "null",
        "[1]",
        "a=b",
        "ü",
        3,
        -2,
        0.1,
        1e-5,
        True,
        False,
        None,
    ],
)
def test_override_values_parse_back_to_the_same_value_and_type(value):
    parsed = OverridesParser.create().parse_override(f"k={override_value(value)}").value()
    assert parsed == value and type(parsed) is type(value)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("interval(1, 0)", "interval(1, 0)"),
        ("range(5, 1)", "range needs start <= stop"),
        ("tag(log, interval(0, 1))", "log"),
        ("choice(a, a)", "unique"),
        ("interval(0,", "cannot parse"),
    ],
)
def test_bad_sweep_overrides_name_themselves(override, message):
    with pytest.raises(ValueError, match="hydra.sweeper") as error:
        parse_search_space({"p": override}, [])
    assert message in str(error.value)
