from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# Staff groups and the address permissions they get.
GROUP_PERMISSIONS = {
    "Customer support": ["view_address", "add_address", "change_address", "delete_address"],
    "Finance": ["view_address"],
}


def grant_address_permissions(apps, schema_editor):
    # Permissions are normally created after the last migration; the groups need them now.
    app_config = apps.get_app_config("customers")
    app_config.models_module = True  # historical app configs have none; create_permissions needs one
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="customers", codename__in=codenames)
        )


def revoke_address_permissions(apps, schema_editor):
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
        ("customers", "0003_support_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="address",
            name="fingerprint",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Digest of the normalised address; equal for duplicates. Blank once erased.",
                max_length=64,
            ),
        ),
        migrations.AddConstraint(
            model_name="address",
            constraint=models.UniqueConstraint(
                condition=models.Q(("fingerprint", ""), _negated=True),
                fields=("customer", "fingerprint"),
                name="customers_address_no_duplicates",
            ),
        ),
        migrations.RunPython(grant_address_permissions, revoke_address_permissions),
    ]
