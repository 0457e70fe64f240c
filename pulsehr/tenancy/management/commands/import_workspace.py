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
        parser.add_argument(
            "--link-users",
            action="store_true",
            help="Link the file's users to existing users of the same username, who then get the workspace's "
            "memberships (owner included) and keys. Without it, a user already in this install is refused.",
        )

    def handle(self, *args, file, link_users, **options):
        try:
            # The file object is read line by line: an export of any size is never held in memory whole.
            if file == "-":
                result = import_workspace(sys.stdin, link_users=link_users)
            else:
                with open(file, encoding="utf-8") as lines:
                    result = import_workspace(lines, link_users=link_users)
        except (OSError, UnicodeDecodeError) as exc:
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
        if result.users_linked:
            self.stdout.write(
                f"Linked {len(result.users_linked)} existing users (--link-users): {', '.join(result.users_linked)}"
            )
