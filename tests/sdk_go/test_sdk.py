"""The Go SDK as a Go user gets it: vet- and gofmt-clean, its models generated from the live
server's document, its whole test suite (unit, conformance vectors and scenarios, every service
live) passing, and the README's program building in a module of its own."""

import json
import re
import subprocess
import sys

import pytest
import requests

from .conftest import GO_DIR, go_env, require_go, run

pytestmark = pytest.mark.xdist_group("sdk_go")

GENERATOR = GO_DIR / "scripts" / "generate_models.py"
EXPECTED_GO_TESTS = (
    "TestConformanceErrors",
    "TestConformanceWebhookSignatures",
    "TestConformanceFaults",
    "TestConformanceWorkflows",
    "TestLiveCollaboration",
    "TestLiveLeave",
    "TestEveryExportedNameHasADocComment",
)


@pytest.fixture(scope="module")
def go():
    require_go()


def test_go_vet_and_gofmt_are_clean(go):
    vet = run(["go", "vet", "./..."])
    assert vet.returncode == 0, f"go vet ./... in sdk/go:\n{vet.stdout}"
    unformatted = run(["gofmt", "-l", "."])
    assert unformatted.stdout.strip() == "", f"Run gofmt -w in sdk/go:\n{unformatted.stdout}"


def test_the_module_has_no_dependencies(go):
    """Standard library only: go.mod requires nothing, so nothing is ever downloaded."""
    mod = (GO_DIR / "go.mod").read_text()
    assert mod.startswith("module github.com/pulsehr/pulsehr-go\n")
    assert "require" not in mod and re.search(r"^go 1\.19$", mod, re.M)
    listed = run(["go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "./..."])
    assert listed.returncode == 0, listed.stdout
    assert set(listed.stdout.split()) == {"github.com/pulsehr/pulsehr-go", "github.com/pulsehr/pulsehr-go/webhook"}


def test_generated_models_match_the_servers_document(go_site):
    result = run([sys.executable, str(GENERATOR), f"{go_site.base_url}/openapi.json", "--check"])
    assert result.returncode == 0, (
        "sdk/go/models.go has drifted from /v1/openapi.json: run "
        f"`python3 sdk/go/scripts/generate_models.py <server>/v1/openapi.json` and commit it.\n{result.stdout}"
    )


def test_a_document_change_is_caught(go_site, tmp_path):
    document = requests.get(f"{go_site.base_url}/openapi.json", timeout=30).json()
    document["components"]["schemas"]["Employee"]["properties"]["pronouns"] = {"type": "string"}
    changed = tmp_path / "openapi.json"
    changed.write_text(json.dumps(document))
    result = run([sys.executable, str(GENERATOR), str(changed), "--check"])
    assert result.returncode == 1 and "has drifted" in result.stdout, result.stdout
    regenerated = tmp_path / "models.go"
    run([sys.executable, str(GENERATOR), str(changed), "--output", str(regenerated)])
    assert re.search(r'\tPronouns +string +`json:"pronouns,omitempty"`', regenerated.read_text())


def test_go_test(go_site):
    """`go test ./...` in sdk/go with the live server, the fault server and the keys: the unit
    tests, the conformance vectors and scenarios, and every service live. None may skip."""
    result = run(["go", "test", "-count=1", "-v", "./..."], env=go_env(go_site.env))
    assert result.returncode == 0, f"go test ./... failed:\n{result.stdout[-30000:]}"
    skipped = re.findall(r"--- SKIP: (\S+)", result.stdout)
    assert not skipped, f"skipped with the live server up: {skipped}\n{result.stdout[-5000:]}"
    for name in EXPECTED_GO_TESTS:
        assert f"--- PASS: {name} " in result.stdout, f"{name} did not run:\n{result.stdout[-5000:]}"


def readme_program() -> str:
    readme = (GO_DIR / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1]
    return re.search(r"```go\n(.*?)```", section, re.S).group(1)


def test_the_readme_program_builds_in_its_own_module_and_runs(go_site, tmp_path):
    """The README's quick start as written, in an empty module that points at sdk/go with a
    `replace` directive, built with `go build` and run against the live server."""
    (tmp_path / "main.go").write_text(readme_program())
    (tmp_path / "go.mod").write_text(
        "module example.com/quickstart\n\ngo 1.19\n\n"
        "require github.com/pulsehr/pulsehr-go v0.0.0\n\n"
        f"replace github.com/pulsehr/pulsehr-go => {GO_DIR}\n"
    )
    built = run(["go", "build", "-o", "quickstart", "."], cwd=tmp_path)
    assert built.returncode == 0, f"The README's program does not build:\n{built.stdout}"
    clean = {
        "PATH": go_env()["PATH"],
        "HOME": str(tmp_path),
        "PULSE_API_KEY": go_site.key,
        "PULSE_API_BASE": go_site.base_url,
    }
    ran = subprocess.run([str(tmp_path / "quickstart")], env=clean, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "Ada Lovelace Programmer" in ran.stdout, ran.stdout
    assert re.search(r"not found, request req_\w+", ran.stdout), ran.stdout
