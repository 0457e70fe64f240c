from django.apps import AppConfig


class ScoresConfig(AppConfig):
    """The Employee Score: a page-level app over kudos, the status log, workload and leave."""

    name = "scores"
    verbose_name = "Employee Score"
