#!/bin/sh
# The release step (compose's `migrate` service): apply migrations, then create the admin user
# from DJANGO_SUPERUSER_USERNAME / DJANGO_SUPERUSER_EMAIL / DJANGO_SUPERUSER_PASSWORD when they
# are set. Safe to run on every deploy: an admin that already exists is left as it is.
set -eu

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
