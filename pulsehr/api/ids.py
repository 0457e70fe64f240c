"""Prefixed ULIDs (`emp_01J…`): sortable by creation time, readable in logs, and the
prefix tells a support engineer what kind of object an id names."""

from django.db import models
from ulid import ULID


def new_id(prefix: str) -> str:
    return f"{prefix}_{ULID()}"


class PrefixedIdField(models.CharField):
    """A primary key filled with `<prefix>_<ULID>` on creation."""

    def __init__(self, *args, prefix: str, **kwargs):
        self.prefix = prefix
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("primary_key", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def get_default(self):
        return new_id(self.prefix)

    def has_default(self) -> bool:
        return True

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["prefix"] = self.prefix
        return name, path, args, kwargs
