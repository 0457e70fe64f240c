"""/healthz and /readyz, the static files WhiteNoise serves, and the production settings."""

import io
import json
import logging
import logging.config
import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db.migrations import Migration
from django.db.migrations.executor import MigrationExecutor

from pulsehr.logs import logging_config

BASE_DIR = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


def test_healthz_answers_200_json_without_touching_the_database(client):
    # No `db` fixture: any query here would raise pytest-django's "Database access not allowed".
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["X-Request-Id"].startswith("req_")


def test_probes_answer_any_host_header_and_plain_http_under_production_settings(client, settings, db):
    settings.ALLOWED_HOSTS = ["hr.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="10.0.3.7:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.3.7:8000").status_code == 200
    # Everything else still refuses the unknown host.
    assert client.get("/admin/login/", HTTP_HOST="10.0.3.7:8000").status_code == 400


def test_readyz_is_200_with_every_check_when_all_is_well(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "broker"}
    assert all(check["ok"] for check in body["checks"].values()), body


def test_readyz_is_503_naming_migrations_when_one_is_unapplied(client, db, monkeypatch):
    pending = Migration("0999_not_yet_applied", "employees")
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [(pending, False)])
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["migrations"]
    assert "employees.0999_not_yet_applied" in body["checks"]["migrations"]["error"]
    assert body["checks"]["database"]["ok"] and body["checks"]["broker"]["ok"]


def test_readyz_is_503_naming_the_broker_when_it_is_unreachable(client, db, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CELERY_BROKER_TRANSPORT = None
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"]
    assert body["checks"]["database"]["ok"] and body["checks"]["migrations"]["ok"]


def test_readyz_failure_is_logged_in_json_with_the_request_id(client, db, settings):
    """The image's log format: one JSON object a line, carrying the request id of the request."""
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CELERY_BROKER_TRANSPORT = None
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    config = logging_config(log_format="json", level="INFO")
    configurator = logging.config.DictConfigurator(config)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(configurator.configure_filter(config["filters"]["request_id"]))
    handler.setFormatter(configurator.configure_formatter(config["formatters"]["default"]))
    logger = logging.getLogger("pulsehr.health")
    logger.addHandler(handler)
    try:
        response = client.get("/readyz")
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines, "nothing logged"
    assert lines[0]["request_id"] == response["X-Request-Id"]
    assert lines[0]["level"] == "WARNING" and lines[0]["logger"] == "pulsehr.health"
    assert "broker" in lines[0]["message"]


def test_log_lines_outside_a_request_carry_a_placeholder_request_id():
    config = logging_config(log_format="text", level="INFO")
    configurator = logging.config.DictConfigurator(config)
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    assert configurator.configure_filter(config["filters"]["request_id"]).filter(record)
    assert "[-] hello" in configurator.configure_formatter(config["formatters"]["default"]).format(record)
    with pytest.raises(ValueError):
        logging_config(log_format="xml", level="INFO")


def test_collected_static_files_are_served_when_not_debug(client, settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False  # only what collectstatic gathered
    (tmp_path / "ops-probe.css").write_text("body { color: teal; }")
    response = client.get("/static/ops-probe.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"body { color: teal; }"


# --- The production settings, in a process of their own -------------------------------------


def production_env(tmp_path, **overrides) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "PULSEHR_LOG_FORMAT")}
    env.update(
        PULSEHR_DATA_DIR=str(tmp_path),
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        PULSEHR_HTTPS="true",
        ALLOWED_HOSTS="hr.example.com",
    )
    env.update(overrides)
    return env


def manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_the_production_environment(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_on_the_plain_http_defaults(tmp_path):
    # The defaults suit http://localhost; check --deploy must say they are not production's.
    result = manage(production_env(tmp_path, PULSEHR_HTTPS="false"), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    # The session and CSRF cookie warnings are W010 and PulseHR's own W016: /v1 skips Django's
    # session and CSRF middleware by subclassing them, which Django's path-based checks miss.
    for check in ("security.W004", "security.W008", "security.W010", "pulsehr.W016"):
        assert check in result.stderr, result.stderr


def test_log_format_is_chosen_by_the_environment(tmp_path):
    code = "from django.conf import settings; print(settings.LOGGING['formatters']['default'].get('()', 'text'))"
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="pulsehr.settings")
    env.pop("PULSEHR_LOG_FORMAT", None)
    run = [sys.executable, "-c", f"import django; django.setup(); {code}"]
    text = subprocess.run(run, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60)
    assert text.stdout.strip() == "text", text.stderr
    env["PULSEHR_LOG_FORMAT"] = "json"
    as_json = subprocess.run(run, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60)
    assert as_json.stdout.strip() == "pythonjsonlogger.json.JsonFormatter", as_json.stderr


def test_gunicorn_access_lines_in_json_carry_the_request_id():
    from pulsehr.logs import gunicorn_logconfig

    config = gunicorn_logconfig()
    configurator = logging.config.DictConfigurator(config)
    access_filter = configurator.configure_filter(config["filters"]["access"])
    formatter = configurator.configure_formatter(config["formatters"]["json"])
    atoms = {"h": "10.0.0.9", "m": "GET", "U": "/v1/employees", "s": "200", "M": 12, "{x-request-id}o": "req_01ABC"}
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s %(m)s", (atoms,), None)
    assert access_filter.filter(record)
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "req_01ABC" and line["path"] == "/v1/employees" and line["status"] == "200"
