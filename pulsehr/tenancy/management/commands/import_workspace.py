import sys

from django.core.management.base import BaseCommand, CommandError

from pulsehr.tenancy.portability import PortabilityError, import_workspace


class Command(BaseCommand):
    help = (
        "Load a file written by export_workspace, all or nothing. Refused when the workspace is already "
        "in this install."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The export, or - for standard input")

    def handle(self, *args, file, **options):
        try:
            if file == "-":
                result = import_workspace(sys.stdin)
            else:
                with open(file, encoding="utf-8") as lines:
                    result = import_workspace(lines)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        except PortabilityError as exc:
            raise CommandError(f"Nothing imported: {exc}") from exc
        total = sum(result.counts.values())
        self.stdout.write(f"Imported workspace {result.slug}: {total} records")
        for label, count in sorted(result.counts.items()):
            self.stdout.write(f"  {label}: {count}")
        if result.users_created:
            self.stdout.write(
                f"Created {len(result.users_created)} inactive users without passwords "
                f"(activate them and set a password in the admin): {', '.join(result.users_created)}"
            )
