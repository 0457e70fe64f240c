from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from pulsehr.api.ids import PrefixedIdField
from pulsehr.tenancy.choices import Environment

from .constants import MAX_COINS, MIN_COINS, NOTE_MAX_LENGTH, TAG_MAX_LENGTH, TAG_PATTERN, TAG_RULE


class Kudos(models.Model):
    """One person thanking another with coins. Immutable once given. The coins count against
    the giver's monthly allowance (Workspace.kudos_monthly_allowance), month by month in the
    workspace's time zone, which is why created_at is set by the service rather than the
    database: the allowance window and the timestamp come from the same instant."""

    id = PrefixedIdField(prefix="kud")
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="kudos")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    from_employee = models.ForeignKey(
        "employees.Employee", on_delete=models.PROTECT, related_name="kudos_given", verbose_name="from"
    )
    to_employee = models.ForeignKey(
        "employees.Employee", on_delete=models.PROTECT, related_name="kudos_received", verbose_name="to"
    )
    coins = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_COINS), MaxValueValidator(MAX_COINS)],
        help_text=f"{MIN_COINS}–{MAX_COINS}, counted against the giver's monthly allowance.",
    )
    tag = models.CharField(
        max_length=TAG_MAX_LENGTH,
        null=True,
        blank=True,
        validators=[RegexValidator(TAG_PATTERN, message=TAG_RULE)],
        help_text=TAG_RULE,
    )
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = "kudos"
        verbose_name_plural = "kudos"
        constraints = [
            models.CheckConstraint(
                condition=Q(coins__gte=MIN_COINS) & Q(coins__lte=MAX_COINS), name="kudos_coins_in_range"
            ),
            models.CheckConstraint(condition=~Q(from_employee=F("to_employee")), name="kudos_not_to_self"),
        ]
        indexes = [
            models.Index(fields=["workspace", "environment", "id"], name="kudos_tenant_id_idx"),
            # The allowance sum: one giver's coins within a month.
            models.Index(fields=["workspace", "environment", "from_employee", "created_at"], name="kudos_giver_idx"),
            models.Index(fields=["workspace", "environment", "to_employee", "id"], name="kudos_receiver_idx"),
            models.Index(fields=["workspace", "environment", "tag", "id"], name="kudos_tag_idx"),
            models.Index(fields=["workspace", "environment", "created_at"], name="kudos_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.coins} coins from {self.from_employee} to {self.to_employee}"
