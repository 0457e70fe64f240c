"""compose.yaml, the Dockerfile and .env.example, read as files: no docker engine is needed."""

import importlib
import re
import runpy
import shlex
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parents[2]
SERVICES = {"postgres", "redis", "migrate", "web", "realtime", "proxy", "worker", "beat"}
APP_SERVICES = ("web", "realtime", "worker", "beat")
LONG_RUNNING = SERVICES - {"migrate"}

# Read by something other than pulsehr/settings.py, each for a stated reason.
NOT_SETTINGS = {
    "POSTGRES_DB": "the postgres image",
    "POSTGRES_USER": "the postgres image",
    "POSTGRES_PASSWORD": "the postgres image (and compose.yaml's DATABASE_URL)",
    "DJANGO_SUPERUSER_USERNAME": "Django's createsuperuser --noinput",
    "DJANGO_SUPERUSER_EMAIL": "Django's createsuperuser --noinput",
    "DJANGO_SUPERUSER_PASSWORD": "Django's createsuperuser --noinput",
    "PULSEHR_SITE_ADDRESS": "docker/Caddyfile (the proxy)",
    "PULSEHR_WEB_UPSTREAM": "docker/Caddyfile (the proxy)",
    "PULSEHR_REALTIME_UPSTREAM": "docker/Caddyfile (the proxy)",
    "PULSEHR_PROXY_BIND": "docker/Caddyfile (the proxy)",
}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "compose.yaml").read_text())


def settings_env_names() -> set[str]:
    """Every variable pulsehr/settings.py reads through django-environ (`env.<type>("NAME"`)."""
    source = (BASE_DIR / "pulsehr/settings.py").read_text()
    return set(re.findall(r"""env\.\w+\(\s*["']([A-Z][A-Z0-9_]*)["']""", source))


def gunicorn_env_names() -> set[str]:
    """What the servers' own configuration reads: gunicorn.conf.py, and pulsehr/serving.py for uvicorn."""
    source = (BASE_DIR / "gunicorn.conf.py").read_text() + (BASE_DIR / "pulsehr/serving.py").read_text()
    return set(re.findall(r"""os\.environ\.get\(\s*["']([A-Z][A-Z0-9_]*)["']""", source))


def command(service: dict) -> list[str]:
    raw = service["command"]
    return shlex.split(raw) if isinstance(raw, str) else list(raw)


def test_settings_env_names_are_found():
    # Guards the grep itself: a regex that finds nothing would make the next tests vacuous.
    names = settings_env_names()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "PULSEHR_HTTPS", "PULSEHR_WEBHOOK_RETRY_SCHEDULE"} <= names


def test_compose_has_the_eight_services(compose):
    assert set(compose["services"]) == SERVICES


