"""Customer support may see returns and decide them (approve, reject, receive) in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Customer support"
PERMISSIONS = ["view_return", "approve_return"]


def _ensure_permissions(apps):
    # Permissions are normally created after `migrate` (post_migrate); a fresh database needs them now.
    app_config = apps.get_app_config("orders")
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = None


def grant(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="orders", codename__in=PERMISSIONS))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="orders", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_returns"),
        ("customers", "0002_staff_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
