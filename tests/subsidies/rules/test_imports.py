"""The eligibility engine stays pure: standard library only, no clock, no floats."""

import ast
import sys
from pathlib import Path

import pytest

import subsidies.rules

ENGINE = Path(subsidies.rules.__file__).parent
MODULES = sorted(ENGINE.rglob("*.py"))


def imported_modules(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.append("." * node.level + (node.module or ""))
    return names


def allowed(module: str) -> bool:
    if module == "__future__":
        return True
    if module == "subsidies.rules" or module.startswith("subsidies.rules."):
        return True
    return module.split(".")[0] in sys.stdlib_module_names


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
    assert [m for m in imported_modules(tree) if not allowed(m)] == []


def test_the_import_check_catches_django_other_apps_and_relative_imports():
    tree = ast.parse(
        "import django\nfrom subsidies.models import Scheme\n"
        "from compliance.rules import assess\nfrom . import x\n"
    )
    assert [m for m in imported_modules(tree) if not allowed(m)] == [
        "django",
        "subsidies.models",
        "compliance.rules",
        ".",
    ]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(ENGINE)))
def test_engine_reads_no_clock_and_uses_no_floats(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    clock = [
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in {"today", "now", "utcnow", "time"}
    ]
    floats = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, float)
    ]
    calls = [
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "float"
    ]
    assert (clock, floats, calls) == ([], [], [])


def test_the_clock_and_float_check_catches_them():
    tree = ast.parse("import datetime\nx = datetime.date.today()\ny = 0.3\nz = float('1')\n")
    assert [n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)] == ["today", "date"]
    assert any(isinstance(n, ast.Constant) and isinstance(n.value, float) for n in ast.walk(tree))


def test_modules_stay_small():
    assert [path.name for path in MODULES if len(path.read_text().splitlines()) > 500] == []
