"""Roles are data on the user: they decide the Django admin too."""

import pytest
from django.urls import reverse

from portal.choices import Role

pytestmark = pytest.mark.django_db


def test_administrator_role_opens_the_admin_site(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "compliance" in response.content.decode().lower()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_other_roles_are_kept_out_of_the_admin_site(client, make_user, role):
    user = make_user(f"user-{role}", role, is_staff=True)  # even if someone sets is_staff
    user.refresh_from_db()
    assert not user.is_staff
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_changes_made_in_the_admin_are_audited(client, administrator, premises):
    from portal.models import AuditEntry

    client.force_login(administrator)
    url = reverse("admin:compliance_premises_change", args=[premises.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        {"name": "改名門市", "has_arcade": "", "is_active": "on", "opens_at": "", "closes_at": ""}
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.filter(object_type="compliance.premises").latest("id")
    assert entry.actor == administrator
    assert entry.changes["name"][1] == "改名門市"
