from django.db import models


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


# enabled_events may hold this instead of a list of types: every type, present and future.
ALL_EVENTS = "*"
# The test event: sent to one endpoint on request, never subscribed to.
PING = "ping"
