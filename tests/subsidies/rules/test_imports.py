"""The eligibility engine stays pure: standard library only, no clock, no floats."""

import ast
from pathlib import Path

import pytest

import subsidies.rules
from tests.engine_purity import clocks_and_floats, foreign_imports

ENGINE = Path(subsidies.rules.__file__).parent
MODULES = sorted(ENGINE.rglob("*.py"))


def test_the_engine_has_its_modules():
    assert {path.name for path in MODULES} >= {
        "types.py",
        "eligibility.py",
        "messages.py",
        "workflow.py",
        "examples.py",
        "suggest.py",
    }


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(ENGINE)))
def test_engine_imports_only_the_standard_library_and_itself(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    assert foreign_imports(tree, "subsidies.rules") == []


def test_the_import_check_catches_django_other_apps_and_relative_imports():
    tree = ast.parse(
        "import django\nfrom subsidies.models import Scheme\n"
        "from compliance.rules import assess\nfrom . import x\n"
    )
    assert foreign_imports(tree, "subsidies.rules") == [
        "django",
        "subsidies.models",
        "compliance.rules",
        ".",
    ]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(ENGINE)))
def test_engine_reads_no_clock_and_uses_no_floats(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    assert clocks_and_floats(tree) == ([], [], [])


def test_the_clock_and_float_check_catches_them():
    tree = ast.parse("import datetime\nx = datetime.date.today()\ny = 0.3\nz = float('1')\n")
    assert [n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)] == ["today", "date"]
    assert any(isinstance(n, ast.Constant) and isinstance(n.value, float) for n in ast.walk(tree))


def test_modules_stay_small():
    assert [path.name for path in MODULES if len(path.read_text().splitlines()) > 500] == []
