"""Trigram indexes for the staff customer search (PostgreSQL only).

`search` matches name, company, email and phone anywhere in the value (`icontains`), which a
b-tree cannot serve. On PostgreSQL these GIN trigram indexes do: their expressions are exactly
what Django's `icontains` / `contains` compile to (`UPPER(col::text)`, `col::text`). pg_trgm is
a trusted extension (PostgreSQL 13+), so the database owner can create it. SQLite has no
equivalent and scans; it is the development default only.
"""

from django.db import migrations

COLUMNS = {
    "customers_cust_email_trgm": 'UPPER(("email")::text)',
    "customers_cust_company_trgm": 'UPPER(("company_name")::text)',
    "customers_cust_first_name_trgm": 'UPPER(("first_name")::text)',
    "customers_cust_last_name_trgm": 'UPPER(("last_name")::text)',
    "customers_cust_phone_trgm": '("phone_number")::text',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in COLUMNS.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "customers_customer" USING gin (({expression}) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in COLUMNS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("customers", "0006_business_finance_permission")]

    operations = [migrations.RunPython(create, drop)]
