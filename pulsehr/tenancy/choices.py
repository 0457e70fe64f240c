from django.db import models


class Environment(models.TextChoices):
    LIVE = "live", "Live"
    TEST = "test", "Test"


class MembershipRole(models.TextChoices):
    OWNER = "owner", "Owner"
    HR = "hr", "HR"
    VIEWER = "viewer", "Viewer (read-only)"


# The resources a key's scopes can name; `*` stands for all of them.
SCOPE_RESOURCES = ("employees", "status_log", "kudos", "workload", "leave", "webhooks", "collab")
SCOPE_ACTIONS = ("read", "write")
ALL_SCOPES = tuple(f"{action}:{resource}" for action in SCOPE_ACTIONS for resource in ("*", *SCOPE_RESOURCES))
