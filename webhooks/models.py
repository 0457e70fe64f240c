from django.db import models

from pulsehr.api.ids import PrefixedIdField
from pulsehr.tenancy.choices import Environment


class Event(models.Model):
    """The transactional outbox: one row per change, written in the same transaction as the
    change itself, carrying the resource as the API returns it."""

    id = PrefixedIdField(prefix="evt")
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE, related_name="events")
    environment = models.CharField(max_length=4, choices=Environment.choices)
    type = models.CharField(max_length=64)
    data = models.JSONField()
    actor = models.CharField(max_length=64, blank=True, default="", help_text="Who made the change.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["workspace", "environment", "id"], name="event_tenant_id_idx"),
            models.Index(fields=["workspace", "environment", "type", "id"], name="event_tenant_type_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.pk}"

    def as_payload(self) -> dict:
        return {
            "id": self.pk,
            "type": self.type,
            "created_at": self.created_at.isoformat().replace("+00:00", "Z"),
            "data": self.data,
        }
