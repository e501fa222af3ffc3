"""Users and roles."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.choices import Role


class User(AbstractUser):
    """A person or system that signs in; its role decides what it sees (Arts. 3, 10, 11).

    Business users reach their businesses through ``compliance.BusinessMembership``.
    """

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.BUSINESS)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    # Printed beside the name where an official decides (決行), e.g. 科長.
    job_title = models.CharField(_("job title"), max_length=60, blank=True, default="")
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=[("zh-hant", "繁體中文"), ("en", "English")],
        default="zh-hant",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def person_name(self) -> str:
        """The name a document or a business may read: never the user name (may be empty)."""
        return self.display_name or self.get_full_name()

    def save(self, *args, **kwargs):
        # Administrators work in the Django admin too; other roles never do.
        self.is_staff = self.is_superuser or self.role == Role.ADMINISTRATOR
        super().save(*args, **kwargs)

    def has_perm(self, perm, obj=None) -> bool:
        """Grant active administrators every model permission; others as Django decides."""
        if self.is_active and self.role == Role.ADMINISTRATOR:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        if self.is_active and self.role == Role.ADMINISTRATOR:
            return True
        return super().has_module_perms(app_label)

    @property
    def is_administrator(self) -> bool:
        """Return whether the user is city staff with full rights (or a superuser)."""
        return self.is_superuser or self.role == Role.ADMINISTRATOR

    def holds_permission(self, perm: str) -> bool:
        """Whether ``perm`` was granted to this user (directly or by a group), or a superuser.

        Unlike :meth:`has_perm`, being an administrator is not enough: for the authority
        a person holds (deciding fines), not for working in the admin.
        """
        if not self.is_active:
            return False
        return self.is_superuser or super().has_perm(perm)

    @property
    def is_inspector(self) -> bool:
        return self.role == Role.INSPECTOR

    @property
    def is_business_user(self) -> bool:
        return self.role == Role.BUSINESS and not self.is_superuser

    @property
    def is_read_only(self) -> bool:
        """Return whether the role may only read (API clients)."""
        return self.role == Role.API_CLIENT and not self.is_superuser
