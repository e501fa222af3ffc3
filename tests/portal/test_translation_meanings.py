"""One English word, one meaning per catalogue entry: an ambiguous word carries a context.

gettext translates a msgid once. "Submitted" as a status (已提出) and as a column of times
(提出時間) are two meanings of one word: without a ``msgctxt`` the catalogue holds one of
them and every other place shows the wrong one ("Purpose" read 立法目的 on an inspection,
"Never" 從未使用 on a plan). Whether two places mean the same thing is a judgement no test
makes; the catalogue shows it, though, in two ways this test checks:

1. A maintained list of English words known to carry several meanings in this portal
   (``KNOWN_AMBIGUOUS``): any entry whose msgid is exactly such a word (any case) has a
   context. A new use of "Status" says which status it is.
2. The catalogue itself translating one word two ways: when entries whose msgids differ
   only by case (or by context) have different translations, the word has at least two
   meanings here, so an entry of it WITHOUT a context that is used by two or more apps
   (portal, each compliance domain, inspections, subsidies, programs; templates/<app>/
   count for <app>) serves at least one of them with another's translation. It must
   carry a context. (An entry used by one app only is that app's single meaning; two
   translations differing by wording alone, not meaning, are the lead's to reconcile and
   are not failed here.)

The catalogue read is the committed ``locale/zh_Hant/LC_MESSAGES/django.po``: a code change
adding a context fails here until ``make messages`` has been run and the entry translated.
"""

from __future__ import annotations

import collections
from pathlib import Path

import polib
from django.conf import settings

PO_PATH = Path(settings.BASE_DIR) / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"

KNOWN_AMBIGUOUS = frozenset(
    word.lower()
    for word in (
        "Purpose",  # an ordinance article's (立法目的) or an inspection's (稽查目的)
        "Submitted",  # a status (已提出) or a time (提出時間)
        "Requested",  # a status (已申請) or a time (申請時間)
        "Never",  # never used (a token) or never inspected (a premises)
        "Metric",  # an energy-efficiency metric or a programme's figure
        "Open",  # a state (處理中) or a verb (開啟)
        "Issued",  # a state or a time
        "Status",  # of what: a case, a fine, an application
        "Date",
        "Name",  # a person's (姓名) or a thing's (名稱)
        "Type",
        "Active",
        "Returned",
        "Closed",  # a state (已結案) or a time (結案時間)
        "Period",
        "Order",  # a data order (命令) or an ordering
        "Notice",  # a document (通知書) or a remark
    )
)

# Entries of the catalogue not yet given a context, each in code another change owns;
# remove an entry once its code says which meaning it is (the test fails on a stale one).
NOT_YET_DISAMBIGUATED: frozenset[tuple[str, str]] = frozenset(
    {
        ("Name", "compliance/registry/templates/compliance/business_list.html"),
        ("Open", "compliance/enforcement/views/dashboard.py"),
        ("Status", "compliance/enforcement/views/dashboard.py"),
        ("name", "portal/models/security.py"),
        ("status", "compliance/enforcement/models/figures.py"),
    }
)


def _app(path: str) -> str:
    parts = path.split("/")
    if parts[0] == "templates":
        return parts[1] if len(parts) > 2 else "portal"
    domains = ("registry", "rulebook", "enforcement", "energy")
    if parts[0] == "compliance" and len(parts) > 2 and parts[1] in domains:
        return f"compliance.{parts[1]}"
    return parts[0]


def _entries():
    return [e for e in polib.pofile(str(PO_PATH)) if not e.obsolete and not e.msgid_plural]


def ambiguous_entries(entries) -> dict[tuple[str, str], str]:
    """Return ``{(msgid, first file): why}`` of every context-free entry this test fails."""
    by_word = collections.defaultdict(list)
    for entry in entries:
        by_word[entry.msgid.strip().lower()].append(entry)
    found = {}
    for word, group in by_word.items():
        translations = {
            entry.msgstr for entry in group if entry.msgstr
        }  # (untranslated: test_translations)
        for entry in group:
            if entry.msgctxt:
                continue
            places = sorted({_app(path) for path, _line in entry.occurrences})
            key = (entry.msgid, entry.occurrences[0][0] if entry.occurrences else "")
            if word in KNOWN_AMBIGUOUS:
                found[key] = "a known-ambiguous word without a context"
            elif len(translations) > 1 and len(places) > 1:
                found[key] = (
                    f"translated {sorted(translations)} in the catalogue, used without a "
                    f"context by {places}"
                )
    return found


def test_no_ambiguous_word_is_used_without_a_context():
    found = {
        key: why
        for key, why in ambiguous_entries(_entries()).items()
        if key[0] not in {msgid for msgid, _where in NOT_YET_DISAMBIGUATED}
    }
    assert not found, "give these a context (pgettext), then `make messages`:\n" + "\n".join(
        f"  {msgid!r} ({where}): {why}" for (msgid, where), why in sorted(found.items())
    )


def test_the_list_of_entries_still_to_disambiguate_only_shrinks():
    bare = {msgid for msgid, _where in ambiguous_entries(_entries())}
    stale = {msgid for msgid, _where in NOT_YET_DISAMBIGUATED} - bare
    assert not stale, f"these have a context now; remove them from the list: {sorted(stale)}"


def _entry(msgid, msgstr, path, msgctxt=None):
    return polib.POEntry(msgid=msgid, msgstr=msgstr, msgctxt=msgctxt, occurrences=[(path, "1")])


def test_the_rule_finds_the_wrong_translations_seen_on_main():
    entries = [
        _entry("Submitted", "已提出", "subsidies/choices.py", msgctxt="status"),
        _entry("submitted", "提出時間", "compliance/enforcement/models/evidence.py"),
        _entry("Purpose", "立法目的", "compliance/articles.py"),
        _entry("Decision", "審核結果", "templates/programs/project_detail.html"),
        _entry("decision", "決定", "compliance/enforcement/forms/decisions.py", msgctxt="x"),
        _entry("Reason", "理由", "compliance/energy/forms/data_orders.py"),
    ]
    entries[5].occurrences.append(("templates/subsidies/x.html", "1"))
    entries[3].occurrences.append(("compliance/energy/templates/compliance/y.html", "1"))
    found = ambiguous_entries(entries)
    assert set(found) == {
        ("submitted", "compliance/enforcement/models/evidence.py"),
        ("Purpose", "compliance/articles.py"),
        ("Decision", "templates/programs/project_detail.html"),
    }
