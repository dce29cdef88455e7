from django.apps import AppConfig


class OpsConfig(AppConfig):
    """The drills and the benchmark: an app only for their management commands, above every other app."""

    name = "ops"
    verbose_name = "Drills and benchmark"
