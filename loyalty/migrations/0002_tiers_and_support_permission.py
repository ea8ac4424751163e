"""Seed the tiers (member 0, premium 100, vip 500) and let Customer support adjust balances."""

from decimal import Decimal

from django.contrib.auth.management import create_permissions
from django.db import migrations

TIERS = [("member", 0, Decimal("1.00")), ("premium", 100, Decimal("1.25")), ("vip", 500, Decimal("1.50"))]


def seed(apps, schema_editor):
    Tier = apps.get_model("loyalty", "Tier")
    for name, threshold, multiplier in TIERS:
        Tier.objects.update_or_create(name=name, defaults={"threshold": threshold, "earn_multiplier": multiplier})
    # Permissions are normally created after all migrations; create them now to grant one.
    app_config = apps.get_app_config("loyalty")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Customer support")
    perms = Permission.objects.filter(
        content_type__app_label="loyalty",
        codename__in=["adjust_loyaltyaccount", "view_loyaltyaccount", "view_ledgerentry", "view_reward"],
    )
    group.permissions.add(*perms)


def unseed(apps, schema_editor):
    apps.get_model("loyalty", "Tier").objects.filter(name__in=[t[0] for t in TIERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("loyalty", "0001_initial"),
        ("customers", "0002_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
