import factory
from django.contrib.auth.models import Group

from accounts.models import Membership, Team, User


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    department = factory.Faker("job")


class UserFactory(factory.django.DjangoModelFactory):
    """An employee with a verified e-mail address in a new team.

    Pass ``team=some_team`` to choose the team, ``team=False`` for none, ``roles=[...]`` for groups.
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def team(self, create, extracted, **kwargs):
        if not create:
            return
        team = extracted if extracted is not None else TeamFactory()
        if team is not False:
            Membership.objects.create(user=self, team=team)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


PASSWORD = "correct-horse-battery"
