"""export_workspace and import_workspace, run as real `manage.py` processes against two fresh
databases of their own (a fresh SQLite file in a fresh PULSEHR_DATA_DIR, or a fresh PostgreSQL
database when DATABASE_URL is set, as tests/live does): a rich workspace is built through the
services in the source, exported, and imported into the empty target, where every row of every
model must come back field by field, and the API must answer as the source's did."""

import fcntl
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured

from pulsehr.tenancy.models import Workspace
from pulsehr.tenancy.portability import Registry, registry, registry_of
from tests.live.conftest import _postgres_database

from .portability_data import OTHER_SLUG, SLUG

BASE_DIR = Path(__file__).resolve().parents[2]


@dataclass
class Site:
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def manage(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stderr}"
        return result.stdout

    def shell(self, code: str) -> str:
        """The last line `code` prints, run in `manage.py shell` against this site's database."""
        out = self.manage("shell", "--no-imports", "-c", f"from tests.tenancy import portability_data as p; {code}")
        return out.strip().splitlines()[-1]

    def dump(self) -> dict:
        return json.loads(self.shell(f"p.dump({SLUG!r})"))


def _site(tmp_dir: Path, drops: list) -> Site:
    data_dir = tmp_dir / "data"
    data_dir.mkdir(parents=True)
    # No REDIS_URL: the embedded broker in the data dir takes the webhook tasks nobody runs.
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "PULSEHR_RATE_LIMIT")}
    env.update(
        PULSEHR_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="pulsehr.settings",
        LOG_LEVEL="WARNING",
        PULSEHR_WEBHOOK_ALLOW_HTTP="true",
        PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS="true",
        PULSEHR_WEBHOOK_TIMEOUT_SECONDS="2",
    )
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"], drop = _postgres_database(os.environ["DATABASE_URL"])
        drops.append(drop)
    return Site(env)


@dataclass
class Outcome:
    """What a command answered."""

    returncode: int
    stderr: str

    @classmethod
    def of(cls, result: subprocess.CompletedProcess) -> "Outcome":
        return cls(result.returncode, result.stderr)


@dataclass
class RoundTrip:
    export: Path
    secrets: dict[str, str]
    before: dict
    corrupted: Outcome
    corrupted_line: int
    after_corrupted: dict
    imported: Outcome
    after: dict
    again: Outcome
    answers_before: dict[str, dict]
    answers: dict[str, dict]


def _corrupt(export: Path, tmp_dir: Path) -> tuple[Path, int]:
    """A copy with one late line broken, so that rows before it would have been written."""
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    number = len(lines) - 3
    lines[number - 1] = lines[number - 1][: len(lines[number - 1]) // 2] + "\n"
    bad = tmp_dir / "corrupted.jsonl"
    bad.write_text("".join(lines), encoding="utf-8")
    return bad, number


def _round_trip(tmp_dir: Path) -> dict:
    """All the processes, once: build and export in the source; in the target, a corrupted
    import, the import, a second import, and the API's answers to the keys in both."""
    drops: list = []
    try:
        source, target = _site(tmp_dir / "source", drops), _site(tmp_dir / "target", drops)
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda site: site.manage("migrate", "--noinput"), (source, target)))
        secrets = json.loads(source.shell("p.build()"))
        before = source.dump()
        export = tmp_dir / "acme.jsonl"
        source.manage("export_workspace", SLUG, "--output", str(export))
        # Read after the export: reading stamps the keys' last_used_at, which `before` must not see.
        answers_before = json.loads(source.shell(f"p.read_back({secrets!r})"))

        bad, bad_line = _corrupt(export, tmp_dir)
        corrupted = Outcome.of(target.run("import_workspace", str(bad)))
        after_corrupted = target.dump()
        imported = Outcome.of(target.run("import_workspace", str(export)))
        after = target.dump()
        again = Outcome.of(target.run("import_workspace", str(export)))
        answers = json.loads(target.shell(f"p.read_back({secrets!r})"))
        return dict(
            export=str(export),
            secrets=secrets,
            before=before,
            corrupted=corrupted.__dict__,
            corrupted_line=bad_line,
            after_corrupted=after_corrupted,
            imported=imported.__dict__,
            after=after,
            again=again.__dict__,
            answers_before=answers_before,
            answers=answers,
        )
    finally:
        for drop in drops:
            drop()


