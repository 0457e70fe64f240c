"""The OpenAPI 3.1 description at /v1/openapi.json, and the docs at /v1/docs.

The expected operations are derived from the URL resolver (DRF routers included), so a new
resource or action that the schema does not describe fails here."""

import re
from datetime import date
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from drf_spectacular.drainage import GENERATOR_STATS
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from rest_framework.views import APIView

from employees.api.serializers import employee_as_dict
from tests.factories import EmployeeFactory

METHODS = ("get", "post", "put", "patch", "delete")
WRITE_METHODS = ("post", "put", "patch", "delete")
EVERYWHERE = {"400", "401", "403", "429", "500"}
RATE_LIMIT_HEADERS = {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
ERROR_REF = "#/components/schemas/ErrorEnvelope"


@pytest.fixture(scope="module")
def spec():
    response = Client().get("/v1/openapi.json")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/")
    return response.json()


def resolve(spec, node):
    """Follow local $refs until a concrete object."""
    while isinstance(node, dict) and "$ref" in node:
        assert node["$ref"].startswith("#/"), node
        target = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def _walk(patterns, prefix=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, (*prefix, pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield (*prefix, pattern.pattern), pattern.callback


def _openapi_path(parts) -> str:
    path = ""
    for part in parts:
        text = str(part)
        if isinstance(part, RegexPattern):
            text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", text.removeprefix("^").removesuffix("$"))
        else:
            text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)
        path += text
    # drf-spectacular names a primary-key parameter `id` (SCHEMA_COERCE_PATH_PK).
    return "/" + path.replace("{pk}", "{id}")


def routed_operations() -> dict[tuple[str, str], str | None]:
    """(path, method) → viewset action (None for a plain APIView), for every API view under /v1."""
    found = {}
    for parts, callback in _walk(get_resolver().url_patterns):
        view_class = getattr(callback, "cls", None)
        if view_class is None or not issubclass(view_class, APIView):
            continue  # the /v1 catch-all 404, redirects, the admin
        if view_class.__module__.startswith("drf_spectacular."):
            continue  # the schema and docs views themselves
        path = _openapi_path(parts)
        if not path.startswith("/v1/"):
            continue
        actions = getattr(callback, "actions", None)
        if actions:
            for method, action in actions.items():
                if method in METHODS:  # routers map HEAD to the GET action
                    found[(path, method)] = action
        else:
            for method in METHODS:
                if method in view_class.http_method_names and hasattr(view_class, method):
                    found[(path, method)] = None
    return found


def test_is_openapi_3_1_and_valid(spec):
    assert re.fullmatch(r"3\.1\.\d+", spec["openapi"])
    validate(spec, cls=OpenAPIV31SpecValidator)


def test_every_routed_operation_is_described_and_nothing_else(spec):
    routed = routed_operations()
    assert routed, "found no /v1 API views in the URL resolver"
    described = {(path, method) for path, method, _ in operations(spec)}
    assert set(routed) - described == set(), "routed but missing from the schema"
    assert described - set(routed) == set(), "in the schema but not routed"


def test_operation_ids_are_unique(spec):
    ids = [operation["operationId"] for _, _, operation in operations(spec)]
    assert len(ids) == len(set(ids))


def test_every_operation_requires_the_bearer_api_key(spec):
    assert spec["components"]["securitySchemes"]["ApiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": spec["components"]["securitySchemes"]["ApiKey"]["description"],
    }
    assert spec["components"]["securitySchemes"]["RoomToken"]["scheme"] == "bearer"
    for path, method, operation in operations(spec):
        # The collaboration operations also take a room token, except minting one.
        takes_room_token = operation["tags"] == ["Collaboration"] and not path.endswith("/tokens")
        expected = [{"RoomToken": []}, {"ApiKey": []}] if takes_room_token else [{"ApiKey": []}]
        assert operation.get("security") == expected, (method, path)


def test_error_envelope_component(spec):
    schemas = spec["components"]["schemas"]
    assert "Error" not in schemas, "a component named Error shadows the Error type of generated clients"
    envelope = schemas["ErrorEnvelope"]
    assert envelope["required"] == ["error"]
    assert envelope["properties"]["error"]["$ref"] == "#/components/schemas/ErrorBody"
    detail = schemas["ErrorBody"]
    assert set(detail["required"]) == {"code", "message", "request_id"}
    assert set(detail["properties"]) == {"code", "message", "fields", "request_id"}
    assert detail["properties"]["code"]["$ref"] == "#/components/schemas/ErrorCode"
    assert {"invalid_request", "unauthenticated", "not_found", "conflict", "rate_limited", "internal_error"} <= set(
        schemas["ErrorCode"]["enum"]
    )


def test_every_operation_documents_its_errors_with_the_envelope(spec):
    for path, method, operation in operations(spec):
        expected = set(EVERYWHERE)
        if "{" in path:
            expected.add("404")
        if method in WRITE_METHODS:
            expected |= {"409", "422"}
        responses = operation["responses"]
        assert expected <= set(responses), (method, path, sorted(expected - set(responses)))
        for status in expected:
            response = resolve(spec, responses[status])
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": ERROR_REF}, (method, path, status)
            assert response["description"], (method, path, status)


def test_every_response_documents_request_id_and_rate_limit_headers(spec):
    for path, method, operation in operations(spec):
        assert any(status.startswith("2") for status in operation["responses"]), (method, path)
        for status, response in operation["responses"].items():
            headers = {name: resolve(spec, header) for name, header in resolve(spec, response)["headers"].items()}
            where = (method, path, status)
            assert headers["X-Request-Id"]["required"] is True, where
            if status != "401":  # rate limits count authenticated requests only
                assert RATE_LIMIT_HEADERS <= set(headers), where
                assert headers["X-RateLimit-Limit"]["schema"]["type"] == "integer"
                assert headers["X-RateLimit-Remaining"]["schema"]["type"] == "integer"
            if status == "401":
                assert "WWW-Authenticate" in headers, where
            if status == "429":
                assert headers["Retry-After"]["schema"]["type"] == "integer", where


def _parameters(spec, operation) -> dict[tuple[str, str], dict]:
    return {(p["in"], p["name"]): p for p in (resolve(spec, p) for p in operation.get("parameters", []))}


def test_posts_take_an_idempotency_key_and_patch_delete_take_if_match(spec):
    for path, method, operation in operations(spec):
        parameters = _parameters(spec, operation)
        if method == "post":
            key = parameters[("header", "Idempotency-Key")]
            assert key["required"] is False
            assert (key["schema"]["minLength"], key["schema"]["maxLength"]) == (1, 255)
        if method in ("patch", "delete"):
            assert parameters[("header", "If-Match")]["required"] is False, (method, path)
            assert "409" in operation["responses"]
        if "{" in path:
            for name in re.findall(r"{(\w+)}", path):
                assert parameters[("path", name)]["required"] is True


def test_list_operations_are_cursor_paginated(spec):
    lists = [key for key, action in routed_operations().items() if action == "list"]
    assert lists
    for path, method in lists:
        operation = spec["paths"][path][method]
        parameters = _parameters(spec, operation)
        limit = parameters[("query", "limit")]
        assert limit["required"] is False
        assert limit["schema"]["type"] == "integer"
        assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 200)
        assert parameters[("query", "cursor")]["schema"]["type"] == "string"

        envelope = resolve(spec, operation["responses"]["200"]["content"]["application/json"]["schema"])
        assert set(envelope["required"]) == {"data", "next_cursor", "total_count"}
        properties = envelope["properties"]
        assert set(properties) == {"data", "next_cursor", "total_count"}
        assert properties["data"]["type"] == "array" and "$ref" in properties["data"]["items"]
        assert set(properties["next_cursor"]["type"]) == {"string", "null"}
        assert properties["total_count"]["type"] == "integer"


def test_employee_list_filters_are_documented(spec):
    parameters = _parameters(spec, spec["paths"]["/v1/employees"]["get"])
    for name in ("status", "department", "location", "manager_id", "q"):
        parameter = parameters[("query", name)]
        assert not parameter.get("required", False), name
        assert resolve(spec, parameter["schema"])["type"] == "string", name
        assert parameter.get("description"), name
    assert parameters[("query", "status")]["schema"] == {"$ref": "#/components/schemas/EmployeeStatus"}


@pytest.mark.django_db
def test_employee_schema_lists_every_field_with_its_nullability(spec, workspace):
    schema = spec["components"]["schemas"]["Employee"]
    shown = employee_as_dict(EmployeeFactory(workspace=workspace), date.today())
    assert set(schema["properties"]) == set(shown)
    assert set(schema["required"]) == set(shown)
    nullable = {name for name, field in schema["properties"].items() if "null" in field.get("type", [])}
    assert nullable == {"email", "manager_id", "end_date"}
    assert resolve(spec, schema["properties"]["status"]["allOf"][0])["enum"] == ["active", "former"]


@pytest.mark.django_db
def test_real_employee_responses_match_the_component_schemas(spec, api, make_employee):
    manager = make_employee(email=None)
    make_employee(manager=manager, end_date=date(2023, 1, 31), custom_fields={"shoe": 42, "tags": ["a"]})
    validator = jsonschema.Draft202012Validator(
        {**spec, "$ref": "#/components/schemas/PaginatedEmployeeList"}, format_checker=jsonschema.FormatChecker()
    )
    page = api.get("/v1/employees")
    assert page.status_code == 200
    validator.validate(page.json())
    assert {row["end_date"] is None for row in page.json()["data"]} == {True, False}

    one = jsonschema.Draft202012Validator({**spec, "$ref": "#/components/schemas/Employee"})
    one.validate(api.get(f"/v1/employees/{manager.pk}").json())
    error = jsonschema.Draft202012Validator({**spec, "$ref": ERROR_REF})
    error.validate(api.get("/v1/employees/emp_unknown").json())
    error.validate(api.get("/v1/employees", {"limit": 0}).json())


def test_schema_generation_is_free_of_warnings_and_errors(monkeypatch, capsys, tmp_path):
    # settings.py silences drf-spectacular; a warning here means a view the generator could not
    # read (for example an undocumented parameter type), so it must stay empty.
    monkeypatch.setitem(settings.SPECTACULAR_SETTINGS, "DISABLE_ERRORS_AND_WARNINGS", False)
    monkeypatch.setattr(GENERATOR_STATS, "silent", False)
    GENERATOR_STATS.reset()
    try:
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    except Exception as exc:
        pytest.fail(f"{exc}\n{capsys.readouterr().err}")
    finally:
        GENERATOR_STATS.reset()
    assert "Warning" not in capsys.readouterr().err


def test_docs_render_from_local_static_files_only():
    client = Client()
    response = client.get("/v1/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    # Swagger UI's start-up script is a file of its own (the Content-Security-Policy allows no inline script).
    [startup_url] = re.findall(r"""<script src="(/v1/docs\?[^"]*)\"""", page)
    startup = client.get(startup_url).content.decode()
    assert "SwaggerUIBundle" in startup and "/v1/openapi.json" in startup

    absolute = re.findall(r"""https?://[^\s"'<>)]+""", page + startup)
    foreign = [url for url in absolute if urlsplit(url).hostname not in (None, "testserver")]
    assert foreign == [], "the docs page must not load anything from another host"

    assets = [asset for asset in re.findall(r"""(?:src|href)="([^"]+)\"""", page) if asset != startup_url]
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert asset.startswith(settings.STATIC_URL), asset
        served = client.get(asset)
        assert served.status_code == 200, asset
        body = b"".join(served.streaming_content) if served.streaming else served.content
        assert body, asset