def test_postgres_redis_web_and_realtime_have_healthchecks(compose):
    services = compose["services"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "ping" in " ".join(services["redis"]["healthcheck"]["test"])
    assert "127.0.0.1:8000/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "127.0.0.1:8001/healthz" in " ".join(services["realtime"]["healthcheck"]["test"])


def test_postgres_data_lives_in_a_named_volume(compose):
    volumes = compose["services"]["postgres"]["volumes"]
    named = [v.split(":")[0] for v in volumes if v.split(":")[1] == "/var/lib/postgresql/data"]
    assert named and named[0] in (compose.get("volumes") or {}), volumes


def test_long_running_services_restart_and_migrate_does_not(compose):
    for name in LONG_RUNNING:
        assert compose["services"][name]["restart"] in ("always", "unless-stopped", "on-failure"), name
    assert compose["services"]["migrate"]["restart"] == "no"


def test_app_services_wait_for_migrate_to_complete(compose):
    for name in APP_SERVICES:
        depends = compose["services"][name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
    for name in ("migrate", *APP_SERVICES):
        depends = compose["services"][name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name


def test_only_the_proxy_publishes_a_port(compose):
    published = {name for name, service in compose["services"].items() if service.get("ports")}
    assert published == {"proxy"}
    assert compose["services"]["proxy"]["ports"] == ["8000:8000"]


def test_web_serves_the_wsgi_application_with_gunicorn_threads(compose):
    web = compose["services"]["web"]
    argv = command(web)
    assert argv[0] == "gunicorn" and "-c" in argv
    config_path = BASE_DIR / argv[argv.index("-c") + 1]
    assert config_path.is_file()
    config = runpy.run_path(str(config_path))
    module, _, attribute = config["wsgi_app"].partition(":")
    # HTTP on a WSGI server: sync views on threads, each keeping its database connection.
    assert (module, attribute) == ("pulsehr.wsgi", "application") and importlib.util.find_spec(module)
    assert config["worker_class"] == "gthread" and config["threads"] >= 2
    assert config["accesslog"] == "-" and config["graceful_timeout"] > 0
    assert config["max_requests"] >= 10_000  # a leak bound, not a restart every few seconds under load
    assert web["expose"] == ["8000"] and web["environment"]["PULSEHR_TRUSTED_PROXIES"] == "1"


def test_realtime_serves_only_the_socket_application_with_uvicorn(compose):
    realtime = compose["services"]["realtime"]
    argv = command(realtime)
    assert argv[0] == "uvicorn"
    module, _, attribute = argv[1].partition(":")
    assert (
        importlib.import_module(module).__dict__[attribute]
        is importlib.import_module("pulsehr.asgi").realtime_application
    )
    assert argv[argv.index("--port") + 1] == "8001" and argv[argv.index("--workers") + 1] == "1"
    assert realtime["expose"] == ["8001"] and realtime["environment"]["PULSEHR_TRUSTED_PROXIES"] == "1"


def test_proxy_runs_the_official_caddy_image_with_the_repository_caddyfile(compose):
    proxy = compose["services"]["proxy"]
    assert proxy["image"].split(":")[0] == "caddy" and proxy["image"].split(":")[1] == "2"
    assert "./docker/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert command(proxy)[-4:] == ["--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
    assert proxy["environment"]["PULSEHR_WEB_UPSTREAM"] == "web:8000"
    assert proxy["environment"]["PULSEHR_REALTIME_UPSTREAM"] == "realtime:8001"
    for service in ("web", "realtime"):
        assert proxy["depends_on"][service]["condition"] == "service_healthy"
    # Certificates survive a restart of the container.
    assert any(volume.endswith(":/data") for volume in proxy["volumes"])
    caddyfile = (BASE_DIR / "docker/Caddyfile").read_text()
    for placeholder in (
        "{$PULSEHR_SITE_ADDRESS::8000}",
        "{$PULSEHR_WEB_UPSTREAM:web:8000}",
        "{$PULSEHR_REALTIME_UPSTREAM:realtime:8001}",
    ):
        assert placeholder in caddyfile


def test_worker_and_beat_run_the_pulsehr_celery_app(compose):
    from celery import Celery

    assert command(compose["services"]["worker"])[:4] == ["celery", "-A", "pulsehr", "worker"]
    assert command(compose["services"]["beat"])[:4] == ["celery", "-A", "pulsehr", "beat"]
    assert isinstance(importlib.import_module("pulsehr").celery_app, Celery)


def test_migrate_runs_the_release_script_that_migrates_and_creates_the_admin(compose):
    argv = command(compose["services"]["migrate"])
    script = BASE_DIR / argv[-1]
    assert script.is_file()
    text = script.read_text()
    assert "manage.py migrate --noinput" in text and "createsuperuser --noinput" in text


def test_every_env_var_in_compose_and_env_example_is_read_by_the_app(compose):
    known = settings_env_names() | gunicorn_env_names() | set(NOT_SETTINGS)
    raw = (BASE_DIR / "compose.yaml").read_text()
    referenced = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", raw))
    for service in compose["services"].values():
        environment = service.get("environment") or {}
        referenced |= set(environment if isinstance(environment, dict) else [e.split("=")[0] for e in environment])
    example = (BASE_DIR / ".env.example").read_text()
    in_example = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))
    assert in_example, "no variables found in .env.example"
    unknown = (referenced | in_example) - known
    assert not unknown, f"not read by the settings (or anything else named): {sorted(unknown)}"


def test_env_example_documents_every_setting_a_self_hoster_sets():
    example = (BASE_DIR / ".env.example").read_text()
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "PULSEHR_HTTPS", "PULSEHR_LOG_FORMAT", "DJANGO_SUPERUSER_PASSWORD"):
        assert re.search(rf"^#?\s*{name}=", example, flags=re.MULTILINE), name


