"""The document-number prefix is a City setting (issue 15 §4).

Administrators change it on the City settings page (audited); every number allocated
afterwards begins with it (notices, the sweep's decisions, inspection reports, approval
letters, award certificates), and numbers already issued never change. An English copy
of a letter or certificate carries its Chinese original's number.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from compliance.choices import DocumentKind
from compliance.enforcement.services import notices, proposals, sweep
from compliance.models import Fine
from inspections.services import reports
from portal.models import AuditEntry, CitySettings
from subsidies.documents import certificates, letters
from subsidies.models import ApprovalLetter, AwardCertificate
from subsidies.services import applications as applications_services
from subsidies.services import rewards
from tests.deciding import at_noon, official
from tests.factories import make_premises, make_violation
from tests.inspections.report_builders import make_completed_visit
from tests.subsidies.scheme_builders import make_application, make_call, make_scheme
from tests.verifying import verify_missed

pytestmark = pytest.mark.django_db

FOUND = datetime.date(2026, 11, 2)
FINED_ON = datetime.date(2026, 11, 17)  # the day after the Art. 5-5 deadline (14 days)
NEW_PREFIX = "TPC-DOED2"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def change_prefix(client, administrator, prefix: str = NEW_PREFIX):
    """Change the prefix on the City settings page, as an administrator does."""
    client.force_login(administrator)
    return client.post(
        reverse("city-settings"),
        {
            "visit_tolerance_days": str(CitySettings.current().visit_tolerance_days),
            "document_prefix": prefix,
        },
    )


# --- The setting ----------------------------------------------------------------------


def test_the_prefix_is_tpe_ec_until_the_city_changes_it():
    assert CitySettings.document_prefix_in_force() == "TPE-EC"
    assert CitySettings.current().document_prefix == "TPE-EC"


def test_an_administrator_changes_the_prefix_on_the_settings_page(client, administrator):
    client.force_login(administrator)
    assert 'name="document_prefix"' in client.get(reverse("city-settings")).content.decode()

    response = change_prefix(client, administrator)

    assert response.status_code == 302
    assert CitySettings.document_prefix_in_force() == NEW_PREFIX
    entry = AuditEntry.objects.get(object_type="portal.citysettings")
    assert entry.changes == {"document_prefix": ["TPE-EC", NEW_PREFIX]}
    assert entry.actor == administrator


@pytest.mark.parametrize(
    "prefix",
    [
        "",  # required
        "T",  # too short
        "A" * 21,  # too long
        "TPE-EC-",  # a trailing dash
        "-TPE",  # a leading dash
        "TPE EC",  # a space
        "TPE_EC",  # neither letter, digit nor dash
        "臺北-EC",  # letters A-Z only: the number names files and URLs
        "TPE/EC",
    ],
)
def test_an_invalid_prefix_is_refused_on_its_field_and_nothing_is_saved(
    client, administrator, prefix
):
    response = change_prefix(client, administrator, prefix)

    assert response.status_code == 200
    assert response.context["form"].errors["document_prefix"]
    assert CitySettings.document_prefix_in_force() == "TPE-EC"
    assert not AuditEntry.objects.filter(object_type="portal.citysettings").exists()


@pytest.mark.parametrize("prefix", ["TP", "TPE-EC", "tpe-ec-2", "A" * 20, "TPE--EC"])
def test_letters_digits_and_dashes_of_2_to_20_characters_are_accepted(
    client, administrator, prefix
):
    assert change_prefix(client, administrator, prefix).status_code == 302
    assert CitySettings.document_prefix_in_force() == prefix


# --- Numbers allocated afterwards -------------------------------------------------------


def test_a_notice_allocated_after_a_change_takes_the_new_prefix(client, administrator, premises):
    before = make_violation(premises, "5-5", found_on=FOUND)
    old = notices.request_document(DocumentKind.RECTIFICATION_NOTICE, before)

    change_prefix(client, administrator)
    after = make_violation(premises, "5-5", found_on=FOUND)
    new = notices.request_document(DocumentKind.RECTIFICATION_NOTICE, after)
    english = notices.request_document(DocumentKind.RECTIFICATION_NOTICE, before, language="en")

    assert old.document_number == f"TPE-EC-N-2026-{before.pk:07d}"
    assert new.document_number == f"{NEW_PREFIX}-N-2026-{after.pk:07d}"
    # Issued numbers never change, and the English copy carries its original's number.
    old.refresh_from_db()
    assert old.document_number == f"TPE-EC-N-2026-{before.pk:07d}"
    assert english.document_number == old.document_number


@pytest.mark.parametrize("set_based", [True, False], ids=["set-based SQL", "ORM"])
def test_decisions_approved_after_a_change_take_the_new_prefix(
    client, administrator, premises, set_based, monkeypatch
):
    if set_based and connection.vendor != "postgresql":
        pytest.skip("The set-based statement is PostgreSQL's.")
    first = make_violation(premises, "5-5", found_on=FOUND)
    verify_missed(first, FINED_ON)
    sweep.sweep(FINED_ON)
    old = Fine.objects.get(violation=first)
    with at_noon(FINED_ON):
        proposals.approve_many(official(), [old.pk], set_based=set_based)

    change_prefix(client, administrator)
    reads = []
    in_force = CitySettings.document_prefix_in_force

    def counted():
        reads.append(1)
        return in_force()

    monkeypatch.setattr(CitySettings, "document_prefix_in_force", counted)
    later = [
        make_violation(make_premises(premises.business), "5-5", found_on=FOUND) for _ in range(2)
    ]
    for violation in later:
        verify_missed(violation, FINED_ON)
    assert sweep.sweep(FINED_ON, chunk=1).fines_issued == 2
    new = Fine.objects.filter(violation__in=later)
    with at_noon(FINED_ON):
        done = proposals.approve_many(official(), [f.pk for f in new], chunk=1, set_based=set_based)
    assert done.approved == 2

    old.refresh_from_db()
    assert old.document_number == f"TPE-EC-P-2026-{old.pk:07d}"  # issued: never changes
    assert sorted(f.document_number for f in new.all()) == sorted(
        f"{NEW_PREFIX}-P-2026-{f.pk:07d}" for f in new
    )
    assert len(reads) == 1  # once per batch, not per chunk or row
    # A decision (PDF) requested afterwards carries its fine's number, as issued.
    decision = notices.request_document(DocumentKind.PENALTY_DECISION, first, fine=old)
    assert decision.document_number == old.document_number


def test_an_inspection_report_after_a_change_takes_the_new_prefix(
    client, administrator, premises, inspector
):
    old = reports.request_report(make_completed_visit(premises, inspector), actor=inspector)

    change_prefix(client, administrator)
    visit = make_completed_visit(make_premises(premises.business), inspector)
    new = reports.request_report(visit, actor=inspector)

    year = timezone.localtime(old.requested_at).year
    old.refresh_from_db()
    assert old.document_number == f"TPE-EC-{year}-{old.pk:06d}"
    assert new.document_number == f"{NEW_PREFIX}-{year}-{new.pk:06d}"


def test_an_approval_letter_after_a_change_takes_the_new_prefix(
    client, administrator, premises, programme_officer
):
    scheme = make_scheme()
    first = make_application(scheme, premises, status="under_review")
    applications_services.approve(programme_officer, first, 90_000)
    old = ApprovalLetter.objects.get(application=first)

    change_prefix(client, administrator)
    second = make_application(scheme, make_premises(premises.business), status="under_review")
    applications_services.approve(programme_officer, second, 50_000)
    new = ApprovalLetter.objects.get(application=second)
    english = letters.request_letter(first, "en")

    year = old.letter_number.split("-")[-2]
    old.refresh_from_db()
    assert old.letter_number == f"TPE-EC-S-{year}-{first.pk:07d}"
    assert new.letter_number.startswith(f"{NEW_PREFIX}-S-")
    assert new.letter_number.endswith(f"-{second.pk:07d}")
    # The English copy of a letter issued before is a translation of the same letter.
    assert english.letter_number == old.letter_number
    html = letters.render_html(letters.letter_data(english.pk))
    assert "Translation of the official document in Chinese" in html


def test_an_award_certificate_after_a_change_takes_the_new_prefix(
    client, administrator, programme_officer, business
):
    def publish(code: str):
        call = make_call(code)
        call.reviewers.add(programme_officer)
        application = make_application(call, make_premises(business), status="under_review")
        rewards.score_application(programme_officer, application, {"saving": 90})
        return rewards.publish_awards(administrator, call, 1), application

    publication, first = publish("excellence-2026")
    old = AwardCertificate.objects.get(application=first, language="zh-hant")

    change_prefix(client, administrator)
    _publication, second = publish("excellence-2027")
    new = AwardCertificate.objects.get(application=second, language="zh-hant")
    english = certificates.request_certificate(publication, first, "en")

    year = old.certificate_number.split("-")[-2]
    old.refresh_from_db()
    assert old.certificate_number == f"TPE-EC-A-{year}-{first.pk:07d}"
    assert new.certificate_number.startswith(f"{NEW_PREFIX}-A-")
    assert english.certificate_number == old.certificate_number
    html = certificates.render_html(certificates.certificate_data(english.pk))
    assert "Translation of the official document in Chinese" in html
