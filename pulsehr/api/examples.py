"""An example on every request body and every response of /v1/openapi.json.

The apps keep sample payloads, built with the representations the API and the events use (the
ones /ecosystem shows). Each app's AppConfig names, in `api_examples`, a function returning
{component name: example}; a list's example is made from its item's, and an error's from the
one error table. tests/api/test_openapi_examples.py validates every example against its schema."""

from django.apps import apps
from django.utils.module_loading import import_string

from .exceptions import ERROR_KINDS

EXAMPLE_REQUEST_ID = "req_01JP9ZTDE03KZMG98D1AH52Z3R"
JSON = "application/json"
SCHEMA_PREFIX = "#/components/schemas/"


def component_examples() -> dict[str, object]:
    """{component name: example} from every installed app that keeps some."""
    examples: dict[str, object] = {}
    for config in apps.get_app_configs():
        builder = getattr(config, "api_examples", "")
        if builder:
            examples.update(import_string(builder)())
    return examples


def _component(schema: dict) -> str | None:
    ref = schema.get("$ref", "")
    return ref.removeprefix(SCHEMA_PREFIX) if ref.startswith(SCHEMA_PREFIX) else None


def _list_example(schema: dict, examples: dict) -> dict | None:
    """A list envelope's example, `{"data": [item], …}`, from its item's example."""
    properties = schema.get("properties", {})
    item = _component(properties.get("data", {}).get("items", {}))
    if item not in examples:
        return None
    example: dict = {"data": [examples[item]]}
    if "next_cursor" in properties:
        example |= {"next_cursor": None, "total_count": 1}
    return example


def _first_body_field(operation: dict, schemas: dict) -> str | None:
    body = operation.get("requestBody", {}).get("content", {}).get(JSON, {}).get("schema", {})
    schema = schemas.get(_component(body) or "", {})
    required = schema.get("required") or list(schema.get("properties", {}))
    return required[0] if required else None


def _error_message(status: int, method: str, operation: dict, schemas: dict) -> tuple[str, list[str]]:
    """A message as the server writes it for this status, and the fields it names."""
    scope = (operation.get("x-required-scopes") or ["read:employees"])[0]
    if status == 400:
        field = _first_body_field(operation, schemas)
        if field:
            return f"{field}: This field is required.", [field]
        return "Unknown query parameter: colour.", ["colour"]
    messages = {
        401: ("Unknown API key.", []),
        403: (f"This API key lacks the '{scope}' scope.", []),
        404: ("Not found.", []),
        405: ("Method PUT is not allowed here.", []),
        409: (
            ("Idempotency-Key 'a3c1e2' was already used with a different request.", ["Idempotency-Key"])
            if method == "post"
            else ("The resource has changed (version 4, If-Match named 3); fetch it and retry.", ["If-Match"])
        ),
        413: ("The request body is larger than 1048576 bytes (PULSEHR_MAX_BODY_BYTES).", []),
        415: ("Send the request body as application/json.", []),
        422: ("The request is well-formed but breaks a rule; the message says which.", []),
        429: ("Rate limit of 1000 requests per minute exceeded; retry in 42 s.", []),
        500: (f"An internal error occurred. Quote request id {EXAMPLE_REQUEST_ID} when reporting it.", []),
    }
    return messages[status]


def error_example(status: int, method: str, operation: dict, schemas: dict, examples: dict) -> dict:
    override = examples.get(f"{operation.get('operationId')}.{status}")
    message, fields = (
        (override["message"], override.get("fields", []))
        if override
        else (_error_message(status, method, operation, schemas))
    )
    error = {"code": ERROR_KINDS[status].code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error | {"request_id": EXAMPLE_REQUEST_ID}}


def add_examples(result, generator, request, public):
    """drf-spectacular post-processing hook: set `example` on each JSON body of /v1."""
    examples = component_examples()
    schemas = result.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        if name not in examples and (derived := _list_example(schema, examples)) is not None:
            examples[name] = derived
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get(JSON)
            if body is not None and _component(body["schema"]) in examples:
                body["example"] = examples[_component(body["schema"])]
            for status, response in operation["responses"].items():
                media = response.get("content", {}).get(JSON)
                if media is None:
                    continue
                if status.isdigit() and int(status) in ERROR_KINDS:
                    media["example"] = error_example(int(status), method, operation, schemas, examples)
                elif _component(media["schema"]) in examples:
                    media["example"] = examples[_component(media["schema"])]
    return result
