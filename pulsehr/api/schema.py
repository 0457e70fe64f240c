"""OpenAPI 3.1 for /v1: bearer auth, and the envelope, headers and error responses that
every operation shares, added in one place rather than on each view."""

import inspect
import threading

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import get_doc
from rest_framework.permissions import SAFE_METHODS

from .exceptions import ERROR_KINDS
from .serializers import StrictSerializer

# Docstrings of classes from these packages describe the machinery, not an operation.
_MACHINERY_MODULES = ("pulsehr.api.", "rest_framework.", "django.", "drf_spectacular.")


# (view class, action) → the query parameters its operation documents; filled by AutoSchema
# while the schema is generated, read by the views to refuse every other parameter.
_QUERY_PARAMETERS: dict[tuple[type, str], frozenset[str]] = {}
_schema: dict | None = None
_schema_lock = threading.Lock()


def generated_schema() -> dict:
    """The OpenAPI description of /v1, generated once per process (under a lock: concurrent first
    callers generate it once). It walks every view and serializer, and cannot change while the
    process runs; /v1/openapi.json serves it and the views' query-parameter check reads it."""
    global _schema
    if _schema is None:
        with _schema_lock:
            if _schema is None:
                from drf_spectacular.generators import SchemaGenerator

                # request=None: the description depends on no request (SERVERS is a relative
                # URL); the result equals what drf-spectacular's view serves.
                _schema = SchemaGenerator().get_schema(request=None, public=True)
    return _schema


def forget_schema() -> None:
    """Drop the generated schema (tests that change the API's shape)."""
    global _schema
    with _schema_lock:
        _schema = None


def operation_key(view, method: str) -> str | None:
    """What names an operation of a view: a viewset's action, a plain view's method; None for
    what the API does not describe (OPTIONS, or a method about to be a 405)."""
    if method.lower() == "options":
        return None
    if hasattr(view, "action_map"):
        return getattr(view, "action", None)
    return method.lower()


def documented_query_parameters(view_class: type, key: str) -> frozenset[str]:
    """The query parameters the OpenAPI document gives this operation, and so the only ones it
    accepts: filters, pagination and any parameter declared with @extend_schema come from one
    source, so the schema and the enforcement cannot disagree. Built once per process, from
    the same generation that serves /v1/openapi.json."""
    generated_schema()
    return _QUERY_PARAMETERS.get((view_class, key), frozenset())


def required_scopes(view, method: str) -> list[str]:
    """The scope an API key needs for an operation (HasResourceScope's rule): `read:<resource>`
    to read, `write:<resource>` for everything else."""
    resource = getattr(view, "scope_resource", "")
    if not resource:
        return []
    action = "read" if method.upper() in SAFE_METHODS else "write"
    return [f"{action}:{resource}"]


