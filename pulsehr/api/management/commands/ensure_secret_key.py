from django.conf import settings
from django.core.management.base import BaseCommand

from pulsehr import secretkey


class Command(BaseCommand):
    help = (
        "Create <PULSEHR_DATA_DIR>/secret_key (mode 0600) with a random key unless it exists; settings "
        "read it when SECRET_KEY is not set. `make run` calls this, so a laptop needs no configuration."
    )

    def handle(self, *args, **options):
        path = settings.DATA_DIR / secretkey.FILE_NAME
        if secretkey.ensure_file(settings.DATA_DIR):
            self.stdout.write(f"Generated a secret key in {path}.")
        else:
            self.stdout.write(f"Keeping the secret key in {path}.")
