"""The staff customer API checks Django permissions (issue 12): give the staff groups the ones
their work needs. Customer support keeps business contacts (as it keeps addresses); Finance reads
contacts and runs credit checks (the admin's "Run credit check" action, now also the API's)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "Customer support": ["view_contact", "add_contact", "change_contact", "delete_contact"],
    "Finance": ["view_contact", "add_creditcheck"],
}


def _ensure_permissions(apps):
    # Permissions are normally created after `migrate` (post_migrate); a fresh database needs them now.
    app_config = apps.get_app_config("customers")
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = None


def grant(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="customers", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="customers", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0007_business_search"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