def scope_sentence(scope: str) -> str:
    """The scope requirement in words, for the operation's description."""
    action, resource = scope.split(":")
    wider = "`write:*`" if action == "write" else f"`read:*`, `write:{resource}` or `write:*`"
    return f"Needs an API key with the `{scope}` scope (or {wider}); without it the answer is 403 `permission_denied`."


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        view = self.view
        model = getattr(view, "model", None)
        if model is not None and getattr(view, "swagger_fake_view", False):
            # Schema generation has no API key, hence no tenant to scope by; the model is all
            # the generator needs (path parameter types, django-filter parameters).
            view.get_queryset = model._default_manager.none
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        scopes = required_scopes(view, method)
        if operation is not None and scopes:
            operation["x-required-scopes"] = scopes
            operation["description"] = "\n\n".join(
                filter(None, [operation.get("description"), scope_sentence(scopes[0])])
            )
        key = operation_key(view, method)
        if operation is not None and key is not None:
            names = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
            _QUERY_PARAMETERS[(type(view), key)] = frozenset(names)
        return operation

    def get_description(self) -> str:
        """The action's docstring, else the resource view's own; never a base class's."""
        action_or_method = getattr(self.view, getattr(self.view, "action", self.method.lower()), None)
        action_doc = get_doc(action_or_method)
        if action_doc:
            return action_doc
        for cls in type(self.view).__mro__:
            if cls.__module__.startswith(_MACHINERY_MODULES) or cls is object:
                break
            if cls.__dict__.get("__doc__"):
                return inspect.cleandoc(cls.__doc__)
        return ""

    def _resolve_path_parameters(self, variables):
        """DRF routers match a lookup with `[^/.]+`; say so, since drf-spectacular leaves that
        default out (an id with `/` or `.` in it routes elsewhere)."""
        parameters = super()._resolve_path_parameters(variables)
        model = getattr(self.view, "model", None)
        prefix = getattr(model._meta.pk, "prefix", None) if model is not None else None
        for parameter in parameters:
            if parameter["name"] == "id" and prefix:
                # Not drf-spectacular's "A unique value identifying this …": say what the id looks like.
                parameter["description"] = f"The {model._meta.verbose_name}'s id: `{prefix}_` followed by a ULID."
            names = {parameter["name"], "pk"} if parameter["name"] == "id" else {parameter["name"]}
            schema = parameter["schema"]
            if schema.get("type") == "string" and "pattern" not in schema:
                if any(f"(?P<{name}>[^/.]+)" in self.path_regex for name in names):
                    schema["pattern"] = "^[^/.]+$"
        return parameters

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        # A component says what its own class's docstring says: a base class's docstring is
        # about the machinery (drf-spectacular would inherit it), not about the resource.
        own_doc = type(serializer).__dict__.get("__doc__")
        if own_doc:
            schema["description"] = inspect.cleandoc(own_doc)
        else:
            schema.pop("description", None)
        if direction == "request" and isinstance(serializer, StrictSerializer):
            schema["additionalProperties"] = False  # unknown keys are a 400, not ignored
        return schema


class JSONObjectFieldSchema(OpenApiSerializerFieldExtension):
    target_class = "pulsehr.api.serializers.JSONObjectField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["maxProperties"] = self.target.max_keys
        return schema


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "pulsehr.api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key, `pk_live_…` or `pk_test_…`, minted in /developers.",
        }


# Made from the one error table, so the document and the handler cannot disagree.
ERROR_CODES = {str(status): kind.code for status, kind in ERROR_KINDS.items()}
ERROR_DESCRIPTIONS = {
    str(status): f"{kind.code}: {kind.description}" if kind.description else f"{kind.code}."
    for status, kind in ERROR_KINDS.items()
}
SUCCESS_DESCRIPTIONS = {"200": "OK.", "201": "Created.", "202": "Accepted.", "204": "No content."}

# The error envelope as three components. Not named `Error`: generated clients would shadow
# their language's own Error type with it.
ERROR_ENVELOPE = "ErrorEnvelope"
ERROR_COMPONENTS = {
    "ErrorCode": {
        "type": "string",
        "enum": sorted(set(ERROR_CODES.values())),
        "description": "Stable machine-readable error code; one per HTTP status: "
        + ", ".join(f"`{code}` ({status})" for status, code in ERROR_CODES.items())
        + ".",
    },
    "ErrorBody": {
        "type": "object",
        "description": "What went wrong.",
        "required": ["code", "message", "request_id"],
        "properties": {
            "code": {"$ref": "#/components/schemas/ErrorCode", "description": "Stable machine-readable error code."},
            "message": {"type": "string", "description": "What went wrong, for humans; may change between releases."},
            "fields": {
                "type": "array",
                "items": {"type": "string"},
                "description": "The request fields at fault (dotted for nested keys); absent when no field is.",
            },
            "request_id": {"type": "string", "description": "The X-Request-Id of the failed request."},
        },
    },
    ERROR_ENVELOPE: {
        "type": "object",
        "description": "The one error envelope, for every failure of the API.",
        "required": ["error"],
        "properties": {"error": {"$ref": "#/components/schemas/ErrorBody", "description": "What went wrong."}},
    },
}

