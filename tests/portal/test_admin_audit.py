"""Every write through the Django admin leaves an audit entry: who, when, before, after.

Found on main (issue 17): an administrator made a user an administrator in the admin and
nothing was recorded. Each registered ModelAdmin now carries the audit mixin, Django's own
(groups) and other apps' included.
"""

from __future__ import annotations

import json

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.urls import reverse

from portal.admin_audit import AuditedAdminMixin, audit_every_admin
from portal.choices import AuditAction, Role
from portal.models import AuditEntry, OutboxMessage, User
from tests.factories import make_business

pytestmark = pytest.mark.django_db


def form_data(response) -> dict:
    """The POST data of an admin change form as the page shows it (what a browser sends)."""
    form = response.context["adminform"].form
    data = {}
    for name, bound in ((name, form[name]) for name in form.fields):
        widget = bound.field.widget
        if getattr(bound.field, "disabled", False):
            continue
        value = bound.value()
        if hasattr(widget, "widgets"):  # e.g. a date and a time
            for index, part in enumerate(widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, list | tuple):
            data[name] = [str(item.pk if hasattr(item, "pk") else item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management[name].html_name] = management[name].value()
    return data


def entries_of(obj) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).order_by("id")
    )


@pytest.fixture
def signed_in(client, administrator):
    client.force_login(administrator)
    return client


def change_user(client, user, **changes):
    url = reverse("admin:portal_user_change", args=[user.pk])
    data = form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_every_registered_admin_is_audited():
    unaudited = [
        f"{model._meta.label}: {type(model_admin).__module__}.{type(model_admin).__name__}"
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdminMixin)
    ]
    assert unaudited == []
    assert Group in admin.site._registry  # Django's own admins are covered too


def test_making_a_user_an_administrator_is_audited_with_before_and_after(
    signed_in, administrator, inspector
):
    change_user(signed_in, inspector, role=Role.ADMINISTRATOR)

    inspector.refresh_from_db()
    assert inspector.role == Role.ADMINISTRATOR
    [entry] = entries_of(inspector)
    assert entry.actor == administrator
    assert entry.action == AuditAction.UPDATE
    assert entry.changes["role"] == [Role.INSPECTOR, Role.ADMINISTRATOR]
    assert entry.changes["is_staff"] == [False, True]
    assert "password" not in entry.changes


def test_granting_a_permission_and_a_group_is_audited(signed_in, administrator, inspector):
    decide = Permission.objects.get(content_type__app_label="compliance", codename="decide_fine")
    officials = Group.objects.create(name="officials")

    change_user(signed_in, inspector, user_permissions=[str(decide.pk)], groups=[officials.pk])

    assert inspector.holds_permission("compliance.decide_fine")
    [entry] = entries_of(inspector)
    assert entry.actor == administrator
    assert entry.changes["user_permissions"] == [[], ["compliance.decide_fine"]]
    assert entry.changes["groups"] == [[], [officials.pk]]

    change_user(signed_in, inspector, user_permissions=[], groups=[])
    revoked = entries_of(inspector)[-1]
    assert revoked.changes["user_permissions"] == [["compliance.decide_fine"], []]


def test_a_saved_form_without_changes_writes_nothing(signed_in, inspector):
    # The form shows whole seconds: a stored fraction would be a (true) change.
    User.objects.filter(pk=inspector.pk).update(
        date_joined=inspector.date_joined.replace(microsecond=0)
    )
    change_user(signed_in, inspector)
    assert entries_of(inspector) == []


def test_a_permission_given_to_a_group_in_djangos_group_admin_is_audited(signed_in, administrator):
    group = Group.objects.create(name="officials")
    decide = Permission.objects.get(content_type__app_label="compliance", codename="decide_fine")
    url = reverse("admin:auth_group_change", args=[group.pk])

    response = signed_in.post(url, {"name": "officials", "permissions": [decide.pk]})

    assert response.status_code == 302
    [entry] = entries_of(group)
    assert entry.actor == administrator
    assert entry.changes == {"permissions": [[], ["compliance.decide_fine"]]}


