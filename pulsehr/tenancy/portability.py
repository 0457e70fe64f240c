"""Moving one workspace between installs: `export_workspace` and `import_workspace`.

The file is JSON Lines. The first line is a header (`format`, `version`, the workspace's slug),
the last a footer with the record count, so a truncated file is refused. Each line between is
one row in Django's "python" serialization (`{"model", "pk", "fields"}`), which knows every
field type; only the order of the models and the framing are written here.

What a workspace holds is what the installed apps declare on their AppConfig (apps.py):
`workspace_models`, the app's models a workspace owns with the lookup from each to the workspace,
and `not_exported`, those deliberately left out, each with its reason; `workspace_imported`, what
an app rebuilds from the imported rows before the import commits. The core names no app.
The file holds, in this order:

- the workspace row, all its policies;
- `auth.user`: the users its memberships and API keys refer to, by username, with names and
  email only. Passwords are never exported. A user missing on import is created inactive with
  an unusable password. A user of that username already in the install is linked only when
  the import is told to (`--link-users`): otherwise a file could make anyone an owner;
- the registered models, each written after every model it refers to (its foreign keys, and
  the model an idempotency record's principal names), otherwise in the order declared: apps in
  INSTALLED_APPS order, then each app's own order. Today: memberships; events, webhook
  endpoints (with their signing secrets, current and previous, which are HMAC keys and cannot
  be stored hashed), deliveries and their attempts; employees; API keys (as stored: the SHA-256
  of the secret, so the keys keep working; after the employees, as a key may act as one of its
  environment); idempotency records; status-log entries, kudos,
  workload check-ins, company days off and leave; the collaboration rooms, threads, comments,
  reactions and each room's recent changes. A model referring to itself (an employee's
  manager) is set in a second pass on import.

Idempotency records travel with the API keys and the room tokens that made them (they expire
after 24 h, but carrying them keeps a retry sent across the move from writing twice). A room
token has no row: its record's `principal` names the token's workspace, environment, user and
room, and the app owning such principals declares, in `idempotency_principals`, their prefix
and the model their user is a row of.

Both environments are exported. Primary keys (prefixed ULIDs), timestamps (auto_now included:
rows are saved raw, as `loaddata` does) and versions are kept exactly. The models with integer
ids (memberships, idempotency records, company days off, delivery attempts, room changes) are
written without them and numbered afresh on import, where the target install's sequences may
already be past them; nothing refers to those ids.

The import reads the file as a stream, one line at a time, and saves each row as it goes, in
one transaction: any refused line rolls everything back, and the error names that line. A file
is data from outside, so every row must belong to the imported workspace: each reference
resolves to a row the file holds (of the same environment) or, for users, to a user line of
the file; a room token's idempotency record names this workspace and one of its employees; no
timestamp lies in the future (beyond CLOCK_SKEW) except those that schedule work (each app's
`scheduled_fields`); and every
value obeys the JSON value policy (pulsehr/jsonvalues.py)."""

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cache, cached_property
from typing import TextIO

import orjson
from django.apps import AppConfig, apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from pulsehr.api.models import IdempotencyRecord
from pulsehr.jsonvalues import json_value_problem, validate_json_value

from .choices import Environment
from .models import Workspace

FORMAT = "pulsehr.workspace"
VERSION = 1
USER = "auth.user"
WORKSPACE = "tenancy.workspace"
CHUNK_SIZE = 1000

USER_FIELDS = ("email", "first_name", "last_name", "is_staff")

# How far a timestamp may lie ahead of this install's clock (the source's may run a little fast).
CLOCK_SKEW = timedelta(minutes=5)
# A principal of an idempotency record without an API key: "<prefix>:<workspace>:<environment>:<user>:<rest>".
PRINCIPAL_PARTS = 5


@dataclass(frozen=True)
class Registry:
    """What the installed apps declare of a workspace's data (see the module's docstring)."""

    # Every model a workspace owns, in file order, with the lookup from it to the workspace.
    models: list[tuple[type[models.Model], str]]
    # Models that belong to a workspace and are deliberately left out of the file: label -> reason.
    not_exported: dict[str, str]
    # The timestamps that schedule work, and so may lie in the future, by model label; every
    # other one records when something happened. A future `created_at` would, for one, keep an
    # idempotency record alive forever.
    scheduled_fields: dict[str, frozenset[str]]
    # Idempotency records' principals without an API key: prefix -> the label of the model
    # whose row the principal's user is.
    principals: dict[str, str]
    # What apps rebuild from the imported rows before the import commits (`workspace_imported`,
    # a dotted path to a function of `workspace=`): leave's copies of its people's names.
    after_import: list[str] = field(default_factory=list)

    @cached_property
    def by_label(self) -> dict[str, type[models.Model]]:
        return {model._meta.label_lower: model for model in [Workspace, *(m for m, _ in self.models)]}

    def lookup(self, model: type[models.Model]) -> str:
        return dict(self.models)[model]


