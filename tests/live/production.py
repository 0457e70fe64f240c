"""Production's process layout, started from compose.yaml's own commands so tests cannot drift
from it: `web` (gunicorn, WSGI), `realtime` (uvicorn, /v1/realtime only) and `proxy` (the
system's Caddy running docker/Caddyfile, pointed at the two on 127.0.0.1).

compose.yaml is read by bench/compose.py, as the bench reads it: a command's executable is taken
from this virtualenv and its bind address moved to a free port on 127.0.0.1; everything else,
and the service's own `environment` interpolated from the tests' (except the server addresses
the tests leave unset), is used as compose.yaml has it."""

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from bench import compose

from .conftest import Server, _free_port, _stop_servers

BASE_DIR = Path(__file__).resolve().parents[2]
CADDYFILE = BASE_DIR / "docker" / "Caddyfile"
# Set by x-app to compose's own postgres and redis: the tests bring their own.
SERVER_ADDRESSES = {"DATABASE_URL", "REDIS_URL"}


def compose_command(name: str) -> list[str]:
    return compose.command(name)


def compose_served(name: str, env: dict[str, str], port: int | None = None) -> tuple[list[str], dict[str, str]]:
    """Service `name` as the bench runs it (bench/compose.py: compose's command from this
    virtualenv and its environment over `env`, on 127.0.0.1:port), except that a server address
    the tests do not set stays unset rather than compose's (the embedded default then applies)."""
    argv, environment = compose.served(name, env, port)
    for key in SERVER_ADDRESSES - env.keys():
        environment.pop(key, None)
    return argv, environment


def _spawn(name: str, argv: list[str], env: dict[str, str], log_dir: Path, url: str) -> Server:
    log_path = log_dir / f"{name}-{url.rsplit(':', 1)[-1]}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            argv, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Server(url=url, process=process, log_path=log_path)


def start_web(env: dict[str, str], log_dir: Path, *, workers: int = 1, **overrides: str) -> Server:
    """compose's `web` command; gunicorn.conf.py takes its address from GUNICORN_BIND."""
    port = _free_port()
    settings = {"WEB_CONCURRENCY": str(workers), "GUNICORN_GRACEFUL_TIMEOUT": "5", **overrides}
    argv, server_env = compose_served("web", {**env, **settings}, port)
    return _spawn("web", argv, {**server_env, **settings}, log_dir, f"http://127.0.0.1:{port}")


def start_realtime(env: dict[str, str], log_dir: Path, **overrides: str) -> Server:
    """compose's `realtime` command on a free port of 127.0.0.1."""
    port = _free_port()
    argv, server_env = compose_served("realtime", {**env, **overrides}, port)
    return _spawn("realtime", argv, {**server_env, **overrides}, log_dir, f"http://127.0.0.1:{port}")


def caddy() -> str:
    """The system's Caddy (`make caddy` installs it); the tests through the proxy skip without it."""
    path = shutil.which("caddy")
    if path is None:
        pytest.skip("needs Caddy for the proxy in front of web and realtime: `make caddy` installs it (root, apt-get)")
    return path


def start_proxy(web: Server, realtime: Server, log_dir: Path) -> Server:
    """compose's `proxy` command (Caddy with docker/Caddyfile), listening on 127.0.0.1 only."""
    port = _free_port()
    argv = compose_command("proxy")
    argv[0] = caddy()
    argv[argv.index("--config") + 1] = str(CADDYFILE)
    home = log_dir / f"caddy-{port}"
    home.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        # Caddy's certificates and state, per instance, away from the user's home.
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "PULSEHR_SITE_ADDRESS": f":{port}",
        "PULSEHR_PROXY_BIND": "127.0.0.1",
        "PULSEHR_WEB_UPSTREAM": web.url.removeprefix("http://"),
        "PULSEHR_REALTIME_UPSTREAM": realtime.url.removeprefix("http://"),
    }
    return _spawn("proxy", argv, env, log_dir, f"http://127.0.0.1:{port}")


@dataclass
class ProductionStack:
    """web, realtime and proxy over one database; `url` is the proxy's."""

    web: Server
    realtime: Server
    proxy: Server
    servers: list[Server] = field(init=False)

    def __post_init__(self):
        self.servers = [self.proxy, self.web, self.realtime]

    @property
    def url(self) -> str:
        return self.proxy.url

    def logs(self) -> str:
        return "\n".join(f"--- {server.log_path.name} ---\n{server.log()[-3000:]}" for server in self.servers)

    def stop(self) -> None:
        _stop_servers(self.servers)


def start_production(
    env: dict[str, str], log_dir: Path, *, web_workers: int = 1, realtime_env: dict[str, str] | None = None
) -> ProductionStack:
    """The three services, each answering its liveness probe; `realtime_env` adds to the
    realtime service's environment."""
    caddy()
    web = start_web(env, log_dir, workers=web_workers)
    realtime = start_realtime(env, log_dir, **(realtime_env or {}))
    started = [web, realtime]
    try:
        proxy = start_proxy(web, realtime, log_dir)
        started.append(proxy)
        stack = ProductionStack(web=web, realtime=realtime, proxy=proxy)
        for server in (web, realtime, proxy):  # /healthz: answered before any HTTPS redirect
            _wait_until_healthy(server)
        return stack
    except BaseException:
        _stop_servers(started)
        raise


def _wait_until_healthy(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.url} exited with {server.process.returncode}:\n{server.log()}")
        try:
            if requests.get(f"{server.url}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{server.url} not healthy after {timeout} s:\n{server.log()}")
