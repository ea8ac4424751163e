"""Staff admin of the customers app."""

from customers import admin_business  # noqa: F401  (business customers, contacts, credit checks)
