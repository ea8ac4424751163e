"""Give the "Finance" group the permission to approve or reject credit checks."""

from django.db import migrations

GROUP = "Finance"
CODENAME = "approve_credit"


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="customers", model="creditcheck")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=CODENAME,
        defaults={"name": "Can approve or reject credit checks"},
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission)
    # Finance also needs to see the queue and the customers in the admin.
    customer_type, _ = ContentType.objects.get_or_create(app_label="customers", model="customer")
    for codename, name, ctype in (
        ("view_creditcheck", "Can view credit check", content_type),
        ("view_customer", "Can view customer", customer_type),
    ):
        view, _ = Permission.objects.get_or_create(content_type=ctype, codename=codename, defaults={"name": name})
        group.permissions.add(view)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="customers", codename__in=[CODENAME, "view_creditcheck", "view_customer"]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0005_business"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
