from django.conf import settings
from django.db import models

from pulsehr.api.ids import PrefixedIdField
from pulsehr.jsonvalues import validate_json_value

from .choices import Environment, MembershipRole, ScorePrivacy


def default_leave_allowances() -> dict:
    """Days per year by leave kind; a kind not listed has no allowance (unlimited)."""
    return {"vacation": 25, "personal": 3}


def default_score_weights() -> dict:
    """The Employee Score's factors weigh equally unless the workspace says otherwise."""
    return {"recognition": 1, "participation": 1, "workload": 1, "time_off": 1}


def default_work_week() -> list[int]:
    """ISO weekdays worked, Monday = 1."""
    return [1, 2, 3, 4, 5]


class Workspace(models.Model):
    """A tenant. Its data lives in two environments, live and test, that never mix.
    It also holds the workspace's policies, which HR staff edit in the admin."""

    id = PrefixedIdField(prefix="ws")
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, blank=True, default="", help_text="ISO 3166-1 alpha-2 code.")
    timezone = models.CharField(max_length=64, default="UTC", help_text="IANA time zone, e.g. Europe/Rome.")
    region = models.CharField(
        max_length=10, blank=True, default="", help_text="Subdivision for public holidays, e.g. BY for Bavaria."
    )
    work_week = models.JSONField(
        default=default_work_week, validators=[validate_json_value], help_text="ISO weekdays worked, Monday = 1."
    )
    kudos_monthly_allowance = models.PositiveIntegerField(
        default=100, help_text="Coins each person may give per calendar month."
    )
    leave_approval_required = models.BooleanField(
        default=False, help_text="When on, new leave is pending until HR staff approve it."
    )
    leave_allowances = models.JSONField(
        default=default_leave_allowances,
        validators=[validate_json_value],
        help_text='Days per year by kind, e.g. {"vacation": 25, "personal": 3}; kinds not listed are unlimited.',
    )
    score_window_days = models.PositiveSmallIntegerField(
        default=90, help_text="Days the Employee Score's recognition and participation look back, 28–365."
    )
    score_weights = models.JSONField(
        default=default_score_weights,
        validators=[validate_json_value],
        help_text='Weight of each Employee Score factor, 0–10, e.g. {"recognition": 1, "participation": 1, '
        '"workload": 2, "time_off": 1}; 0 leaves a factor out of the overall score.',
    )
    score_change_threshold = models.PositiveSmallIntegerField(
        default=10, help_text="Points an overall score must move week over week to record employee.score_changed."
    )
    score_min_group_size = models.PositiveSmallIntegerField(
        default=5, help_text="Groups with fewer scored people are hidden (3–10)."
    )
    score_privacy = models.CharField(
        max_length=24,
        choices=ScorePrivacy.choices,
        default=ScorePrivacy.HR_ONLY,
        help_text="Who may see one person's score; group figures are visible whatever the choice.",
    )
    leave_policies = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_json_value],
        help_text="How leave accrues, carries over, is counted and may be overdrawn, per kind (leave/policies.py).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """Links a staff user to a workspace they may work in through the admin and /developers."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=MembershipRole.choices, default=MembershipRole.HR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "workspace"], name="membership_unique_user_workspace")]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} ({self.role})"


class ApiKey(models.Model):
    """A bearer key for one workspace environment, which may act as one of its employees. Only a
    SHA-256 of the secret is stored: the secret has 256 random bits, so a fast hash is as safe as
    a slow one and keeps authentication to one indexed lookup."""

    # Never listed, filtered, searched, sorted by, shown or exported by the admin (admin.py).
    secret_fields = ("hashed_key",)

    id = PrefixedIdField(prefix="key")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="api_keys")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    name = models.CharField(max_length=100, blank=True, default="")
    scopes = models.JSONField(default=list, validators=[validate_json_value])
    display_prefix = models.CharField(max_length=16, help_text="The first characters of the key, to recognise it.")
    hashed_key = models.CharField(max_length=64, unique=True, editable=False)
    # A reference by name, not an import: the core holds the binding, and the employees app says
    # who may be bound and when a bound key stops working (bound_keys.py). CASCADE, never
    # SET_NULL: a key whose employee went would otherwise act for the whole workspace.
    employee = models.ForeignKey(
        "employees.Employee",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
        help_text="The employee the key acts as: writes default to them and may name no one else. "
        "The key stops working when they are offboarded.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.display_prefix}… ({self.name or 'unnamed'})"

    # DRF treats request.user as the principal; the key is it.
    is_authenticated = True

    def allows(self, action: str, resource: str) -> bool:
        """write implies read; `*` covers every resource."""
        granted = set(self.scopes)
        actions = ("read", "write") if action == "read" else ("write",)
        return any(f"{a}:{r}" in granted for a in actions for r in ("*", resource))
