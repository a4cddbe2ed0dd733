from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "challenges"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from accounts.person_cache import HEADER_KEYS
        from challenges.context_processors import waiting_reviews_key
        from challenges.mentoring_source import SOURCE
        from challenges.models import FlawCategory
        from challenges.selectors import forget_categories
        from challenges.services.weeks import BANNER_CACHE_KEY
        from mentoring.sources import source_register

        # The header's waiting-reviews count and the weeks banner, read with the viewer's user.
        HEADER_KEYS.extend([waiting_reviews_key, lambda pk: BANNER_CACHE_KEY])
        # Challenges attached to an AI system feed its guidance packs and eval suite.
        source_register(SOURCE)
        for signal in (post_save, post_delete):
            signal.connect(
                forget_categories, sender=FlawCategory, dispatch_uid="challenges.categories"
            )
        # What the challenge page shows of a person's records (challenges.attempt_cache).
        from django.db.models.signals import m2m_changed

        from challenges import attempt_cache
        from challenges.models import (
            ContextNote,
            Correction,
            Draft,
            Endorsement,
            Flag,
            FlagSubmission,
            Reflection,
            Review,
            TestCase,
            TestJudgement,
            Upvote,
        )

        records = (Draft, FlagSubmission, Flag, Correction, Review, ContextNote, TestCase)
        for signal in (post_save, post_delete):
            for model in (*records, TestJudgement, Reflection):
                signal.connect(
                    attempt_cache.record_changed,
                    sender=model,
                    dispatch_uid=f"challenges.attempt.{model.__name__}",
                )
            signal.connect(
                attempt_cache.endorsement_changed,
                sender=Endorsement,
                dispatch_uid="challenges.attempt.Endorsement",
            )
            signal.connect(
                attempt_cache.upvote_changed,
                sender=Upvote,
                dispatch_uid="challenges.attempt.Upvote",
            )
        from accounts.models import Membership

        for signal in (post_save, post_delete):
            signal.connect(
                attempt_cache.membership_changed,
                sender=Membership,
                dispatch_uid="challenges.attempt.Membership",
            )
        m2m_changed.connect(
            attempt_cache.note_skills_changed,
            sender=ContextNote.skills.through,
            dispatch_uid="challenges.attempt.note_skills",
        )
