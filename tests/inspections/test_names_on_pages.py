"""A business reading its inspection and visit pages sees inspectors by name, never by
user name; an inspector without a name appears by role."""

import pytest
from django.urls import reverse

from tests.inspections.visit_builders import make_inspection, make_visit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["inspection-detail", "visit-detail"])
def test_the_business_reads_inspectors_by_name_or_role(client, owner, premises, inspector, page):
    inspection = make_inspection(premises, lead=inspector)
    visit = make_visit(inspection)
    target = inspection.pk if page == "inspection-detail" else visit.pk
    client.force_login(owner)

    unnamed = client.get(reverse(page, args=[target]))
    inspector.display_name = "林檢查員"
    inspector.save()
    named = client.get(reverse(page, args=[target]))

    assert unnamed.status_code == named.status_code == 200
    assert inspector.get_username() not in unnamed.content.decode()
    assert "Lead inspector" in unnamed.content.decode()
    assert "林檢查員" in named.content.decode()
