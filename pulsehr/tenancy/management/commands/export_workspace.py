from django.core.management.base import BaseCommand, CommandError

from pulsehr.tenancy.portability import PortabilityError, export_workspace


class Command(BaseCommand):
    help = (
        "Write every record of a workspace (both environments, events and webhooks included) as JSON Lines, "
        "for import_workspace on another install."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Workspace slug")
        parser.add_argument("--output", "-o", help="File to write (default: standard output)")

    def handle(self, *args, slug, output, **options):
        try:
            if output:
                with open(output, "w", encoding="utf-8") as out:
                    count = export_workspace(slug=slug, out=out)
                self.stderr.write(f"Exported {count} records of {slug} to {output}")
            else:
                export_workspace(slug=slug, out=self.stdout)
        except PortabilityError as exc:
            raise CommandError(str(exc)) from exc