def registry_of(app_configs: Iterable[AppConfig]) -> Registry:
    """Read the declarations of `app_configs` (in INSTALLED_APPS order)."""
    declared: list[tuple[type[models.Model], str]] = []
    not_exported: dict[str, str] = {}
    scheduled: dict[str, frozenset[str]] = {}
    principals: dict[str, str] = {}
    after_import: list[str] = []
    for config in app_configs:
        declared += [(apps.get_model(label), lookup) for label, lookup in getattr(config, "workspace_models", ())]
        not_exported.update(getattr(config, "not_exported", {}))
        scheduled.update({label: frozenset(names) for label, names in getattr(config, "scheduled_fields", {}).items()})
        principals.update(getattr(config, "idempotency_principals", {}))
        if hasattr(config, "workspace_imported"):
            after_import.append(config.workspace_imported)
    labels = [model._meta.label_lower for model, _ in declared]
    twice = {label for label in labels if labels.count(label) > 1} | (set(labels) & set(not_exported))
    if twice:
        raise ImproperlyConfigured(f"Declared twice among workspace_models and not_exported: {sorted(twice)}")
    principal_models = {apps.get_model(label) for label in principals.values()}
    return Registry(_in_file_order(declared, principal_models), not_exported, scheduled, principals, after_import)


def _in_file_order(
    declared: list[tuple[type[models.Model], str]], principal_models: set[type[models.Model]]
) -> list[tuple[type[models.Model], str]]:
    """Each model after every model it refers to, since the import checks each reference
    against the rows before it; otherwise in the declared order."""

    def referred(model: type[models.Model]) -> set[type[models.Model]]:
        # Users come first, as user lines; a model's reference to itself waits for a second pass.
        to = {f.related_model for f in model._meta.concrete_fields if f.many_to_one}
        if model is IdempotencyRecord:
            to |= principal_models
        return to - {model, get_user_model()}

    pending, ordered, written = list(declared), [], {Workspace}
    while pending:
        ready = next((entry for entry in pending if referred(entry[0]) <= written), None)
        if ready is None:
            stuck = {
                m._meta.label_lower: sorted(x._meta.label_lower for x in referred(m) - written) for m, _ in pending
            }
            raise ImproperlyConfigured(f"Workspace models refer to models no app registers, or in a cycle: {stuck}")
        pending.remove(ready)
        ordered.append(ready)
        written.add(ready[0])
    return ordered


@cache
def registry() -> Registry:
    """The installed apps' declarations, read once."""
    return registry_of(apps.get_app_configs())


