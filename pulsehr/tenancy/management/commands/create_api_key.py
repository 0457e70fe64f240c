from django.core.management.base import BaseCommand, CommandError

from pulsehr.errors import PulseError
from pulsehr.tenancy.models import Workspace
from pulsehr.tenancy.services import api_key_create


class Command(BaseCommand):
    help = "Mint an API key. The secret is printed alone on the last line and never shown again."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, help="Workspace slug")
        parser.add_argument("--environment", required=True, choices=["live", "test"])
        parser.add_argument("--scopes", default="read:*,write:*", help="Comma-separated, e.g. 'read:*,write:leave'")
        parser.add_argument("--name", default="")
        parser.add_argument(
            "--employee",
            default="",
            metavar="EMP_ID",
            help="Bind the key to this active employee of the workspace environment (emp_…): writes default to "
            "them and may name no one else, and the key stops working once they are offboarded.",
        )

    def handle(self, *args, workspace, environment, scopes, name, employee, **options):
        ws = Workspace.objects.filter(slug=workspace).first()
        if ws is None:
            raise CommandError(f"No workspace with slug '{workspace}'.")
        try:
            api_key, secret = api_key_create(
                workspace=ws, environment=environment, scopes=scopes, name=name, employee_id=employee.strip() or None
            )
        except PulseError as exc:
            raise CommandError(exc.message) from exc
        acting = f", acting as {api_key.employee_id} ({api_key.employee})" if api_key.employee_id else ""
        self.stdout.write(
            f"Created {api_key.pk} for {ws.slug}/{environment} with scopes {','.join(api_key.scopes)}{acting}"
        )
        self.stdout.write(secret)
