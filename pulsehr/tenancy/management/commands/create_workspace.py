from django.core.management.base import BaseCommand, CommandError

from pulsehr.errors import PulseError
from pulsehr.tenancy.services import workspace_create


class Command(BaseCommand):
    help = "Create a workspace (a tenant with live and test environments)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", default="")
        parser.add_argument("--country", default="", help="ISO 3166-1 alpha-2, e.g. IT")
        parser.add_argument("--timezone", default="UTC", help="IANA time zone, e.g. Europe/Rome")

    def handle(self, *args, slug, name, country, timezone, **options):
        try:
            workspace = workspace_create(slug=slug, name=name, country=country, timezone_name=timezone)
        except PulseError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Created workspace {workspace.slug} ({workspace.pk}), time zone {workspace.timezone}")
