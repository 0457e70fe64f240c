"""The SDK's models are generated from /v1/openapi.json: regenerating them from the live server's
schema must give models.py byte for byte, so an API change that is not carried into the SDK fails
here (fix: `python sdk/python/scripts/generate_models.py <server>/v1/openapi.json`)."""

import dataclasses
import importlib.util
import typing
from pathlib import Path

import httpx
import pytest
from pulsehr_sdk import models
from pulsehr_sdk.models import Employee

SDK_DIR = Path(__file__).resolve().parents[2] / "sdk" / "python"


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("generate_models", SDK_DIR / "scripts" / "generate_models.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def openapi(sdk_site):
    response = httpx.get(f"{sdk_site.base_url}/openapi.json", timeout=30)
    response.raise_for_status()
    return response.json()


def test_models_match_the_servers_schema(generator, openapi):
    committed = (SDK_DIR / "src" / "pulsehr_sdk" / "models.py").read_text()
    assert generator.render(openapi) == committed, (
        "pulsehr_sdk/models.py has drifted from /v1/openapi.json: run sdk/python/scripts/generate_models.py"
    )


def test_every_response_schema_field_has_a_typed_attribute(generator, openapi):
    for name, schema in openapi["components"]["schemas"].items():
        if not generator.is_model(name, schema):
            continue
        model = getattr(models, name)
        hints = typing.get_type_hints(model)
        fields = {f.name for f in dataclasses.fields(model)} - {"extra", "_raw", "last_response"}
        assert fields == set(schema["properties"]), name
        assert all(hints[field] is not typing.Any for field in fields), name


def test_a_schema_change_is_caught(generator, openapi):
    changed = {**openapi, "components": {**openapi["components"], "schemas": dict(openapi["components"]["schemas"])}}
    employee = changed["components"]["schemas"]["Employee"]
    changed["components"]["schemas"]["Employee"] = {
        **employee,
        "properties": {**employee["properties"], "pronouns": {"type": "string"}},
    }
    assert generator.render(changed) != generator.render(openapi)


def test_fields_the_sdk_does_not_know_are_kept_not_fatal(pulse):
    employee = pulse.employees.create(full_name="Future", start_date="2024-01-08")
    newer = Employee.from_dict({**employee.to_dict(), "pronouns": "she/her"})
    assert newer.extra == {"pronouns": "she/her"}
    assert newer.id == employee.id and newer.to_dict()["pronouns"] == "she/her"
