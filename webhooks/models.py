from django.db import models
from django.db.models import Q

from pulsehr.api.ids import PrefixedIdField
from pulsehr.jsonvalues import validate_json_value
from pulsehr.tenancy.choices import Environment

from .choices import ALL_EVENTS, PING, DeliveryStatus


class Event(models.Model):
    """The transactional outbox: one row per change, written in the same transaction as the
        change itself, carrying the resource as the API returns it. representations.event_as_dict
    is its shape, sent and shown."""

    id = PrefixedIdField(prefix="evt")
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="events")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    type = models.CharField(max_length=64)
    data = models.JSONField()
    actor = models.CharField(max_length=64, blank=True, default="", help_text="Who made the change.")
    # An id, not a foreign key: this app sits below employees (and an event outlives what it names).
    acting_as = models.CharField(
        max_length=40,
        blank=True,
        default="",
        help_text="The employee the change was made as: the one an API key acts as, or a room token's user.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["workspace", "environment", "id"], name="event_tenant_id_idx"),
            models.Index(fields=["workspace", "environment", "type", "id"], name="event_tenant_type_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.pk}"


class WebhookEndpoint(models.Model):
    """An integrator's URL that receives the events it subscribes to, signed with its secret.

    The secret is kept as it is shown (it is the HMAC key, so it cannot be hashed). After a
    rotation the previous secret signs beside the new one until previous_secret_expires_at."""

    # Never listed, filtered, searched, sorted by, shown or exported by the admin (pulsehr/tenancy/admin_base.py).
    secret_fields = ("secret", "previous_secret")

    id = PrefixedIdField(prefix="whe")
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="webhook_endpoints")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    url = models.URLField(max_length=2048)
    description = models.CharField(max_length=500, blank=True, default="")
    enabled_events = models.JSONField(
        default=list, validators=[validate_json_value], help_text='Event types, or ["*"] for all of them.'
    )
    secret = models.CharField(max_length=64, editable=False)
    previous_secret = models.CharField(max_length=64, blank=True, default="", editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    disabled = models.BooleanField(default=False)
    disabled_reason = models.CharField(max_length=500, blank=True, default="")
    disabled_at = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(
        null=True, blank=True, help_text="The first failed attempt since the last success; cleared by a success."
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "webhook endpoint"
        indexes = [models.Index(fields=["workspace", "environment", "id"], name="endpoint_tenant_id_idx")]

    def __str__(self) -> str:
        return self.url

    def subscribes_to(self, event_type: str) -> bool:
        """Test pings are sent to the one endpoint they test, never to subscribers."""
        if event_type == PING:
            return False
        return ALL_EVENTS in self.enabled_events or event_type in self.enabled_events

    def signing_secrets(self, now) -> list[str]:
        """The secrets that sign a send at `now`: the current one, and the previous one
        during the overlap after a rotation."""
        secrets = [self.secret]
        if self.previous_secret and self.previous_secret_expires_at and self.previous_secret_expires_at > now:
            secrets.append(self.previous_secret)
        return secrets


class Delivery(models.Model):
    """One event on its way to one endpoint. Due deliveries live here, not in the broker:
    `next_attempt_at` says when the next attempt is due, `leased_until` marks one a worker is
    sending now (a lease that outlives its worker makes the delivery due again), and
    `enqueued_at` keeps the sweep from queueing the same delivery twice in a row."""

    id = PrefixedIdField(prefix="del")
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="+")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempt_count = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    failure_reason = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "deliveries"
        indexes = [
            # The sweep's scan: only pending rows, by due time.
            models.Index(
                fields=["next_attempt_at"], condition=Q(status=DeliveryStatus.PENDING), name="delivery_due_idx"
            ),
            models.Index(fields=["endpoint", "id"], name="delivery_endpoint_idx"),
        ]

    def __str__(self) -> str:
        return self.pk


class DeliveryAttempt(models.Model):
    """One send of a delivery, kept for the delivery log whatever its outcome."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True, default="", help_text="The first 2 KB of the response.")
    error = models.CharField(max_length=500, blank=True, default="")
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="attempt_unique_delivery_number"),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"
