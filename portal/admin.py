"""Django admin for administrators: users, tokens, the audit log and the outbox (read-only)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import audit, outbox
from portal.choices import AuditAction
from portal.forms import AdminLoginForm
from portal.models import ApiToken, AuditEntry, LoginFailure, OutboxMessage, User

# The admin's sign-in goes through the same lock-out as the portal's.
admin.site.login_form = AdminLoginForm


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletions are written to the audit log."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
            super().save_model(request, obj, form, change)
            changes = audit.diff(before, audit.snapshot(obj))
            if changes or not change:
                audit.record(
                    actor=request.user,
                    action=AuditAction.UPDATE if change else AuditAction.CREATE,
                    instance=obj,
                    changes=changes,
                    reason=_("Changed in the administration site"),
                    business_id=getattr(obj, "owner_business_id", None),
                )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(
                actor=request.user,
                action=AuditAction.DELETE,
                instance=obj,
                changes=audit.diff(audit.snapshot(obj), {}),
                reason=_("Deleted in the administration site"),
                business_id=getattr(obj, "owner_business_id", None),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Portal"), {"fields": ("role", "display_name", "job_title", "preferred_language")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Portal"), {"fields": ("role", "email")}),
    )
    list_display = ("username", "display_name", "email", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_select_related = ("user",)
    readonly_fields = ("user", "prefix", "digest", "created_at", "last_used_at")
    search_fields = ("name", "prefix", "user__username")

    def has_add_permission(self, request):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log is read-only, to everyone."""

    list_display = ("timestamp", "actor_label", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "actor_label", "object_id")
    date_hierarchy = "timestamp"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ("username", "ip_address", "attempted_at", "channel")
    search_fields = ("username", "ip_address")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Follow-ups waiting or failed: read-only, with an audited "retry now" for operators."""

    list_display = ("id", "topic", "created_at", "attempts", "available_at", "delivered_at")
    list_filter = ("topic", ("delivered_at", admin.EmptyFieldListFilter))
    search_fields = ("topic", "last_error", "dedupe_key")
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry the selected undelivered messages now"))
    def retry_now(self, request, queryset):
        waiting = queryset.filter(delivered_at__isnull=True)
        for message in waiting:
            audit.record(
                actor=request.user,
                action=AuditAction.UPDATE,
                instance=message,
                changes={"attempts": [message.attempts, 0]},
                reason=_("Delivery retried by an operator"),
            )
        count = waiting.update(attempts=0, available_at=timezone.now())
        for queue in outbox.queues():
            outbox.wake(queue)
        self.message_user(request, _("%(count)d message(s) queued again.") % {"count": count})
