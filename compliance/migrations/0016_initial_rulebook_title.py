"""The initial rule book's title in the City's language, without a repository path.

0006 titled the seeded version "Initial rule book (spec/ordinance.md starting values)";
the title is printed on every violation page, notice and decision made under it, so a
business read an English phrase and the name of a file in this repository. A title is
the administrators' data, written in the City's language; this renames the seeded
version while it is still a draft nobody has published (0015), audited. A version
already published keeps its title: a published row never changes.
"""

from django.db import migrations

OLD_TITLE = "Initial rule book (spec/ordinance.md starting values)"
NEW_TITLE = "臺北市節約能源管理自治條例 初始規則參數"
REASON = "The seeded draft's title is written in the City's language, without a file path."


def retitle(apps, schema_editor, old: str, new: str) -> None:
    version_model = apps.get_model("compliance", "RuleBookVersion")
    audit_model = apps.get_model("portal", "AuditEntry")
    for version in version_model._default_manager.filter(status="draft", title=old):
        version_model._default_manager.filter(pk=version.pk).update(title=new)
        audit_model._default_manager.create(
            actor_label="migration",
            action="update",
            object_type="compliance.rulebookversion",
            object_id=str(version.pk),
            object_repr=new,
            changes={"title": [old, new]},
            reason=REASON,
        )


class Migration(migrations.Migration):
    dependencies = [("compliance", "0015_initial_rulebook_draft")]

    operations = [
        migrations.RunPython(
            lambda apps, editor: retitle(apps, editor, OLD_TITLE, NEW_TITLE),
            lambda apps, editor: retitle(apps, editor, NEW_TITLE, OLD_TITLE),
        )
    ]
