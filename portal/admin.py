"""Django admin for administrators: users, tokens, the audit log and the outbox (read-only)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import audit, audit_chain, outbox
from portal.admin_audit import AuditedAdminMixin
from portal.choices import AuditAction
from portal.models import (
    ApiToken,
    AuditChainVerification,
    AuditEntry,
    LoginFailure,
    OutboxMessage,
    User,
)


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """A ModelAdmin whose every write is audited (portal/admin_audit.py).

    Every registered admin gets the mixin (``PortalConfig.ready``); inheriting from this
    class says so where the admin is written.
    """


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
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
class ApiTokenAdmin(AuditedModelAdmin):
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
class AuditEntryAdmin(AuditedModelAdmin):
    """The audit log is read-only, to everyone; a broken chain is shown as an alarm."""

    list_display = ("timestamp", "actor_label", "action", "object_type", "object_repr", "seq")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "actor_label", "object_id")
    date_hierarchy = "timestamp"

    def changelist_view(self, request, extra_context=None):
        # The last verification's outcome (manage.py verify_audit_chain, nightly by beat).
        extra_context = {**(extra_context or {}), "chain": audit_chain.latest_verification()}
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditChainVerification)
class AuditChainVerificationAdmin(AuditedModelAdmin):
    """Each verification of the audit chain and what it found: read-only."""

    list_display = ("checked_at", "ok", "entries_checked", "broken_position", "head_seq")
    list_filter = ("ok",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(AuditedModelAdmin):
    list_display = ("username", "ip_address", "attempted_at", "channel")
    search_fields = ("username", "ip_address")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(AuditedModelAdmin):
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


# The scheduled jobs (django-celery-beat) with their last run, outcome and duration.
from portal import admin_jobs  # noqa: E402, F401
