"""What prompted an assessment reads as words in the reader's language, never an internal
note or a user name."""

import pytest
from django.urls import reverse
from django.utils import translation

from compliance.rulebook.services import assessment
from compliance.rulebook.triggers import trigger_label

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("trigger", "english"),
    [
        ("nightly: new month or rule book", "The nightly re-assessment"),
        ("nightly: exemption or grace ended", "The nightly re-assessment"),
        ("command: assess", "A re-assessment asked for by the City"),
        ("requested by an administrator", "A re-assessment asked for by the City"),
        ("inspection visit-7", "An on-site inspection"),
        ("exemption 12 approved", "An exemption granted"),
        ("exemption 12 revoked", "An exemption revoked"),
        ("rule book no. 3 took effect", "Rule book no. 3 took effect"),
        ("compliance.equipment changed", "A change to the registered premises"),
        ("compliance.premises deleted", "A change to the registered premises"),
        ("compliance.equipment imported", "A change to the registered premises"),
        ("CSV import equipment.csv", "A change to the registered premises"),
        ("something new", "A re-assessment"),
        ("", ""),
    ],
)
def test_each_trigger_reads_as_words(trigger, english):
    with translation.override("en"):
        assert trigger_label(trigger).startswith(english)
    with translation.override("zh-hant"):
        chinese = trigger_label(trigger)
    assert (chinese == "") == (trigger == "")
    assert not any(c.isascii() and c.isalpha() for c in chinese.replace("no.", ""))


def test_the_business_reads_what_prompted_its_assessment_without_a_user_name(
    client, owner, premises, administrator
):
    assessment.reassess(administrator, premises, "Checked after a complaint.")
    client.force_login(owner)

    page = client.get(reverse("premises-compliance", args=[premises.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "A re-assessment asked for by the City" in html
    assert administrator.get_username() not in html
    assert "requested by" not in html
