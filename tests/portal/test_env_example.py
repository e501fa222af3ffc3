"""`.env.example` documents every environment variable the settings read."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READERS = {"env_str", "env_bool", "env_int", "env_list"}


def variables_read_by_settings() -> set[str]:
    tree = ast.parse((ROOT / "portal" / "settings.py").read_text())
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in READERS
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def test_every_variable_of_the_settings_is_in_env_example_with_a_comment():
    lines = (ROOT / ".env.example").read_text().splitlines()
    documented = {}
    for number, line in enumerate(lines):
        match = re.match(r"^#? ?([A-Z][A-Z0-9_]*)=", line)
        if match:
            documented[match.group(1)] = number

    read = variables_read_by_settings()
    assert "DJANGO_SECRET_KEY" in read  # the scan itself works
    assert read - documented.keys() == set()
    for name in read:
        above = lines[documented[name] - 1]
        assert above.startswith("# "), f"{name} has no comment above it"
