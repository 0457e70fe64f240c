import secrets
import unicodedata
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dashboard.demo import company_days_off, seed_activity
from employees import services
from employees.models import Employee
from pulsehr.errors import PulseError
from pulsehr.tenancy.choices import Environment, MembershipRole
from pulsehr.tenancy.context import SYSTEM, Tenant
from pulsehr.tenancy.models import ApiKey, Workspace
from pulsehr.tenancy.services import api_key_create, api_key_revoke, membership_add, workspace_create

FIRST_NAMES = [
    "Giulia",
    "Marco",
    "Aisha",
    "Kenji",
    "Sofia",
    "Lukas",
    "Amara",
    "Mateo",
    "Elena",
    "Noah",
    "Priya",
    "Tomás",
    "Chiara",
    "Oluwaseun",
    "Ingrid",
    "Rafael",
    "Mei",
    "Jonas",
    "Fatima",
    "Niccolò",
]
LAST_NAMES = [
    "Rossi",
    "Bianchi",
    "Okafor",
    "Tanaka",
    "Novak",
    "Schmidt",
    "Haddad",
    "García",
    "Moretti",
    "Lindqvist",
    "Patel",
    "Costa",
    "Kowalski",
    "Nguyen",
    "Dubois",
    "Ferrari",
    "Yilmaz",
    "Murphy",
    "Conti",
    "Silva",
]
DEPARTMENTS = {
    "Engineering": ["Backend Engineer", "Frontend Engineer", "Site Reliability Engineer"],
    "Product": ["Product Manager", "Product Designer"],
    "People": ["HR Partner", "Recruiter"],
    "Sales": ["Account Executive", "Sales Engineer"],
    "Finance": ["Accountant", "Financial Analyst"],
}
LOCATIONS = ["Milan", "Berlin", "Lisbon", "Remote"]
DEMO_KEY_NAME = "demo key (seed_demo)"


def ascii_slug(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace(" ", ".")


class Command(BaseCommand):
    help = (
        "Create a demo workspace with sample people and six months of activity in both environments, "
        "a test API key and an admin login. Run again, it adds nothing (the key and password are renewed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workspace", default="demo", help="Workspace slug (created when missing)")
        parser.add_argument("--employees", type=int, default=25, help="People per environment")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="Where the server will listen")

    def handle(self, *args, workspace, employees, base_url, **options):
        if employees < 0:
            raise CommandError("--employees must be 0 or more.")
        ws = Workspace.objects.filter(slug=workspace).first()
        if ws is None:
            try:
                ws = workspace_create(
                    slug=workspace,
                    name="Demo Co" if workspace == "demo" else "",
                    country="IT",
                    timezone_name="Europe/Rome",
                )
            except PulseError as exc:
                raise CommandError(exc.message) from exc
        company_days_off(ws, Tenant(ws, Environment.LIVE).today())
        for environment in Environment.values:
            tenant = Tenant(ws, environment)
            existing = tenant.scope(Employee.objects).count()
            if existing < employees:
                self._seed_people(tenant, employees - existing, offset=existing)
            seed_activity(tenant)
        password = self._admin_login(ws)
        for old in ApiKey.objects.filter(workspace=ws, environment="test", name=DEMO_KEY_NAME, revoked_at=None):
            api_key_revoke(api_key=old)
        _, secret = api_key_create(workspace=ws, environment="test", scopes="read:*,write:*", name=DEMO_KEY_NAME)

        self.stdout.write(f"Workspace: {ws.slug} ({ws.name}), {employees}+ people in each of live and test")
        self.stdout.write(f"Admin:     {base_url}/admin/  user 'admin'  password '{password}'")
        self.stdout.write(f"Developers: {base_url}/developers  (API keys, webhooks, calendar feeds)")
        self.stdout.write(f"Events:    {base_url}/ecosystem")
        self.stdout.write(f"API docs:  {base_url}/v1/docs")
        self.stdout.write(f"Collaboration demo: {base_url}/collab/demo/")
        self.stdout.write(
            f"Test API key (read:*,write:*), try: curl -H 'Authorization: Bearer <key>' {base_url}/v1/employees"
        )
        self.stdout.write(secret)

    @transaction.atomic
    def _seed_people(self, tenant: Tenant, count: int, offset: int) -> None:
        people = tenant.scope(Employee.objects)
        ceo = people.filter(manager__isnull=True).order_by("pk").first()
        # Top-ups keep the existing heads of department rather than appointing new ones.
        heads = {e.department: e for e in people.filter(manager=ceo, role__startswith="Head of")} if ceo else {}
        for n in range(offset, offset + count):
            department = list(DEPARTMENTS)[n % len(DEPARTMENTS)]
            roles = DEPARTMENTS[department]
            name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[(n * 7 + n // len(LAST_NAMES)) % len(LAST_NAMES)]}"
            if ceo is None:
                role, manager = "Chief Executive Officer", None
            elif department not in heads:
                role, manager = f"Head of {department}", ceo
            else:
                role, manager = roles[n % len(roles)], heads[department]
            employee = services.employee_create(
                tenant=tenant,
                actor=SYSTEM,
                full_name=name,
                email=f"{ascii_slug(name)}.{n}@demo.pulsehr.test",
                role=role,
                department=department if ceo else "Leadership",
                location=LOCATIONS[n % len(LOCATIONS)],
                manager_id=manager.pk if manager else None,
                start_date=date(2019, 1, 7) + timedelta(days=(37 * n) % 2000),
            )
            if ceo is None:
                ceo = employee
            elif department not in heads:
                heads[department] = employee

    @staticmethod
    def _admin_login(ws: Workspace) -> str:
        """A superuser 'admin' with a fresh password each run, printed once."""
        user_model = get_user_model()
        user = user_model.objects.filter(username="admin").first() or user_model(username="admin")
        user.is_staff = user.is_superuser = True
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        if not user.memberships.filter(workspace=ws).exists():  # a rerun keeps the membership it made
            membership_add(workspace=ws, user=user, role=MembershipRole.OWNER)
        return password
