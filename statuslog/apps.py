from django.apps import AppConfig


class StatuslogConfig(AppConfig):
    name = "statuslog"
    verbose_name = "Status log"
