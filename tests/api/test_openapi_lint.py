"""/v1/openapi.json passes the two linters client teams run on it, with zero errors and zero
warnings: Spectral with its `spectral:oas` ruleset, and Redocly with its recommended rules.

Both are npm packages, pinned in tools/openapi-lint/package-lock.json and installed from it with
`npm ci` (once per lockfile). Where `npm` is missing these tests skip, saying how to get it."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .every_operation import served_spec

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "openapi-lint"
# One worker runs both: they share the node_modules folder `npm ci` writes.
pytestmark = pytest.mark.xdist_group("openapi-lint")


def _node_packages() -> Path:
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("Node.js and npm are needed to lint the OpenAPI document (Debian: apt-get install nodejs npm).")
    lockfile = TOOLS / "package-lock.json"
    stamp = TOOLS / "node_modules" / ".installed-from-lockfile"
    if not stamp.exists() or stamp.read_bytes() != lockfile.read_bytes():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=TOOLS,
            check=True,
            capture_output=True,
            timeout=600,
        )
        stamp.write_bytes(lockfile.read_bytes())
    return TOOLS / "node_modules" / ".bin"


@pytest.fixture(scope="module")
def document() -> Path:
    """The served document, next to the linters' configuration: Redocly's ignore file
    (.redocly.lint-ignore.yaml) names the document it applies to by that relative path."""
    path = TOOLS / "openapi.json"
    path.write_text(json.dumps(served_spec()))
    return path


@pytest.fixture(scope="module")
def bin_dir() -> Path:
    return _node_packages()


def test_spectral_oas_reports_nothing(bin_dir, document):
    result = subprocess.run(
        [bin_dir / "spectral", "lint", "--quiet", "--ruleset", TOOLS / ".spectral.yaml", "--format", "json", document],
        capture_output=True,
        text=True,
        timeout=300,
    )
    findings = json.loads(result.stdout or "[]")
    # Spectral severities: 0 error, 1 warning, 2 information, 3 hint.
    problems = [
        f"{f['code']} at {'.'.join(map(str, f['path']))}: {f['message']}" for f in findings if f["severity"] <= 1
    ]
    assert problems == [], "\n".join(problems)
    assert result.returncode == 0, result.stderr


def test_redocly_recommended_reports_nothing(bin_dir, document):
    result = subprocess.run(
        [bin_dir / "redocly", "lint", "--config", TOOLS / "redocly.yaml", "--format", "json", document],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    problems = [
        f"{p['ruleId']} ({p['severity']}) at {p['location'][0]['pointer']}: {p['message']}" for p in report["problems"]
    ]
    assert problems == [], "\n".join(problems)
    assert report["totals"]["errors"] == report["totals"]["warnings"] == 0
    assert report["totals"]["ignored"] <= 1  # the one ambiguity .redocly.lint-ignore.yaml explains
    assert result.returncode == 0, result.stderr


def test_the_linters_do_catch_a_broken_document(bin_dir, tmp_path):
    """Both linters read the document for real: one with an example of the wrong type fails both."""
    spec = served_spec()
    media = spec["paths"]["/v1/employees"]["post"]["responses"]["201"]["content"]["application/json"]
    media["example"] = {**media["example"], "version": "one"}
    del spec["info"]["license"], spec["info"]["contact"]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(spec))
    spectral = subprocess.run(
        [bin_dir / "spectral", "lint", "--quiet", "--ruleset", TOOLS / ".spectral.yaml", "--format", "json", broken],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert {f["code"] for f in json.loads(spectral.stdout)} >= {"oas3-valid-media-example", "info-contact"}
    redocly = subprocess.run(
        [bin_dir / "redocly", "lint", "--config", TOOLS / "redocly.yaml", "--format", "json", broken],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "info-license" in {p["ruleId"] for p in json.loads(redocly.stdout)["problems"]}
