"""The Django admin shows inspections but changes none: the services own every change."""

import pytest
from django.urls import reverse

from inspections.models import Inspection
from tests.inspections.report_builders import make_completed_visit

pytestmark = pytest.mark.django_db

MODELS = (
    "inspectionbatch",
    "inspection",
    "visit",
    "inspectionreport",
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def visit(premises, inspector):
    return make_completed_visit(premises, inspector)


@pytest.mark.parametrize("model", MODELS)
def test_an_administrator_reads_every_inspections_list_but_adds_nothing(
    client, administrator, visit, model
):
    client.force_login(administrator)
    assert client.get(reverse(f"admin:inspections_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:inspections_{model}_add")).status_code == 403


def test_a_visit_opens_read_only_with_its_readings(client, administrator, visit):
    client.force_login(administrator)
    url = reverse("admin:inspections_visit_change", args=[visit.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert not response.context["has_delete_permission"]
    assert client.post(url, {}).status_code == 403


def test_an_inspection_cannot_be_deleted_in_the_admin(client, administrator, visit):
    client.force_login(administrator)
    url = reverse("admin:inspections_inspection_delete", args=[visit.inspection_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Inspection.objects.filter(pk=visit.inspection_id).exists()
