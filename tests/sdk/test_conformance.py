"""The Python SDK against the language-neutral vectors in sdk/conformance (see its README)."""

import json
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import httpx
import pytest
from pulsehr_sdk import errors, webhooks

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
    assert files and files <= set(re.findall(r"`([\w/]+\.json)`", readme))
