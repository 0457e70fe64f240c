from django.db import models


class IdempotencyRecord(models.Model):
    """The first response to a POST sent with an Idempotency-Key, kept for 24 hours.

    The row is created before the request runs (status `processing`), so a concurrent
    repeat finds it and gets 409 instead of writing twice; a finished request stores its
    response for replay."""

    class Status(models.TextChoices):
        PROCESSING = "processing"
        COMPLETED = "completed"

    # Who sent it: an API key, or else (api_key null) a room token's `principal`, its workspace,
    # environment, user and room (collab/api/authentication.py), since room tokens have no row.
    api_key = models.ForeignKey("tenancy.ApiKey", null=True, on_delete=models.CASCADE, related_name="+")
    principal = models.CharField(max_length=255, blank=True, default="")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROCESSING)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_headers = models.JSONField(default=dict)
    response_body = models.BinaryField(null=True)
    created_at = models.DateTimeField()
    lease_expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key"], name="idempotency_unique_key_per_api_key"),
            models.UniqueConstraint(
                fields=["principal", "key"],
                condition=models.Q(api_key__isnull=True),
                name="idempotency_unique_key_per_principal",
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created_idx")]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
