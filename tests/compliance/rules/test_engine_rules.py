"""The engine stays pure: standard library only, no clock, no floats, same vocabulary."""

import ast
import string
from enum import StrEnum
from pathlib import Path

import pytest

import compliance.rules
from compliance import choices
from compliance.rules import FINDING_MESSAGES, PARAMETER_MESSAGES, Finding, Outcome, vocabulary
from compliance.rules.messages import EXEMPTION_MESSAGES
from compliance.rules.types import Exemption
from tests.engine_purity import clocks_and_floats, foreign_imports

ENGINE = Path(compliance.rules.__file__).parent
MODULES = sorted(ENGINE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(ENGINE)))
def test_engine_imports_only_the_standard_library_and_itself(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    assert foreign_imports(tree, "compliance.rules") == []


def test_the_import_check_catches_django_and_relative_imports():
    tree = ast.parse("import django\nfrom compliance.models import Premises\nfrom . import x\n")
    assert foreign_imports(tree, "compliance.rules") == [
        "django",
        "compliance.models",
        ".",
    ]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(ENGINE)))
def test_engine_reads_no_clock_and_uses_no_floats(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    assert clocks_and_floats(tree) == ([], [], [])


def test_modules_stay_small():
    assert [path.name for path in MODULES if len(path.read_text().splitlines()) > 500] == []


@pytest.mark.parametrize(
    ("engine", "django"),
    [
        (vocabulary.PremisesKind, choices.PremisesKind),
        (vocabulary.PremisesCategory, choices.PremisesCategory),
        (vocabulary.Sector, choices.Sector),
        (vocabulary.AcType, choices.AcType),
        (vocabulary.EfficiencyMetric, choices.EfficiencyMetric),
        (vocabulary.AirBarrier, choices.AirBarrier),
        (vocabulary.SpaceType, choices.SpaceType),
        (vocabulary.LampType, choices.LampType),
        (vocabulary.Fuel, choices.Fuel),
    ],
)
def test_engine_vocabulary_matches_the_registry_choices(engine: type[StrEnum], django):
    assert {member.value for member in engine} == set(django.values)


def test_every_message_template_fills_from_its_values():
    values = Finding("5-1", Outcome.UNKNOWN, "entrance.none_declared").message_values()
    for template in (*FINDING_MESSAGES.values(), *EXEMPTION_MESSAGES.values()):
        template.format(**values)
    assert set(EXEMPTION_MESSAGES) == {member.value for member in Exemption}
    for key, template in PARAMETER_MESSAGES.items():
        fields = {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}
        assert "field" in fields, key


def test_every_message_key_the_engine_uses_has_a_template():
    source = "\n".join(path.read_text() for path in MODULES if path.name != "messages.py")
    literal_keys = {
        node.value
        for path in MODULES
        if path.name != "messages.py"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.count(".") == 1
        and node.value.split(".")[0].replace("_", "").isalpha()
        and node.value.split(".")[1].replace("_", "").isalpha()
    }
    assert literal_keys - set(FINDING_MESSAGES) == set()
    for key in FINDING_MESSAGES:
        prefix, suffix = key.split(".")
        assert key in source or (f'"{prefix}"' in source and f".{suffix}" in source), key
