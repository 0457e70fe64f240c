"""Row locks for the write path."""

from django.db.models import Model, QuerySet

from pulsehr.errors import ensure_version


def locked_at_version(queryset: QuerySet, pk, expected_version: int | None = None, **lock) -> Model:
    """Lock one row of `queryset` for the rest of the transaction and check the If-Match version.

    `queryset` is already scoped to the tenant, so another workspace's id is DoesNotExist (a 404
    in the API). `lock` passes through to select_for_update (e.g. `no_key=True`)."""
    row = queryset.select_for_update(**lock).get(pk=pk)
    ensure_version(row.version, expected_version)
    return row
