"""Log lines that carry the request they belong to.

RequestIdMiddleware puts the request id in a context variable for the length of the request;
RequestIdFilter copies it onto every log record (`request_id`, "-" outside a request), so a
line written anywhere during a request, by any library, can be traced back to the
`X-Request-Id` a client quotes. A context variable rather than a thread-local, so it is right
under threads and under asyncio alike."""

import logging
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("pulsehr_request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record that passes the handler; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


# The fields of a JSON line, besides anything passed in `extra=`.
JSON_FORMAT = "%(asctime)s %(levelname)s %(name)s %(process)d %(request_id)s %(message)s"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(*, log_format: str, level: str) -> dict:
    """The LOGGING setting: one stdout handler, JSON (one object a line) or plain text."""
    if log_format not in ("json", "text"):
        raise ValueError("PULSEHR_LOG_FORMAT must be json or text.")
    formatter = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": JSON_FORMAT,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
        if log_format == "json"
        else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "pulsehr.logs.RequestIdFilter"}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "filters": ["request_id"],
                "formatter": "default",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.request": {"level": "ERROR"},
            # Every task received and run, and every beat tick, at INFO drowns the delivery log (the
            # sweep runs every 5 s); keep their warnings.
            "celery.app.trace": {"level": "WARNING"},
            "celery.beat": {"level": "WARNING"},
            "celery.worker.strategy": {"level": "WARNING"},
        },
    }


class GunicornAccessFilter(logging.Filter):
    """For gunicorn's access log in JSON: the request id PulseHR returned (the X-Request-Id
    response header) and the request's parts as fields of their own."""

    def filter(self, record: logging.LogRecord) -> bool:
        atoms = record.args if isinstance(record.args, dict) else {}
        record.request_id = atoms.get("{x-request-id}o", "-")
        record.method, record.path, record.status = atoms.get("m"), atoms.get("U"), atoms.get("s")
        record.duration_ms = atoms.get("M")
        record.remote_addr = atoms.get("h")
        # Behind the proxy, `h` is the proxy: the client is the last address it forwarded.
        record.forwarded_for = atoms.get("{x-forwarded-for}i", "-")
        return True


def gunicorn_logconfig() -> dict:
    """gunicorn's own logs (its error log and the access log) as JSON lines on stdout, like PulseHR's."""
    formatter = logging_config(log_format="json", level="INFO")["formatters"]["default"]
    stdout = {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "pulsehr.logs.RequestIdFilter"},
            "access": {"()": "pulsehr.logs.GunicornAccessFilter"},
        },
        "formatters": {"json": formatter},
        "handlers": {
            "error": {**stdout, "filters": ["request_id"]},
            "access": {**stdout, "filters": ["access"]},
        },
        "root": {"level": "INFO", "handlers": ["error"]},
        "loggers": {
            "gunicorn.error": {
                "level": "INFO",
                "handlers": ["error"],
                "propagate": False,
                "qualname": "gunicorn.error",
            },
            "gunicorn.access": {
                "level": "INFO",
                "handlers": ["access"],
                "propagate": False,
                "qualname": "gunicorn.access",
            },
        },
    }
