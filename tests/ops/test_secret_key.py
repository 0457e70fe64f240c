"""The SECRET_KEY rule, through the real commands and entry points in subprocesses: with DEBUG
off, a missing key, the development key of earlier releases or one shorter than 50 characters
fails `check --deploy` (pulsehr.E001) and stops gunicorn, the worker and beat; `make run`'s
`ensure_secret_key` keeps one generated key in the data directory; compose requires the key."""

import os
import secrets
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GOOD_KEY = secrets.token_urlsafe(50)
BAD_KEYS = {
    "missing": "",
    "development": "pulsehr-insecure-development-key-change-me-in-production",
    "short": "x" * 49,
}


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A data directory of its own, with no key file in it (and an empty SQLite database)."""
    path = tmp_path / "data"
    path.mkdir()
    return path


def production_env(data_dir: Path, key: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DEBUG")}
    env.update(PULSEHR_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="pulsehr.settings", DEBUG="false")
    env.update(PATH=f"{BIN}{os.pathsep}{env['PATH']}", **extra)  # `python`, `gunicorn`, `celery` of this venv
    if key:
        env["SECRET_KEY"] = key
    return env


def run(argv: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout)


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], env)


@pytest.mark.parametrize("kind", BAD_KEYS)
def test_check_deploy_fails_with_pulsehr_e001_on_an_unsafe_key(data_dir, kind):
    result = manage("check", "--deploy", "--fail-level", "ERROR", env=production_env(data_dir, BAD_KEYS[kind]))
    assert result.returncode != 0
    assert "pulsehr.E001" in result.stderr, result.stderr


def test_check_deploy_passes_on_a_long_random_key(data_dir):
    result = manage("check", "--deploy", "--fail-level", "ERROR", env=production_env(data_dir, GOOD_KEY))
    assert result.returncode == 0, result.stderr
    assert "pulsehr.E001" not in result.stdout + result.stderr


@pytest.mark.parametrize("kind", BAD_KEYS)
def test_the_wsgi_entry_point_refuses_to_load_on_an_unsafe_key(data_dir, kind):
    result = run([sys.executable, "-c", "import pulsehr.wsgi"], production_env(data_dir, BAD_KEYS[kind]))
    assert result.returncode != 0
    assert "PulseHR refuses to start" in result.stderr, result.stderr


def test_the_asgi_entry_point_refuses_and_loads_with_a_good_key(data_dir):
    refused = run([sys.executable, "-c", "import pulsehr.asgi"], production_env(data_dir, BAD_KEYS["short"]))
    assert refused.returncode != 0 and "shorter than 50 characters" in refused.stderr
    loaded = run([sys.executable, "-c", "import pulsehr.asgi, pulsehr.wsgi"], production_env(data_dir, GOOD_KEY))
    assert loaded.returncode == 0, loaded.stderr


def test_debug_mode_loads_without_a_key(data_dir):
    env = production_env(data_dir, "", DEBUG="true")
    assert run([sys.executable, "-c", "import pulsehr.wsgi"], env).returncode == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_gunicorn_as_compose_runs_it_exits_instead_of_serving_on_the_development_key(data_dir):
    from tests.live.production import compose_command

    argv = compose_command("web")
    argv[0] = str(BIN / argv[0])
    env = production_env(
        data_dir, BAD_KEYS["development"], GUNICORN_BIND=f"127.0.0.1:{free_port()}", WEB_CONCURRENCY="1"
    )
    result = run(argv, env)  # gunicorn halts when its worker fails to boot; the timeout bounds it
    assert result.returncode != 0
    assert "PulseHR refuses to start: SECRET_KEY is the public development key" in result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("service", ["worker", "beat"])
def test_celery_worker_and_beat_as_compose_runs_them_exit_on_a_missing_key(data_dir, service):
    from tests.live.production import compose_command

    argv = compose_command(service)
    argv[0] = str(BIN / argv[0])
    result = run(argv, production_env(data_dir, ""))
    assert result.returncode != 0
    assert "PulseHR refuses to start: SECRET_KEY is not set" in result.stdout + result.stderr


def test_ensure_secret_key_creates_one_private_key_file_once_and_settings_use_it(data_dir):
    env = production_env(data_dir, "")
    first = manage("ensure_secret_key", env=env)
    assert first.returncode == 0 and "Generated" in first.stdout, first.stderr
    path = data_dir / "secret_key"
    key = path.read_text().strip()
    assert len(key) >= 50 and stat.S_IMODE(path.stat().st_mode) == 0o600
    second = manage("ensure_secret_key", env=env)
    assert second.returncode == 0 and "Keeping" in second.stdout
    assert path.read_text().strip() == key
    # With no SECRET_KEY in the environment, settings read the file: production starts on it.
    shown = run(
        [sys.executable, "-c", "import pulsehr.wsgi; from django.conf import settings; print(settings.SECRET_KEY)"], env
    )
    assert shown.returncode == 0 and shown.stdout.strip() == key, shown.stderr
    assert manage("check", "--deploy", "--fail-level", "ERROR", env=env).returncode == 0


def test_make_run_ensures_the_key_before_anything_else():
    makefile = (BASE_DIR / "Makefile").read_text()
    recipe = makefile.split("\nrun: ", 1)[1].split("\n\n", 1)[0]
    commands = [line.strip().removeprefix("@") for line in recipe.splitlines()[1:]]  # @: not echoed
    assert commands[0] == "$(PY) manage.py ensure_secret_key", commands


def test_compose_requires_secret_key_for_every_app_service():
    compose = yaml.safe_load((BASE_DIR / "compose.yaml").read_text())
    for name in ("migrate", "web", "realtime", "worker", "beat"):
        value = compose["services"][name]["environment"]["SECRET_KEY"]
        # `${NAME:?message}`: compose stops with the message when NAME is unset or empty.
        assert value.startswith("${SECRET_KEY:?") and value.endswith("}"), (name, value)
    example = (BASE_DIR / ".env.example").read_text()
    assert "\nSECRET_KEY=\n" in example  # empty until set: compose refuses a copied example as is


def test_the_release_step_checks_the_deployment_before_migrating():
    lines = [line.strip() for line in (BASE_DIR / "docker/release.sh").read_text().splitlines()]
    check = lines.index("python manage.py check --deploy --fail-level ERROR")
    assert check < lines.index("python manage.py migrate --noinput")


def test_the_release_step_stops_on_an_unsafe_key(data_dir):
    env = production_env(data_dir, BAD_KEYS["short"])
    env.pop("DJANGO_SUPERUSER_USERNAME", None)
    result = run(["sh", "docker/release.sh"], env)
    assert result.returncode != 0 and "pulsehr.E001" in result.stderr
    assert "Apply" not in result.stdout  # nothing migrated
