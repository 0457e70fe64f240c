"""Moving one workspace between installs: `export_workspace` and `import_workspace`.

The file is JSON Lines. The first line is a header (`format`, `version`, the workspace's slug),
the last a footer with the record count, so a truncated file is refused. Each line between is
one row in Django's "python" serialization (`{"model", "pk", "fields"}`), which knows every
field type; only the order of the models and the framing are written here.

What a workspace holds, in the order it is written (each model only refers to earlier ones,
except an employee's manager, which the import sets in a second pass):

- the workspace row, all its policies;
- `auth.user`: the users its memberships and API keys refer to, by username, with names and
  email only. Passwords are never exported. A user missing on import is created inactive with
  an unusable password; an existing user of that username is linked as it is;
- memberships; API keys as stored (the SHA-256 of the secret, so the keys keep working);
  idempotency records of those keys (they expire after 24 h, but carrying them keeps a retry
  sent across the move from writing twice);
- company days off, employees, status-log entries, kudos, workload check-ins, leave;
- events, webhook endpoints (with their signing secrets, current and previous, which are
  HMAC keys and cannot be stored hashed), deliveries and their attempts.

Both environments are exported. Primary keys (prefixed ULIDs), timestamps (auto_now included:
rows are saved raw, as `loaddata` does) and versions are kept exactly. The four models with
integer ids (memberships, idempotency records, company days off, delivery attempts) are
written without them and numbered afresh on import, where the target install's sequences
may already be past them; nothing refers to those ids.

The import runs in one transaction and checks every line before it is saved: a line that is
not JSON, names a model outside this list, belongs to another workspace or refers to a row
the file does not hold makes the whole import fail, naming that line."""

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, time
from typing import TextIO

from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from employees.models import Employee
from kudos.models import Kudos
from leave.models import CompanyDayOff, Leave
from pulsehr.api.models import IdempotencyRecord
from statuslog.models import StatusLogEntry
from webhooks.models import Delivery, DeliveryAttempt, Event, WebhookEndpoint
from workload.models import WorkloadCheckin

from .models import ApiKey, Membership, Workspace

FORMAT = "pulsehr.workspace"
VERSION = 1
USER = "auth.user"
CHUNK_SIZE = 1000

# Every model a workspace owns, in file order, with the lookup from it to the workspace.
WORKSPACE_MODELS: list[tuple[type[models.Model], str]] = [
    (Membership, "workspace"),
    (ApiKey, "workspace"),
    (IdempotencyRecord, "api_key__workspace"),
    (CompanyDayOff, "workspace"),
    (Employee, "workspace"),
    (StatusLogEntry, "workspace"),
    (Kudos, "workspace"),
    (WorkloadCheckin, "workspace"),
    (Leave, "workspace"),
    (Event, "workspace"),
    (WebhookEndpoint, "workspace"),
    (Delivery, "workspace"),
    (DeliveryAttempt, "delivery__workspace"),
]
MODELS_BY_LABEL = {model._meta.label_lower: model for model in [Workspace, *(m for m, _ in WORKSPACE_MODELS)]}
USER_FIELDS = ("email", "first_name", "last_name", "is_staff")


class PortabilityError(Exception):
    """A workspace that cannot be exported, or a file that cannot be imported; the message says why."""


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes to milliseconds; a round trip must keep microseconds."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def _line(record: dict) -> str:
    return json.dumps(record, cls=_Encoder, ensure_ascii=False, separators=(",", ":")) + "\n"


def _has_integer_id(model: type[models.Model]) -> bool:
    return isinstance(model._meta.pk, models.AutoField)


# --- Export -----------------------------------------------------------------------------------


def _records(queryset: models.QuerySet) -> Iterator[dict]:
    serializer = serializers.get_serializer("python")()
    chunk: list[models.Model] = []

    def flush() -> list[dict]:
        dumped = serializer.serialize(chunk, use_natural_foreign_keys=True)
        chunk.clear()
        return dumped

    for obj in queryset.order_by("pk").iterator(chunk_size=CHUNK_SIZE):
        chunk.append(obj)
        if len(chunk) == CHUNK_SIZE:
            yield from flush()
    yield from flush()