def _model_field(model: type[models.Model] | None, name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None


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


def workspace_rows(model: type[models.Model], workspace: Workspace) -> models.QuerySet:
    """The rows of `model` that belong to `workspace`."""
    condition = models.Q(**{registry().lookup(model): workspace})
    if model is IdempotencyRecord:
        for prefix in registry().principals:
            condition |= models.Q(api_key=None, principal__startswith=f"{prefix}:{workspace.pk}:")
    return model._base_manager.filter(condition)


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
    for model, _ in registry().models:
        drop_pk = _has_integer_id(model)
        for record in _records(workspace_rows(model, workspace)):
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
    users_linked: list[str] = field(default_factory=list)


def import_workspace(lines: Iterable[str], *, link_users: bool = False) -> ImportResult:
    """Load an export into this install, all or nothing, reading `lines` one at a time. Refused
    when the workspace (by slug or by id) is already here. `link_users` lets the file's users
    be existing users of the install, of the same username; without it such a line is refused."""
    importer = _Importer(link_users=link_users)
    with transaction.atomic():
        number = 0
        for number, text in enumerate(lines, start=1):
            importer.line(number, text)
        importer.finish(number)
    return importer.result


def _parse_line(number: int, text: str) -> dict:
    if not text.strip():
        raise PortabilityError(f"line {number}: empty line")
    try:
        # orjson, not json: it refuses nesting beyond 1024 levels with an error, where the
        # standard library's parser would blow the interpreter's stack (RecursionError).
        record = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        if "depth limit" in str(exc) or "recursion" in str(exc):
            raise PortabilityError(f"line {number}: nested too deeply to be a workspace record ({exc})") from exc
        raise PortabilityError(f"line {number}: not valid JSON ({exc})") from exc
    except RecursionError as exc:  # pragma: no cover - orjson has its own limit; kept as a backstop
        raise PortabilityError(f"line {number}: nested too deeply to be a workspace record") from exc
    if not isinstance(record, dict):
        raise PortabilityError(f"line {number}: not a JSON object")
    return record


class _Importer:
    """One import's state while the file streams through: what the file has defined so far
    (rows by model, with their environment, and users by username), so each line is checked
    against earlier lines only, and nothing but ids is kept in memory."""

    def __init__(self, *, link_users: bool):
        self.link_users = link_users
        self.now = timezone.now()
        self.header: dict | None = None
        self.workspace_pk: str | None = None
        self.ended = False
        self.records = 0
        # label -> {pk: environment or None}: every row a later row may refer to.
        self.known: dict[str, dict] = defaultdict(dict)
        self.users: dict[str, int] = {}  # username -> the user's pk in this install
        self.registry = registry()
        # References of rows to rows of their own model (an employee's manager), which may come
        # later in the file: (line, model, pk, field, value, environment), set once all are in.
        self.self_references: list[tuple[int, type[models.Model], str, models.Field, str, str | None]] = []
        self.result = ImportResult(slug="", counts=defaultdict(int), users_created=[], users_linked=[])

    # -- framing --

    def line(self, number: int, text: str) -> None:
        if self.ended:
            raise PortabilityError(f"line {number}: data after the end line")
        record = _parse_line(number, text)
        if self.header is None:
            self._header(number, record)
        elif "end" in record and "model" not in record:
            self._end(number, record)
        else:
            self.records += 1
            label = record.get("model")
            if not isinstance(record.get("fields"), dict) and (label == USER or label in self.registry.by_label):
                raise PortabilityError(f"line {number}: no 'fields' object")
            if self.workspace_pk is None:
                if label != WORKSPACE:
                    raise PortabilityError(f"line {number}: the first record must be the workspace, not {label!r}")
                self._workspace(number, record)
            elif label == USER:
                self._user(number, record)
            elif label == WORKSPACE:
                raise PortabilityError(f"line {number}: a second workspace row; a file holds exactly one")
            elif label in self.registry.by_label:
                self._row(number, record)
            else:
                raise PortabilityError(f"line {number}: unknown model {label!r}")

    def _header(self, number: int, record: dict) -> None:
        if record.get("format") != FORMAT:
            raise PortabilityError(f"line {number}: not a PulseHR workspace export (no '{FORMAT}' header)")
        if record.get("version") != VERSION:
            raise PortabilityError(
                f"line {number}: format version {record.get('version')!r}; this PulseHR reads version {VERSION}"
            )
        if not isinstance(record.get("workspace"), str):
            raise PortabilityError(f"line {number}: the header names no workspace")
        self.header = record
        self.result.slug = record["workspace"]

    def _end(self, number: int, record: dict) -> None:
        expected = record["end"].get("records") if isinstance(record["end"], dict) else None
        if expected != self.records:
            raise PortabilityError(
                f"line {number}: the end line counts {expected!r} records, the file holds {self.records}"
            )
        self.ended = True

    def finish(self, last: int) -> None:
        if self.header is None:
            raise PortabilityError("the file is empty")
        if not self.ended:
            raise PortabilityError(f"line {last}: the file ends without its end line (truncated?)")
        if self.workspace_pk is None:
            raise PortabilityError("the file holds no workspace row")
        for number, model, pk, model_field, value, environment in self.self_references:
            self._check_reference(number, model_field.name, model._meta.label_lower, value, environment)
            # update() leaves auto_now alone, so updated_at stays as exported.
            model._base_manager.filter(pk=pk).update(**{model_field.attname: value})
        workspace = Workspace.objects.get(pk=self.workspace_pk)
        for path in self.registry.after_import:
            import_string(path)(workspace=workspace)
        self.result.counts = dict(self.result.counts)

    # -- records --

    def _workspace(self, number: int, record: dict) -> None:
        slug = self.header["workspace"]
        if record["fields"].get("slug") != slug:
            raise PortabilityError(f"line {number}: the workspace's slug differs from the header's '{slug}'")
        if not isinstance(record.get("pk"), str):
            raise PortabilityError(f"line {number}: the workspace has no id")
        if Workspace.objects.filter(models.Q(slug=slug) | models.Q(pk=record["pk"])).exists():
            raise PortabilityError(
                f"Workspace '{slug}' already exists in this install; import_workspace only loads a workspace "
                "that is not here yet (delete it first, or import into another install)."
            )
        self.workspace_pk = record["pk"]
        self._save(number, record)

    def _user(self, number: int, record: dict) -> None:
        user_model = get_user_model()
        fields = record["fields"]
        username = fields.get(user_model.USERNAME_FIELD)
        if not isinstance(username, str) or not username:
            raise PortabilityError(f"line {number}: a user without a {user_model.USERNAME_FIELD}")
        if username in self.users:
            raise PortabilityError(f"line {number}: user '{username}' is listed twice")
        unknown = set(fields) - {user_model.USERNAME_FIELD, *USER_FIELDS}
        if unknown:
            raise PortabilityError(f"line {number}: a user line carries only names and email, not {sorted(unknown)}")
        self._check_values(number, fields)
        existing = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
        if existing is not None:
            if not self.link_users:
                raise PortabilityError(
                    f"line {number}: user '{username}' already exists in this install; the file would give them "
                    "its memberships and keys. Run the import with --link-users to link them on purpose."
                )
            self.users[username] = existing.pk
            self.result.users_linked.append(username)
            return
        user = user_model(**{user_model.USERNAME_FIELD: username}, is_active=False)
        for name in USER_FIELDS:
            if name in fields and hasattr(user, name):
                setattr(user, name, fields[name])
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
        except Exception as exc:
            raise PortabilityError(f"line {number}: {exc}") from exc
        self.users[username] = user.pk
        self.result.users_created.append(username)

    def _row(self, number: int, record: dict) -> None:
        label = record["model"]
        model = self.registry.by_label[label]
        if _has_integer_id(model) and "pk" in record:
            raise PortabilityError(f"line {number}: {label} rows are numbered on import; drop 'pk'")
        if not _has_integer_id(model) and not isinstance(record.get("pk"), str):
            raise PortabilityError(f"line {number}: a {label} row without its id")
        self._save(number, record)

    def _save(self, number: int, record: dict) -> None:
        label = record["model"]
        model = self.registry.by_label[label]
        self._check_values(number, record["fields"], model)
        self._check_users(number, model, record["fields"])
        try:
            (deserialized,) = serializers.deserialize("python", [record])
        except Exception as exc:
            raise PortabilityError(f"line {number}: {exc}") from exc
        obj = deserialized.object
        environment = self._check_row(number, obj)
        self._check_field_values(number, obj)
        for model_field in _self_references(model):
            if (value := getattr(obj, model_field.attname)) is not None:
                # Set in a second pass: the row referred to may come later in the file.
                self.self_references.append((number, model, obj.pk, model_field, value, environment))
                setattr(obj, model_field.attname, None)
        try:
            # raw, as loaddata saves: auto_now and auto_now_add keep the file's timestamps.
            with transaction.atomic():
                deserialized.save(force_insert=True)
        except Exception as exc:
            raise PortabilityError(f"line {number}: {exc}") from exc
        if not _has_integer_id(obj):
            self.known[label][obj.pk] = environment
        self.result.counts[label] += 1

    # -- checks --

    def _check_values(self, number: int, fields: dict, model: type[models.Model] | None = None) -> None:
        """The JSON-value policy on what people write (the JSONFields that carry its validator,
        and every string). Events' `data` is the system's copy of a resource and is not held to
        the size cap, so an exported workspace always imports back."""
        for name, value in fields.items():
            field = _model_field(model, name)
            if isinstance(field, models.JSONField) and validate_json_value not in field.validators:
                continue
            problem = json_value_problem(value)
            if problem:
                raise PortabilityError(f"line {number}: {name}: {problem}")

    def _check_field_values(self, number: int, obj: models.Model) -> None:
        """A raw save checks no choice, nor (on SQLite) any length: a role or status outside its
        choices would reach code that trusts them."""
        for model_field in obj._meta.concrete_fields:
            value = getattr(obj, model_field.attname)
            if model_field.choices and value not in (None, "") and value not in dict(model_field.flatchoices):
                raise PortabilityError(f"line {number}: {model_field.name} {value!r} is not one of its choices")
            limit = getattr(model_field, "max_length", None)
            if isinstance(value, str) and limit and len(value) > limit:
                raise PortabilityError(f"line {number}: {model_field.name} is longer than {limit} characters")

    def _check_users(self, number: int, model: type[models.Model], fields: dict) -> None:
        """A reference to a user is a username of this file's user lines (natural keys), never a
        bare id or a username the file does not list: either would reach any user of the install."""
        user_model = get_user_model()
        for model_field in model._meta.concrete_fields:
            if not model_field.many_to_one or model_field.related_model is not user_model:
                continue
            value = fields.get(model_field.name)
            if value is None:
                continue
            if not (isinstance(value, list) and len(value) == 1 and value[0] in self.users):
                raise PortabilityError(
                    f"line {number}: {model_field.name} refers to user {value!r}, which the file's user lines lack"
                )

    def _check_row(self, number: int, obj: models.Model) -> str | None:
        """Check what a deserialized row refers to and when it says things happened; returns its
        environment (its own, or its parent's for rows without one)."""
        label = obj._meta.label_lower
        environment = getattr(obj, "environment", None) if _has_field(obj, "environment") else None
        if _has_field(obj, "environment") and environment not in Environment.values:
            raise PortabilityError(f"line {number}: environment {environment!r} is neither live nor test")
        for model_field in obj._meta.concrete_fields:
            if model_field.many_to_one and model_field.related_model is not get_user_model():
                value = getattr(obj, model_field.attname)
                related = model_field.related_model._meta.label_lower
                if value is None or model_field.related_model is type(obj):
                    continue  # checked in the second pass, once every row of the model is in
                environment = self._check_reference(number, model_field.name, related, value, environment)
            elif isinstance(model_field, models.DateTimeField):
                self._check_timestamp(number, label, model_field.name, getattr(obj, model_field.attname))
        if isinstance(obj, IdempotencyRecord):
            environment = self._check_principal(number, obj, environment)
        return environment

    def _check_reference(self, number: int, name: str, related: str, value, environment: str | None) -> str | None:
        rows = self.known.get(related, {})
        if value not in rows:
            raise PortabilityError(f"line {number}: {name} refers to {related} {value!r}, which the file lacks")
        theirs = rows[value]
        if theirs is not None and environment is not None and theirs != environment:
            raise PortabilityError(
                f"line {number}: {name} refers to {related} {value!r} of the {theirs} environment, "
                f"from a row of the {environment} environment"
            )
        return environment or theirs

    def _check_timestamp(self, number: int, label: str, name: str, value) -> None:
        if value is None:
            return
        if timezone.is_naive(value):
            raise PortabilityError(f"line {number}: {name} has no time zone")
        if value > self.now + CLOCK_SKEW and name not in self.registry.scheduled_fields.get(label, ()):
            raise PortabilityError(f"line {number}: {name} {value.isoformat()} lies in the future")

    def _check_principal(self, number: int, record: IdempotencyRecord, environment: str | None) -> str | None:
        """An API key's record belongs to its key (checked as a reference); a room token's names
        its workspace, environment, user and room, and must name this workspace and one of its
        employees of that environment, or a replay would answer another tenant's request."""
        if record.api_key_id is not None:
            if record.principal:
                raise PortabilityError(f"line {number}: an idempotency record of an API key names a principal too")
            return environment
        parts = record.principal.split(":", PRINCIPAL_PARTS - 1)
        if len(parts) != PRINCIPAL_PARTS or parts[0] not in self.registry.principals:
            raise PortabilityError(f"line {number}: principal {record.principal!r} is not a room token's")
        prefix, workspace_id, principal_environment, user_id, _rest = parts
        if workspace_id != self.workspace_pk:
            raise PortabilityError(f"line {number}: principal {record.principal!r} names another workspace")
        if principal_environment not in Environment.values:
            raise PortabilityError(f"line {number}: principal {record.principal!r} names no environment")
        user_label = self.registry.principals[prefix]
        self._check_reference(number, "principal", user_label, user_id, principal_environment)
        return principal_environment


def _self_references(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.many_to_one and f.related_model is model]


def _has_field(obj: models.Model, name: str) -> bool:
    return any(f.name == name for f in obj._meta.concrete_fields)
