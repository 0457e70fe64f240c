"""The commands and environment compose.yaml gives its services, for the bench to run them
exactly as production does (tests/bench checks the bench reads them from here, so the two
cannot drift apart).

Only what the bench needs of compose's format: a service's `command` (list or string) and
`environment` (mapping or `KEY=value` list), the `<<` merge of YAML anchors (PyYAML does it),
and interpolation of `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `$VAR` and
`$$`, with defaults that nest as compose.yaml's DATABASE_URL does."""

import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "compose.yaml"


class ComposeError(Exception):
    """compose.yaml lacks what the bench needs, or has what it cannot read."""


def _name_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    return end


def interpolate(text: str, variables: dict) -> str:
    """`text` with compose's variable references replaced from `variables`."""
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char != "$":
            out.append(char)
            i += 1
            continue
        following = text[i + 1 : i + 2]
        if following == "$":
            out.append("$")
            i += 2
        elif following == "{":
            depth, j = 1, i + 2
            while j < len(text) and depth:
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            if depth:
                raise ComposeError(f"unclosed ${{ in {text!r}")
            body = text[i + 2 : j - 1]
            end = _name_end(body, 0)
            name, operator, rest = body[:end], "", body[end:]
            for candidate in (":-", ":?", "-", "?"):
                if rest.startswith(candidate):
                    operator, rest = candidate, rest[len(candidate) :]
                    break
            if not name or (rest and not operator):
                raise ComposeError(f"cannot read ${{{body}}}")
            value = variables.get(name)
            unset = value is None or (operator.startswith(":") and value == "")
            if unset and operator.endswith("-"):
                value = interpolate(rest, variables)
            elif unset and operator.endswith("?"):
                raise ComposeError(f"{name} is required: {interpolate(rest, variables)}")
            out.append(value or "")
            i = j
        elif following[:1].isalpha() or following == "_":
            end = _name_end(text, i + 1)
            out.append(variables.get(text[i + 1 : end]) or "")
            i = end
        else:
            out.append("$")
            i += 1
    return "".join(out)


@dataclass(frozen=True)
class Service:
    name: str
    command: list[str]
    environment: dict[str, str]

    def argv(self) -> list[str]:
        """The command, its program taken from this Python's environment when it is there (the
        image installs gunicorn, celery and uvicorn on its PATH; the bench has them in the venv)."""
        program = Path(sys.executable).parent / self.command[0]
        return [str(program) if program.exists() else self.command[0], *self.command[1:]]


def load(path: Path | None = None) -> dict:
    return yaml.safe_load((path or COMPOSE_FILE).read_text())


def service(name: str, variables: dict, path: Path | None = None) -> Service:
    """Service `name` of compose.yaml, interpolated with `variables` as compose would be with
    that shell environment. A service with no command of its own runs the image's; the bench
    has nothing to run then, and says so."""
    definition = _definition(name, path)
    environment = definition.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) if "=" in item else (item, None) for item in environment)
    resolved = {}
    for key, value in environment.items():
        if value is None:  # a bare name passes the variable through from the shell
            if key in variables:
                resolved[key] = variables[key]
        else:
            resolved[key] = interpolate(str(value), variables)
    return Service(name, [interpolate(str(part), variables) for part in command(name, path)], resolved)


def _definition(name: str, path: Path | None) -> dict:
    services = load(path).get("services") or {}
    if name not in services:
        raise ComposeError(f"compose.yaml has no `{name}` service")
    return services[name] or {}


def command(name: str, path: Path | None = None) -> list[str]:
    """Service `name`'s command as compose.yaml writes it (list or string), not interpolated."""
    raw = _definition(name, path).get("command")
    if not raw:
        raise ComposeError(f"compose.yaml's `{name}` service has no command")
    return shlex.split(raw) if isinstance(raw, str) else [str(part) for part in raw]


def mounts(name: str, path: Path | None = None) -> dict[str, str]:
    """Service `name`'s bind mounts of files in the checkout (`./docker/Caddyfile:/etc/caddy/Caddyfile:ro`):
    {path in the checkout: path in the container}."""
    found = {}
    for volume in (load(path).get("services") or {}).get(name, {}).get("volumes") or []:
        if isinstance(volume, dict):
            source, target = volume.get("source", ""), volume.get("target", "")
        else:
            source, _, rest = volume.partition(":")
            target = rest.split(":", 1)[0]
        if source.startswith("./") and target:
            found[source.removeprefix("./")] = target
    return found


def has_service(name: str, path: Path | None = None) -> bool:
    return name in (load(path).get("services") or {})


def rebind(command: list[str], host: str, port: int) -> list[str]:
    """`command` listening on host:port instead of the port compose publishes: gunicorn's
    --bind/-b and uvicorn's or daphne's --host/--port, wherever the command names them."""
    out, i = [], 0
    while i < len(command):
        part = command[i]
        flag = part.partition("=")[0]
        value = {"--bind": f"{host}:{port}", "-b": f"{host}:{port}", "--port": str(port), "--host": host}.get(flag)
        if value is None:
            out.append(part)
        elif "=" in part:
            out.append(f"{flag}={value}")
        else:
            out += [flag, value]
            i += 1
        i += 1
    return out


# What a bench sets whatever compose.yaml's environment says: its own database and Redis, its
# process count and the settings it documents (bench/README.md).
PINNED = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "WEB_CONCURRENCY", "DEBUG", "PULSEHR_RATE_LIMIT")


def served(name: str, env: dict, port: int | None = None) -> tuple[list[str], dict]:
    """Service `name`'s command and environment as the bench runs it: compose's command, with
    compose's environment for the service over `env`, the PINNED keys from `env`, and, given a
    port, listening on 127.0.0.1:port (PORT and GUNICORN_BIND for gunicorn.conf.py, and any
    --bind/--host/--port in the command)."""
    definition = service(name, env)
    argv = definition.argv()
    environment = {**env, **definition.environment, **{key: env[key] for key in PINNED if key in env}}
    if port is not None:
        argv = rebind(argv, "127.0.0.1", port)
        environment |= {"PORT": str(port), "GUNICORN_BIND": f"127.0.0.1:{port}"}
    return argv, environment