# Response headers live once under components/headers; operations reference them.
HEADERS = {
    "X-Request-Id": {
        "description": "This request's id (`req_…`); quote it when reporting a problem.",
        "required": True,
        "schema": {"type": "string"},
    },
    "X-RateLimit-Limit": {
        "description": "Requests allowed per minute for this key (absent when rate limits are off).",
        "schema": {"type": "integer"},
    },
    "X-RateLimit-Remaining": {
        "description": "Requests left in this window (absent when rate limits are off).",
        "schema": {"type": "integer"},
    },
    "X-RateLimit-Reset": {
        "description": "When the window resets, ISO 8601 in UTC (absent when rate limits are off).",
        "schema": {"type": "string", "format": "date-time"},
    },
    "Retry-After": {"description": "Seconds to wait before retrying.", "required": True, "schema": {"type": "integer"}},
    "WWW-Authenticate": {
        "description": 'The expected scheme: `Bearer realm="api"`.',
        "required": True,
        "schema": {"type": "string"},
    },
    "ETag": {"description": "The resource version, to send back as If-Match.", "schema": {"type": "string"}},
    "Location": {"description": "The URL of the created resource.", "schema": {"type": "string"}},
    "Idempotent-Replayed": {
        "description": "`true` when this is the stored response to an earlier request with the same Idempotency-Key.",
        "schema": {"type": "string", "enum": ["true"]},
    },
}
RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")

IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Makes the POST safe to retry for 24 h: a repeat replays the first response "
    "(with `Idempotent-Replayed: true`) and writes nothing. 1–255 printable characters.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"},
}
IF_MATCH_PARAMETER = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": 'The ETag you last read (`"3"`, `W/"3"` or `*`); a newer version on the server gives 409 conflict.',
    "schema": {"type": "string", "pattern": '^(\\*|(W/)?"?[0-9]+"?)$'},
}

WRITE_METHODS = ("post", "put", "patch", "delete")
BODY_METHODS = ("post", "put", "patch")


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/headers/{name}"}


def _error_statuses(method: str, path: str) -> list[str]:
    statuses = ["400", "401", "403", "405", "429", "500"]
    if "{" in path:
        statuses.append("404")
    if method in WRITE_METHODS:
        statuses += ["409", "422"]
    if method in BODY_METHODS:
        statuses += ["413", "415"]
    return sorted(set(statuses))


def _response_headers(method: str, path: str, status: str) -> dict:
    """X-Request-Id is on every response; rate-limit figures on every response to an
    authenticated request (so not on 401); the rest where the status calls for them."""
    names = ["X-Request-Id"]
    if status != "401":
        names += RATE_LIMIT_HEADERS
    if status == "401":
        names.append("WWW-Authenticate")
    if status == "429":
        names.append("Retry-After")
    if status.startswith("2") and ("{" in path or status == "201"):
        names.append("ETag")
    if status == "201":
        names.append("Location")
    if method == "post" and status.startswith("2"):
        names.append("Idempotent-Replayed")
    return {name: _ref(name) for name in names}


def _add_parameter(parameters: list, parameter: dict) -> None:
    if not any(p.get("name") == parameter["name"] and p.get("in") == parameter["in"] for p in parameters):
        parameters.append(dict(parameter))


def _named_enums_in_parameters(result) -> None:
    """drf-spectacular names the enums of bodies only; a query parameter with the same choices
    (django-filter's) references the same component, so a generator makes one type of it."""
    named = {
        frozenset(schema["enum"]): name
        for name, schema in result["components"]["schemas"].items()
        if "enum" in schema and "properties" not in schema
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                choices = parameter.get("schema", {}).get("enum")
                if choices is not None and frozenset(choices) in named:
                    parameter["schema"] = {"$ref": f"#/components/schemas/{named[frozenset(choices)]}"}


def postprocess(result, generator, request, public):
    components = result.setdefault("components", {})
    components.setdefault("schemas", {}).update(ERROR_COMPONENTS)
    _named_enums_in_parameters(result)
    components["headers"] = {name: dict(definition) for name, definition in HEADERS.items()}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            parameters = operation.setdefault("parameters", [])
            if method == "post":
                _add_parameter(parameters, IDEMPOTENCY_PARAMETER)
            if method in ("put", "patch", "delete") and "{" in path:
                _add_parameter(parameters, IF_MATCH_PARAMETER)
            responses = operation.setdefault("responses", {})
            for status in _error_statuses(method, path):
                responses.setdefault(
                    status,
                    {
                        "description": ERROR_DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_ENVELOPE}"}}},
                    },
                )
            for status, response in responses.items():
                if not response.get("description"):
                    response["description"] = SUCCESS_DESCRIPTIONS.get(status, ERROR_DESCRIPTIONS.get(status, ""))
                response.setdefault("headers", {}).update(_response_headers(method, path, status))
            operation["responses"] = dict(sorted(responses.items()))
    return result
