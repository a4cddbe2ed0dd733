from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "challenges"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from challenges.mentoring_source import SOURCE
        from challenges.models import FlawCategory
        from challenges.selectors import forget_categories
        from mentoring.sources import source_register

        # Challenges attached to an AI system feed its guidance packs and eval suite.
        source_register(SOURCE)
        for signal in (post_save, post_delete):
            signal.connect(
                forget_categories, sender=FlawCategory, dispatch_uid="challenges.categories"
            )
