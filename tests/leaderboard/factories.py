import factory

from leaderboard.models import Badge, Level


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Level

    name = factory.Sequence(lambda n: f"Level {n}")
    xp_threshold = factory.Sequence(lambda n: n * 100)


class BadgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Badge

    name = factory.Sequence(lambda n: f"Badge {n}")
    slug = factory.Sequence(lambda n: f"badge-{n}")
    description = "Recognises something good."
    criteria = Badge.POINTS_TOTAL
    threshold = 10
