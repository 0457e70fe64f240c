"""The Python SDK against the language-neutral vectors in sdk/conformance (see its README)."""

import json
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from unittest import mock

import httpx
import pytest
from pulsehr_sdk import Pulse, errors, webhooks

from tests.conformance.fault_server import FaultServer

ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = ROOT / "sdk" / "conformance"


def cases(name: str) -> list[dict]:
    data = json.loads((CONFORMANCE / name).read_text())
    assert data["version"] == 1
    return data["cases"]


def class_name(case: dict) -> str:
    return case.get("python") or "".join(part.title() for part in case["kind"].split("_")) + "Error"


def test_vectors_match_server_signing():
    # The committed vectors are what the server's signing code makes today.
    check = subprocess.run(
        [sys.executable, str(CONFORMANCE / "generate_vectors.py"), "--check"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize("case", cases("errors.json"), ids=lambda case: case["name"])
def test_error_is_mapped_to_its_class(case):
    if case["envelope"]:
        response = httpx.Response(
            case["status"], json={"error": {"code": case["code"], "message": "m", "request_id": "req_1"}}
        )
    else:
        response = httpx.Response(case["status"], text="upstream failed", headers={"Content-Type": "text/plain"})
    error = errors.error_from_response(response)
    assert type(error) is getattr(errors, class_name(case))
    assert (error.code, error.status) == (case["code"], case["status"])
    if case["envelope"]:
        assert error.request_id == "req_1"


@pytest.mark.parametrize("case", cases("webhooks/signatures.json"), ids=lambda case: case["name"])
def test_webhook_signature(case):
    def run():
        if case["scheme"] == "pulse":
            header = next((v for k, v in case["headers"].items() if k.lower() == "x-pulse-signature"), None)
            return webhooks.verify(case["body"], header, case["secret"], case["tolerance"])
        return webhooks.verify_standard(case["body"], case["headers"], case["secret"], case["tolerance"])

    with mock.patch.object(webhooks.time, "time", return_value=float(case["now"])):
        if case["valid"]:
            assert run().id == json.loads(case["body"])["id"]
        else:
            with pytest.raises(webhooks.WebhookVerificationError):
                run()


def test_readme_names_every_vector_file():
    readme = (CONFORMANCE / "README.md").read_text()
    files = {str(path.relative_to(CONFORMANCE)) for path in CONFORMANCE.rglob("*.json")}
    documented = set(re.findall(r"[\w/]+\.json", readme))
    assert files and files <= documented, files - documented


# --- Live scenarios, through the fault server in front of a live server --------------------------


@pytest.fixture(scope="module")
def fault_server(sdk_site):
    with FaultServer(sdk_site.server.url) as server:
        yield server


def run_operation(pulse, operation: str, params: dict):
    if operation == "employees.create":
        return pulse.employees.create(**params)
    if operation == "employees.list":
        return pulse.employees.list(**params).first_page()
    raise AssertionError(f"unknown operation {operation}")


@pytest.mark.parametrize("case", cases("scenarios/faults.json"), ids=lambda case: case["name"])
def test_fault_scenario(case, sdk_site, fault_server):
    httpx.post(f"{fault_server.url}/__fault/arm", json=case["fault"]).raise_for_status()
    with Pulse(api_key=sdk_site.key, base_url=f"{fault_server.url}/v1", backoff=0.05) as pulse:
        started = time.monotonic()
        run_operation(pulse, case["operation"], case["params"])
        elapsed = time.monotonic() - started
    seen = httpx.get(f"{fault_server.url}/__fault/log").json()["requests"]
    expect = case["expect"]
    assert len(seen) == expect["requests"], seen
    assert elapsed >= expect["min_elapsed_seconds"]
    if expect["same_idempotency_key"]:
        keys = {entry["idempotency_key"] for entry in seen}
        assert len(keys) == 1 and None not in keys, seen


# --- Live workflows (scenarios/workflows.json), straight against the live server -----------------


def workflow_update_with_if_match(pulse, params, expect):
    created = pulse.employees.create(**params["create"])
    updated = pulse.employees.update(created.id, if_match=created.version, **params["update"])
    assert updated.role == expect["role"]
    assert updated.version == created.version + expect["version_step"]
    with pytest.raises(errors.PulseError) as stale:
        pulse.employees.update(created.id, if_match=created.version, **params["stale_update"])
    assert stale.value.code == expect["stale_error"] and stale.value.status == expect["stale_status"]
    again = pulse.employees.retrieve(created.id)
    assert (again.role, again.version) == (updated.role, updated.version)


def workflow_list_walk_with_inserts(pulse, params, expect):
    department = f"conformance-{uuid.uuid4().hex[:12]}"
    wanted: dict[str, int] = {}

    def add(count: int) -> None:
        for _ in range(count):
            employee = pulse.employees.create(
                full_name=f"Walker {len(wanted)}", start_date=params["start_date"], department=department
            )
            wanted[employee.id] = 0

    add(params["initial"])
    seen = 0
    for employee in pulse.employees.list(department=department, limit=params["limit"]):
        assert employee.id in wanted, employee
        wanted[employee.id] += 1
        seen += 1
        if seen == params["limit"]:
            add(params["inserted"])  # between the first and the second page
    assert seen == expect["seen"]
    assert set(wanted.values()) == {1}, wanted


WORKFLOWS = {
    "update_with_if_match": workflow_update_with_if_match,
    "list_walk_with_inserts": workflow_list_walk_with_inserts,
}


@pytest.mark.parametrize("case", cases("scenarios/workflows.json"), ids=lambda case: case["name"])
def test_workflow_scenario(case, pulse):
    WORKFLOWS[case["workflow"]](pulse, case["params"], case["expect"])