def _workspace_records(workspace: Workspace) -> Iterator[dict]:
    yield from _records(Workspace.objects.filter(pk=workspace.pk))
    user_model = get_user_model()
    users = user_model.objects.filter(
        models.Q(memberships__workspace=workspace) | models.Q(apikey__workspace=workspace)
    ).distinct()
    for user in users.order_by("pk"):
        fields = {user_model.USERNAME_FIELD: user.get_username()}
        fields.update({name: getattr(user, name) for name in USER_FIELDS if hasattr(user, name)})
        yield {"model": USER, "fields": fields}
    for model, lookup in WORKSPACE_MODELS:
        drop_pk = _has_integer_id(model)
        for record in _records(model.objects.filter(**{lookup: workspace})):
            if drop_pk:
                record.pop("pk", None)
            yield record


def export_workspace(*, slug: str, out: TextIO) -> int:
    """Write the workspace `slug` to `out` as JSON Lines; returns the number of records.

    One read-only transaction, REPEATABLE READ on PostgreSQL, so the file is one consistent
    snapshot even while the install keeps taking writes (when called outside a transaction)."""
    outermost = not connection.in_atomic_block  # the isolation level can only be set on a fresh transaction
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        workspace = Workspace.objects.filter(slug=slug).first()
        if workspace is None:
            raise PortabilityError(f"No workspace with slug '{slug}'.")
        out.write(_line({"format": FORMAT, "version": VERSION, "workspace": slug, "exported_at": timezone.now()}))
        count = 0
        for record in _workspace_records(workspace):
            out.write(_line(record))
            count += 1
        out.write(_line({"end": {"records": count}}))
    return count


# --- Import -----------------------------------------------------------------------------------


@dataclass
class ImportResult:
    slug: str
    counts: dict[str, int]
    users_created: list[str]


def _parse(lines: Iterable[str]) -> tuple[dict, list[tuple[int, dict]]]:
    """Check the framing and that each line is a JSON object naming a known model."""
    header: dict | None = None
    records: list[tuple[int, dict]] = []
    end: dict | None = None
    number = 0
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            raise PortabilityError(f"line {number}: empty line")
        if end is not None:
            raise PortabilityError(f"line {number}: data after the end line")
        try:
            record = json.loads(text)
        except ValueError as exc:
            raise PortabilityError(f"line {number}: not valid JSON ({exc})") from exc
        if not isinstance(record, dict):
            raise PortabilityError(f"line {number}: not a JSON object")
        if header is None:
            if record.get("format") != FORMAT:
                raise PortabilityError(f"line {number}: not a PulseHR workspace export (no '{FORMAT}' header)")
            if record.get("version") != VERSION:
                raise PortabilityError(
                    f"line {number}: format version {record.get('version')!r}; this PulseHR reads version {VERSION}"
                )
            header = record
        elif "end" in record:
            end = record
        elif record.get("model") != USER and record.get("model") not in MODELS_BY_LABEL:
            raise PortabilityError(f"line {number}: unknown model {record.get('model')!r}")
        elif not isinstance(record.get("fields"), dict):
            raise PortabilityError(f"line {number}: no 'fields' object")
        else:
            records.append((number, record))
    if header is None:
        raise PortabilityError("the file is empty")
    if end is None:
        raise PortabilityError(f"line {number}: the file ends without its end line (truncated?)")
    expected = end["end"].get("records") if isinstance(end["end"], dict) else None
    if expected != len(records):
        raise PortabilityError(f"the end line counts {expected!r} records, the file holds {len(records)}")
    return header, records


