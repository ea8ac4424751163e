"""Model fields shared by every app."""

import secrets
import string

from django.db import models

_ALPHABET = string.ascii_letters + string.digits


def new_public_id(prefix: str, length: int = 20) -> str:
    """A random, non-sequential public id such as `cust_7Hq2Zk9Lm4PaXw81bQeT`."""
    return f"{prefix}_" + "".join(secrets.choice(_ALPHABET) for _ in range(length))


class PublicIdField(models.CharField):
    """The opaque `prefix_…` id the API shows; integer primary keys stay internal."""

    def __init__(self, *args, prefix: str = "", **kwargs):
        self.prefix = prefix
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("unique", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["prefix"] = self.prefix
        # Compare with this field's own defaults, not Field's: a copy with unique=False (the
        # audit-history model's) must say so, or it is rebuilt unique.
        actual = {
            "max_length": self.max_length,
            "unique": self._unique,
            "editable": self.editable,
            "db_index": self.db_index,
        }
        for key, default in (("max_length", 32), ("unique", True), ("editable", False), ("db_index", True)):
            if actual[key] == default:
                kwargs.pop(key, None)
            else:
                kwargs[key] = actual[key]
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if not value:
            value = new_public_id(self.prefix)
            setattr(model_instance, self.attname, value)
        return value


class MoneyField(models.DecimalField):
    """Money: 12 digits, 2 decimal places, never a float."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_digits") == 12:
            kwargs.pop("max_digits")
        if kwargs.get("decimal_places") == 2:
            kwargs.pop("decimal_places")
        return name, path, args, kwargs
