"""The install that a new release on the package index cannot change (scripts/bootstrap).

The bootstrap installs ``requirements.lock`` with ``--no-deps``: nothing is resolved at
install time, so the lock itself must hold every package that its packages need, extras
included, at versions they accept. The installer (pip) is pinned with its hashes too.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)")


def pins(path: Path) -> dict[str, tuple[str, int]]:
    """Return {name: (version, number of hashes)} of a hashed requirements file."""
    found: dict[str, tuple[str, int]] = {}
    name = None
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            name = canonicalize_name(match.group(1))
            found[name] = (match.group(3), 0)
        elif name and line.strip().startswith("--hash=sha256:"):
            version, hashes = found[name]
            found[name] = (version, hashes + 1)
    return found


def extras_asked_for(locked: dict[str, tuple[str, int]]) -> dict[str, set[str]]:
    """Return, for each locked package, the extras that other locked packages ask for."""
    asked: dict[str, set[str]] = {}
    for name in locked:
        for text in metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.extras and _applies(requirement, ""):
                asked.setdefault(canonicalize_name(requirement.name), set()).update(
                    requirement.extras
                )
    return asked


def _applies(requirement: Requirement, extra: str) -> bool:
    return requirement.marker is None or requirement.marker.evaluate({"extra": extra})


def test_the_installer_is_pinned_with_hashes_and_installed_first():
    installer = pins(ROOT / "requirements-installer.lock")
    bootstrap = (ROOT / "scripts" / "bootstrap").read_text()

    assert list(installer) == ["pip"]
    version, hashes = installer["pip"]
    assert hashes >= 1
    assert metadata.version("pip") == version  # the environment running the tests has it
    first = bootstrap.index("-r requirements-installer.lock")
    then = bootstrap.index("-r requirements.lock")
    assert first < then
    for line in (bootstrap[:first].splitlines()[-1], bootstrap[:then].splitlines()[-1]):
        assert "--require-hashes" in line
        assert "--no-deps" in line
    assert "check" in bootstrap[then:]


def test_the_lock_holds_every_package_its_packages_need_at_a_version_they_accept():
    locked = pins(ROOT / "requirements.lock")
    asked = extras_asked_for(locked)
    missing, refused = [], []
    for name, (version, hashes) in locked.items():
        assert hashes >= 1, f"{name} has no hash"
        assert metadata.version(name) == version, f"{name}: the lock says {version}"
        for text in metadata.requires(name) or []:
            requirement = Requirement(text)
            wanted = any(_applies(requirement, e) for e in ["", *asked.get(name, ())])
            if not wanted:
                continue
            needed = canonicalize_name(requirement.name)
            if needed not in locked:
                missing.append(f"{name} needs {requirement}")
            elif not requirement.specifier.contains(locked[needed][0], prereleases=True):
                refused.append(f"{name} needs {requirement}, the lock has {locked[needed][0]}")

    assert not missing, missing
    assert not refused, refused