def test_adding_a_user_is_audited_without_the_password(signed_in, administrator):
    url = reverse("admin:portal_user_add")
    data = form_data(signed_in.get(url))
    data.update(
        username="newofficial",
        password1="a-long-enough-Passphrase-9",
        password2="a-long-enough-Passphrase-9",
        usable_password="true",
        role=Role.INSPECTOR,
        email="new@example.test",
    )

    response = signed_in.post(url, data)

    assert response.status_code == 302
    user = User.objects.get(username="newofficial")
    [entry] = entries_of(user)
    assert entry.action == AuditAction.CREATE and entry.actor == administrator
    assert entry.changes["role"] == [None, Role.INSPECTOR]
    assert entry.changes["password"] == ["***", "***"]
    assert user.password not in json.dumps(entry.changes)


def test_setting_a_password_in_the_admin_is_audited(signed_in, administrator, inspector):
    url = reverse("admin:auth_user_password_change", args=[inspector.pk])
    response = signed_in.post(
        url,
        {
            "password1": "another-long-Passphrase-7",
            "password2": "another-long-Passphrase-7",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302
    inspector.refresh_from_db()
    [entry] = entries_of(inspector)
    assert entry.actor == administrator
    assert entry.changes == {"password": ["***", "***"]}
    assert inspector.password not in json.dumps(entry.changes)


def test_deleting_one_user_and_many_is_audited(signed_in, administrator, make_user):
    one, two, three = (make_user(f"gone{i}", Role.INSPECTOR) for i in range(3))

    response = signed_in.post(reverse("admin:portal_user_delete", args=[one.pk]), {"post": "yes"})
    assert response.status_code == 302
    response = signed_in.post(
        reverse("admin:portal_user_changelist"),
        {"action": "delete_selected", "_selected_action": [two.pk, three.pk], "post": "yes"},
    )
    assert response.status_code == 302

    assert not User.objects.filter(pk__in=[one.pk, two.pk, three.pk]).exists()
    for user in (one, two, three):
        entries = AuditEntry.objects.filter(object_type="portal.user", object_id=str(user.pk))
        [entry] = entries
        assert entry.action == AuditAction.DELETE and entry.actor == administrator
        assert entry.changes["username"] == [user.username, None]
        assert entry.changes["role"] == [Role.INSPECTOR, None]


def test_an_inline_row_added_in_the_admin_is_audited(signed_in, administrator, inspector):
    business = make_business()
    url = reverse("admin:compliance_business_change", args=[business.pk])
    page = signed_in.get(url)
    data = form_data(page)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-user": str(inspector.pk)})

    response = signed_in.post(url, data)

    assert response.status_code == 302
    membership = business.memberships.get()
    entry = AuditEntry.objects.get(object_type="compliance.businessmembership")
    assert entry.action == AuditAction.CREATE and entry.actor == administrator
    assert entry.changes["user_id"] == [None, inspector.pk]
    assert entry.object_id == str(membership.pk)


def test_an_action_is_audited_by_its_effect_and_never_twice(administrator):
    """An action that writes its own entries is not doubled; one that does not is audited."""
    message = OutboxMessage.objects.create(topic="test.topic", payload={}, attempts=4)
    request = RequestFactory().post("/admin/")
    request.user = administrator
    request._messages = _NoMessages()

    registered = admin.site._registry[OutboxMessage]
    retry = registered.get_actions(request)["retry_now"][0]
    retry(registered, request, OutboxMessage.objects.filter(pk=message.pk))

    [entry] = entries_of(message)  # the action's own entry, not a second one
    assert entry.changes == {"attempts": [4, 0]}

    class SilentAdmin(admin.ModelAdmin):
        actions = ["forget_attempts"]

        @admin.action(description="Forget attempts")
        def forget_attempts(self, request, queryset):
            queryset.update(attempts=7)

    site = admin.AdminSite(name="silent")
    site.register(OutboxMessage, SilentAdmin)
    audit_every_admin(site)
    silent = site._registry[OutboxMessage]
    silent.get_actions(request)["forget_attempts"][0](
        silent, request, OutboxMessage.objects.filter(pk=message.pk)
    )

    latest = entries_of(message)[-1]
    assert latest.actor == administrator
    assert latest.changes == {"attempts": [0, 7]}
    assert "Forget attempts" in latest.reason


class _NoMessages:
    def add(self, *args, **kwargs):
        return None
