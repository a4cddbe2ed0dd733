import pytest
from django.db import IntegrityError, transaction

from accounts.models import Membership, User
from accounts.services import membership_set
from tests.accounts.factories import TeamFactory, UserFactory


@pytest.mark.django_db
def test_email_is_unique_whatever_its_case():
    User.objects.create_user(email="ana@example.com", password="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="ANA@example.com", password="x")


@pytest.mark.django_db
def test_login_lookup_ignores_case():
    user = User.objects.create_user(email="Ana@Example.com", password="x")
    assert user.email == "Ana@example.com"
    assert User.objects.get_by_natural_key("ana@EXAMPLE.com") == user


@pytest.mark.django_db
def test_moving_team_closes_the_old_membership_and_keeps_history():
    first, second = TeamFactory(), TeamFactory()
    user = UserFactory(team=first)
    membership_set(user=user, team=second)
    assert user.current_team == second
    history = list(Membership.objects.filter(user=user).order_by("started_at"))
    assert [m.team for m in history] == [first, second]
    assert history[0].ended_at is not None
    assert history[1].ended_at is None


@pytest.mark.django_db
def test_setting_the_same_team_again_changes_nothing():
    team = TeamFactory()
    user = UserFactory(team=team)
    membership_set(user=user, team=team)
    assert Membership.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_database_refuses_two_current_teams():
    user = UserFactory(team=TeamFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, team=TeamFactory())


@pytest.mark.django_db
def test_public_name_prefers_display_name_then_full_name_then_email():
    user = UserFactory(display_name="", first_name="", last_name="", email="kim@example.com")
    assert user.public_name == "kim"
    user.first_name, user.last_name = "Kim", "Lee"
    assert user.public_name == "Kim Lee"
    user.display_name = "KL"
    assert user.public_name == "KL"
