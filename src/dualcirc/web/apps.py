from django.apps import AppConfig


class WebConfig(AppConfig):
    """Base templates, vendored static files and shared view helpers."""

    name = "dualcirc.web"
    label = "web"
