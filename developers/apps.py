from django.apps import AppConfig


class DevelopersConfig(AppConfig):
    """The /developers pages (a workspace's API keys and webhook endpoints, for its staff) and
    the public /ecosystem event catalogue. Server-rendered; the writes go through the
    tenancy and webhooks services."""

    name = "developers"
    verbose_name = "Developers"
