"""Every user-facing string is translatable, and translated into Traditional Chinese."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_PATH = LOCALE_DIR / "zh_Hant" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")


def test_every_message_is_translated_and_none_is_fuzzy():
    catalog = polib.pofile(str(PO_PATH))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


def test_compiled_catalog_matches_the_source():
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0)
              for e in polib.pofile(str(PO_PATH)).translated_entries()}
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0)
                for e in polib.mofile(str(MO_PATH))}
    assert source == {k: v for k, v in compiled.items() if k[1]}, (
        "locale/*.mo is stale: run `make messages`"
    )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_no_string_in_the_code_is_missing_from_the_catalog(tmp_path):
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, copy)
    with override_settings(LOCALE_PATHS=[copy]):
        call_command(
            "makemessages",
            locale=["zh_Hant"],
            ignore_patterns=[".venv/*", "tests/*", "staticfiles/*", "var/*"],
            no_obsolete=True,
            verbosity=0,
        )
    fresh = {e.msgid for e in polib.pofile(str(copy / "zh_Hant/LC_MESSAGES/django.po"))}
    known = {e.msgid for e in polib.pofile(str(PO_PATH)) if not e.obsolete}
    assert not fresh - known, f"not in the catalog yet (run `make messages`): {sorted(fresh - known)[:30]}"
