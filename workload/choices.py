from django.db import models


class WorkloadLevel(models.TextChoices):
    LIGHT = "light", "Light"
    BALANCED = "balanced", "Balanced"
    HEAVY = "heavy", "Heavy"
    OVERLOADED = "overloaded", "Overloaded"
