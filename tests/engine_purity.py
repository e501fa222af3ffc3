"""Checks that keep a pure engine pure (compliance.rules, subsidies.rules): what a module
imports, and whether it reads a clock or uses floats. Shared by both engines' tests."""

from __future__ import annotations

import ast
import sys


def imported_modules(tree: ast.AST) -> list[str]:
    """Return the modules a parsed module imports ("." for a relative import)."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.append("." * node.level + (node.module or ""))
    return names


def foreign_imports(tree: ast.AST, package: str) -> list[str]:
    """Return the imports that are neither the standard library nor ``package`` itself."""

    def allowed(module: str) -> bool:
        if module == "__future__" or module == package or module.startswith(f"{package}."):
            return True
        return module.split(".")[0] in sys.stdlib_module_names

    return [module for module in imported_modules(tree) if not allowed(module)]


def clocks_and_floats(tree: ast.AST) -> tuple[list, list, list]:
    """Return (clock attributes read, float literals, float() calls) in a parsed module."""
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
    return clock, floats, calls
