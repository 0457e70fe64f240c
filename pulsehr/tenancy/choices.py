from django.db import models


class Environment(models.TextChoices):
    LIVE = "live", "Live"
    TEST = "test", "Test"


class MembershipRole(models.TextChoices):
    OWNER = "owner", "Owner"
    HR = "hr", "HR"
    VIEWER = "viewer", "Viewer (read-only)"


class ScorePrivacy(models.TextChoices):
    """Who may see one person's Employee Score (README, "The Employee Score"). Group figures
    above the workspace's minimum group size are visible whatever the choice."""

    HR_ONLY = "hr_only", "HR only (API and admin)"
    HR_AND_MANAGER_CHAIN = "hr_and_manager_chain", "HR, and the person's manager chain in the admin"
    NOBODY = "nobody", "Nobody: group figures only"


# The resources a key's scopes can name; `*` stands for all of them.
SCOPE_RESOURCES = ("employees", "status_log", "kudos", "workload", "leave", "webhooks", "collab", "scores")
SCOPE_ACTIONS = ("read", "write")
ALL_SCOPES = tuple(f"{action}:{resource}" for action in SCOPE_ACTIONS for resource in ("*", *SCOPE_RESOURCES))
