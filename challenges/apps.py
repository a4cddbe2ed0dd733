from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "challenges"

    def ready(self):
        from challenges.mentoring_source import SOURCE
        from mentoring.sources import source_register

        # Challenges attached to an AI system feed its guidance packs and eval suite.
        source_register(SOURCE)
