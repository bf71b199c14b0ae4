from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "koproduktion.demo"
    label = "demo"
    verbose_name = "Demo"