@pytest.fixture(scope="session")
def round_trip(tmp_path_factory, worker_id) -> RoundTrip:
    """Made once per run even under xdist: the first worker to take the lock runs the
    processes and leaves the outcome in the run's shared temporary directory for the other."""
    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent
    done = root / "portability-round-trip.json"
    with open(root / "portability-round-trip.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            tmp_dir = root / "portability"
            tmp_dir.mkdir(exist_ok=True)
            done.write_text(json.dumps(_round_trip(tmp_dir)), encoding="utf-8")
    data = json.loads(done.read_text(encoding="utf-8"))
    for name in ("corrupted", "imported", "again"):
        data[name] = Outcome(**data[name])
    return RoundTrip(**{**data, "export": Path(data["export"])})


def _workspace_models() -> set[str]:
    """Every model of every installed app that belongs to a workspace: it refers to the
    workspace, or to a row of such a model (users, shared by workspaces, excepted)."""
    owned = {Workspace}
    while True:
        more = {
            model
            for model in apps.get_models()
            if model not in owned
            and model is not get_user_model()
            and any(f.many_to_one and f.related_model in owned for f in model._meta.concrete_fields)
        }
        if not more:
            return {model._meta.label_lower for model in owned - {Workspace}}
        owned |= more


def _unaccounted(declared: Registry) -> set[str]:
    """The workspace models that are neither exported nor excused with a reason."""
    exported = {model._meta.label_lower for model, _ in declared.models}
    excused = {label for label, reason in declared.not_exported.items() if reason.strip()}
    return _workspace_models() - exported - excused


COLLAB_MODELS = {"collab.room", "collab.thread", "collab.comment", "collab.reaction", "collab.roomevent"}


def test_every_workspace_model_of_every_installed_app_is_exported_or_excused():
    assert COLLAB_MODELS <= _workspace_models()
    assert _unaccounted(registry()) == set()


def test_an_app_that_declares_nothing_fails_the_check():
    without_collab = registry_of(config for config in apps.get_app_configs() if config.label != "collab")
    assert _unaccounted(without_collab) == COLLAB_MODELS


def test_a_model_declared_twice_is_refused():
    with pytest.raises(ImproperlyConfigured, match="leave.leave"):
        registry_of([*apps.get_app_configs(), apps.get_app_config("leave")])


def test_each_declared_lookup_leads_to_the_workspace():
    for model, lookup in registry().models:
        related = model
        for name in lookup.split("__"):
            related = related._meta.get_field(name).related_model
        assert related is Workspace, (model, lookup)


def test_the_file_order_puts_every_model_after_those_it_refers_to():
    labels = [model._meta.label_lower for model, _ in registry().models]
    for position, (model, _) in enumerate(registry().models):
        for field in model._meta.concrete_fields:
            target = field.related_model._meta.label_lower if field.many_to_one else None
            if target in labels and field.related_model is not model:
                assert labels.index(target) < position, (model, field.name)
    # A room token's idempotency record names an employee, so comes after them.
    assert labels.index("employees.employee") < labels.index("api.idempotencyrecord")


def test_the_source_workspace_is_rich_enough_to_mean_something(round_trip):
    rows = round_trip.before["rows"]
    assert all(rows[label] for label in rows), {label: len(r) for label, r in rows.items()}
    environments = {row["environment"] for row in rows["employees.employee"]}
    assert environments == {"live", "test"}
    assert {row["status"] for row in rows["leave.leave"]} == {"pending", "approved", "rejected", "cancelled"}
    assert any(row["previous_secret"] for row in rows["webhooks.webhookendpoint"])
    assert {row["environment"] for row in rows["tenancy.apikey"] if row["employee_id"]} == {"live", "test"}
    assert any(row["acting_as"] for row in rows["webhooks.event"])  # the room tokens' writes record their user
    assert {row["environment"] for row in rows["collab.reaction"]} == {"live", "test"}
    assert any(row["resolved_by_id"] for row in rows["collab.thread"])
    assert any(row["edited_at"] for row in rows["collab.comment"])
    idempotency = rows["api.idempotencyrecord"]
    assert any(row["api_key_id"] for row in idempotency)
    assert any(row["principal"].startswith("rt:") and not row["api_key_id"] for row in idempotency)


def test_the_file_is_json_lines_with_a_header_and_an_end_line(round_trip):
    lines = [json.loads(line) for line in round_trip.export.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["format"] == "pulsehr.workspace" and lines[0]["version"] == 1 and lines[0]["workspace"] == SLUG
    assert lines[-1] == {"end": {"records": len(lines) - 2}}
    assert lines[1]["model"] == "tenancy.workspace"


def test_import_restores_every_row_field_by_field(round_trip):
    assert round_trip.imported.returncode == 0, round_trip.imported.stderr
    before, after = round_trip.before["rows"], round_trip.after["rows"]
    for label in before:
        assert after[label] == before[label], label


def test_the_other_workspace_is_neither_exported_nor_imported(round_trip):
    assert OTHER_SLUG not in round_trip.export.read_text(encoding="utf-8")
    assert round_trip.before["totals"]["tenancy.workspace"] == 2
    # The other workspace's room-token idempotency record stays home.
    assert (
        round_trip.before["totals"]["api.idempotencyrecord"]
        == len(round_trip.before["rows"]["api.idempotencyrecord"]) + 1
    )
    # Everything in the target is the imported workspace's.
    assert round_trip.after["totals"] == {label: len(rows) for label, rows in round_trip.after["rows"].items()}


def test_users_arrive_inactive_without_a_password_and_no_secrets_in_plain_text(round_trip):
    users = round_trip.after["users"]
    assert set(users) == {f"{SLUG}-owner", f"{SLUG}-viewer"}
    assert all(not u["is_active"] and not u["usable_password"] for u in users.values())
    text = round_trip.export.read_text(encoding="utf-8")
    assert all(secret not in text for secret in round_trip.secrets.values())
    assert "password" not in text


def test_imported_api_keys_still_authenticate(round_trip):
    for environment, answer in round_trip.answers.items():
        employees = answer["/v1/employees"]
        assert employees["status"] == 200, (environment, employees)
        assert employees["body"]["total_count"] == sum(
            1 for row in round_trip.after["rows"]["employees.employee"] if row["environment"] == environment
        )


def test_the_imported_workspace_reads_back_through_the_api_as_the_source_did(round_trip):
    assert round_trip.imported.returncode == 0, round_trip.imported.stderr
    assert set(round_trip.answers) == {"live", "test"}
    for environment, answer in round_trip.answers.items():
        assert answer == round_trip.answers_before[environment], environment
        assert all(page["status"] == 200 for path, page in answer.items() if path.startswith("/v1/")), environment
        # The collaboration data is there to compare: rooms, threads, comments (with their
        # reactions) and each room's recent changes.
        paths = " ".join(answer)
        assert "/v1/rooms/" in paths and "/v1/threads/" in paths and "/v1/comments/" in paths, environment
        comments = [page["body"] for path, page in answer.items() if path.startswith("/v1/comments/")]
        assert any(comment["reactions"] for comment in comments), environment
        changes = [page for path, page in answer.items() if path.startswith("room ")]
        assert changes and all(page["messages"] for page in changes), environment


def test_importing_a_workspace_that_exists_is_refused(round_trip):
    assert round_trip.again.returncode != 0
    assert f"Workspace '{SLUG}' already exists" in round_trip.again.stderr


def test_a_corrupted_line_imports_nothing_and_is_named(round_trip):
    assert round_trip.corrupted.returncode != 0
    assert f"line {round_trip.corrupted_line}:" in round_trip.corrupted.stderr
    assert "Nothing imported" in round_trip.corrupted.stderr
    assert all(total == 0 for total in round_trip.after_corrupted["totals"].values())
    assert round_trip.after_corrupted["users"] == {}