# --- Dockerfile ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dockerfile() -> list[str]:
    """Instructions with continuation lines joined, comments dropped."""
    text = (BASE_DIR / "Dockerfile").read_text().replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_dockerfile_is_multi_stage_on_a_pinned_slim_base(dockerfile):
    bases = [line.split()[1] for line in dockerfile if line.upper().startswith("FROM ")]
    assert len(bases) >= 2
    for base in bases:
        name, _, tag = base.partition(":")
        assert name == "python" and tag and tag != "latest" and re.match(r"\d+\.\d+", tag), base
        assert "slim" in tag, base


def test_dockerfile_runs_as_a_non_root_user(dockerfile):
    users = [line.split()[1] for line in dockerfile if line.upper().startswith("USER ")]
    assert users and users[-1] not in ("root", "0"), users


def test_dockerfile_installs_dependencies_from_pyproject(dockerfile):
    assert any(line.startswith("COPY") and "pyproject.toml" in line for line in dockerfile)
    installs = [line for line in dockerfile if line.startswith("RUN") and "pip install" in line]
    assert any("pyproject.toml" in line for line in installs), installs
    assert not (BASE_DIR / "requirements.txt").exists()  # no hand-kept list beside pyproject.toml


def test_dockerfile_collects_static_files_and_defaults_to_gunicorn(dockerfile, compose):
    assert any(line.startswith("RUN") and "collectstatic --noinput" in line for line in dockerfile)
    cmd = [line for line in dockerfile if line.startswith("CMD")][-1]
    assert yaml.safe_load(cmd.removeprefix("CMD").strip()) == command(compose["services"]["web"])
    assert any(line.startswith("ENV") and "PULSEHR_LOG_FORMAT=json" in line for line in dockerfile)


def test_operations_docs_cover_every_environment_variable():
    docs = (BASE_DIR / "docs/operations.md").read_text()
    missing = {name for name in settings_env_names() | gunicorn_env_names() if f"`{name}`" not in docs}
    assert not missing, f"undocumented in docs/operations.md: {sorted(missing)}"
    for topic in ("pg_dump", "pg_restore", "SECRET_KEY", "Redis holds nothing durable", "Additive migrations"):
        assert topic in docs, topic
    assert "docs/operations.md" in (BASE_DIR / "README.md").read_text()


def test_gunicorn_workers_freeze_the_application_and_collect_young_objects_less_often(monkeypatch):
    """post_worker_init: what Django loaded is frozen out of every collection, and the young
    generation waits for GUNICORN_GC_GEN0 allocations (50,000 unless set)."""
    import gc
    import runpy

    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    try:
        monkeypatch.delenv("GUNICORN_GC_GEN0", raising=False)
        config = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
        config["post_worker_init"](worker=None)
        assert gc.get_threshold() == (50_000, *before[1:])
        assert gc.get_freeze_count() > frozen
        monkeypatch.setenv("GUNICORN_GC_GEN0", "2000")
        runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))["post_worker_init"](worker=None)
        assert gc.get_threshold()[0] == 2000
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
