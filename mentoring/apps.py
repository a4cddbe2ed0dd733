from django.apps import AppConfig


class MentoringConfig(AppConfig):
    """The company's real AI systems: registry, field feedback, guidance packs, evaluations."""

    name = "mentoring"
    verbose_name = "AI systems"
