#!/bin/sh
# The release step (compose's `migrate` service): apply migrations, then create the admin user
# from DJANGO_SUPERUSER_USERNAME / DJANGO_SUPERUSER_EMAIL / DJANGO_SUPERUSER_PASSWORD when they
# are set. Safe to run on every deploy: an admin that already exists is left as it is.
set -eu

# Nothing is migrated, and nothing starts after this step, on a configuration that may not go
# live: an Error of `check --deploy` (pulsehr.E001: a missing, known or short SECRET_KEY) stops it.
python manage.py check --deploy --fail-level ERROR
python manage.py migrate --noinput

if [ -z "${DJANGO_SUPERUSER_USERNAME:-}" ]; then
  echo "DJANGO_SUPERUSER_USERNAME is not set: no admin user created."
  exit 0
fi

errors="$(mktemp)"
if python manage.py createsuperuser --noinput 2>"$errors"; then
  echo "Admin user ${DJANGO_SUPERUSER_USERNAME} created."
elif grep -q "already taken" "$errors"; then
  echo "Admin user ${DJANGO_SUPERUSER_USERNAME} already exists: left unchanged."
else
  cat "$errors" >&2
  rm -f "$errors"
  exit 1
fi
rm -f "$errors"