def _create_missing_users(records: list[tuple[int, dict]]) -> list[str]:
    user_model = get_user_model()
    created = []
    for number, record in records:
        if record["model"] != USER:
            continue
        fields = record["fields"]
        username = fields.get(user_model.USERNAME_FIELD)
        if not isinstance(username, str) or not username:
            raise PortabilityError(f"line {number}: a user without a {user_model.USERNAME_FIELD}")
        if user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).exists():
            continue
        user = user_model(**{user_model.USERNAME_FIELD: username}, is_active=False)
        for name in USER_FIELDS:
            if name in fields and hasattr(user, name):
                setattr(user, name, fields[name])
        user.set_unusable_password()
        try:
            user.save()
        except Exception as exc:
            raise PortabilityError(f"line {number}: {exc}") from exc
        created.append(username)
    return created


def import_workspace(lines: Iterable[str]) -> ImportResult:
    """Load an export into this install, all or nothing. Refused when the workspace (by slug or
    by id) is already here."""
    header, records = _parse(lines)
    slug = header.get("workspace")
    workspaces = [(n, r) for n, r in records if r["model"] == Workspace._meta.label_lower]
    if len(workspaces) != 1:
        raise PortabilityError(f"the file holds {len(workspaces)} workspace rows; it must hold exactly one")
    ws_line, ws_record = workspaces[0]
    if ws_record["fields"].get("slug") != slug:
        raise PortabilityError(f"line {ws_line}: the workspace's slug differs from the header's '{slug}'")
    if Workspace.objects.filter(models.Q(slug=slug) | models.Q(pk=ws_record.get("pk"))).exists():
        raise PortabilityError(
            f"Workspace '{slug}' already exists in this install; import_workspace only loads a workspace "
            "that is not here yet (delete it first, or import into another install)."
        )

    # Every row a record may refer to: its workspace and the rows of the file itself.
    known: dict[str, set] = defaultdict(set)
    for _, record in records:
        if "pk" in record:
            known[record["model"]].add(record["pk"])

    counts: dict[str, int] = defaultdict(int)
    managers: dict[str, str] = {}
    with transaction.atomic():
        users_created = _create_missing_users(records)
        for number, record in records:
            if record["model"] == USER:
                continue
            model = MODELS_BY_LABEL[record["model"]]
            if _has_integer_id(model) and "pk" in record:
                raise PortabilityError(f"line {number}: {record['model']} rows are numbered on import; drop 'pk'")
            try:
                (deserialized,) = serializers.deserialize("python", [record])
            except Exception as exc:
                raise PortabilityError(f"line {number}: {exc}") from exc
            obj = deserialized.object
            _check_references(number, obj, known)
            if isinstance(obj, Employee) and obj.manager_id is not None:
                managers[obj.pk] = obj.manager_id  # set in a second pass: a manager may come later
                obj.manager_id = None
            try:
                # raw, as loaddata saves: auto_now and auto_now_add keep the file's timestamps.
                with transaction.atomic():
                    deserialized.save(force_insert=True)
            except Exception as exc:
                raise PortabilityError(f"line {number}: {exc}") from exc
            counts[record["model"]] += 1
        for employee_id, manager_id in managers.items():
            # update() leaves auto_now alone, so updated_at stays as exported.
            Employee.objects.filter(pk=employee_id).update(manager_id=manager_id)
    return ImportResult(slug=slug, counts=dict(counts), users_created=users_created)


def _check_references(number: int, obj: models.Model, known: dict[str, set]) -> None:
    """A row may only refer to rows of this file (users excepted, resolved by username), so a
    doctored file cannot attach rows to another workspace of the install."""
    for field in obj._meta.concrete_fields:
        if not field.many_to_one:
            continue
        label = field.related_model._meta.label_lower
        if label not in MODELS_BY_LABEL:
            continue
        value = getattr(obj, field.attname)
        if value is not None and value not in known[label]:
            raise PortabilityError(f"line {number}: {field.name} refers to {label} {value!r}, which the file lacks")
