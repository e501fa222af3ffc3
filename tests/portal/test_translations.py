"""Every user-facing string is translatable, and translated into Traditional Chinese."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_PATH = LOCALE_DIR / "zh_Hant" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
# Everything that holds interface strings (the tests hold none).
SOURCE_DIRS = {
    "portal",
    "compliance",
    "inspections",
    "subsidies",
    "programs",
    "templates",
    "static",
    "locale",
}


def test_every_message_is_translated_and_none_is_fuzzy():
    catalog = polib.pofile(str(PO_PATH))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


def test_compiled_catalog_matches_the_source():
    source = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0)
        for e in polib.pofile(str(PO_PATH)).translated_entries()
    }
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in polib.mofile(str(MO_PATH))
    }
    assert source == {k: v for k, v in compiled.items() if k[1]}, (
        "locale/*.mo is stale: run `make messages`"
    )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_no_string_in_the_code_is_missing_from_the_catalog(tmp_path):
    # Extract from a copy of the sources, so the repository's catalogue is never touched.
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    copy.mkdir()
    for entry in base.iterdir():
        if entry.name in SOURCE_DIRS:
            shutil.copytree(entry, copy / entry.name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(base / "manage.py", copy / "manage.py")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "PYTHONPATH": ""}
    environment.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hant", "--no-obsolete"],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/zh_Hant/LC_MESSAGES/django.po"))}
    known = {e.msgid for e in polib.pofile(str(PO_PATH)) if not e.obsolete}
    missing = sorted(fresh - known)
    assert not missing, f"not in the catalogue yet (run `make messages`): {missing[:30]}"
