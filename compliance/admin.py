"""The Django admin of compliance: each domain package registers its own models."""

from compliance.energy import admin as energy_admin
from compliance.registry import admin as registry_admin
from compliance.rulebook import admin as rulebook_admin

__all__ = ["energy_admin", "registry_admin", "rulebook_admin"]
