# syntax=docker/dockerfile:1
# PulseHR: one image for every PulseHR process; the command picks the role (as compose.yaml does).
#   web (default):  gunicorn -c gunicorn.conf.py   (WSGI, port 8000: the API, admin, pages, static files)
#   realtime:       uvicorn pulsehr.asgi:realtime_application --host 0.0.0.0 --port 8001 --workers 1 \
#                     --lifespan off --no-access-log --timeout-graceful-shutdown 10   (the /v1/realtime WebSocket)
#   worker:         celery -A pulsehr worker --pool threads --concurrency 8 --loglevel INFO
#   beat:           celery -A pulsehr beat --loglevel INFO
#   release:        sh docker/release.sh   (migrations, then the admin user from DJANGO_SUPERUSER_*)
# A proxy puts web and realtime on one port: compose.yaml's `proxy`, Caddy with docker/Caddyfile.

# --- build: the dependencies, read from pyproject.toml, in a virtualenv of their own ----------
FROM python:3.11.11-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
# Only the project metadata first, so the dependency layer is rebuilt only when it changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > requirements.txt \
 && pip install --upgrade pip \
 && pip install -r requirements.txt

# --- runtime: the virtualenv, the source, and the collected static files; runs as a plain user --
FROM python:3.11.11-slim-bookworm AS runtime

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=pulsehr.settings \
    PULSEHR_DATA_DIR=/app/var \
    PULSEHR_LOG_FORMAT=json \
    PORT=8000

RUN groupadd --system --gid 10001 pulsehr \
 && useradd --system --uid 10001 --gid pulsehr --home-dir /app --no-create-home --shell /usr/sbin/nologin pulsehr

COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=pulsehr:pulsehr . .
RUN mkdir -p /app/var && chown pulsehr:pulsehr /app/var

USER pulsehr
# Static files are gathered (and compressed) once, here; WhiteNoise serves them from STATIC_ROOT.
RUN python manage.py collectstatic --noinput --verbosity 0

EXPOSE 8000 8001
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
