import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import Membership, Team, User
from home.models import HomePage


def _counts():
    tables = sorted(connection.introspection.table_names())
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - introspected names
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db
def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    second = _counts()
    # Logged revisions/log entries aside, nothing grows on a second run.
    assert first == second
    assert Team.objects.count() == 4
    assert User.objects.filter(email="manager@apprentice.example").exists()
    assert Membership.objects.filter(ended_at__isnull=True).count() == User.objects.count()
    assert HomePage.objects.live().count() == 1


@pytest.mark.django_db
def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run when DEBUG is off"):
        call_command("seed_demo")


@pytest.mark.django_db
def test_demo_users_sign_in_with_the_demo_password(client, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    response = client.post(
        "/accounts/login/",
        {"login": "employee@apprentice.example", "password": settings.DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/").context["user"].email == "employee@apprentice.example"


@pytest.mark.django_db
def test_a_second_seed_demo_touches_no_real_person(settings):
    """People who are not the demo's own, even in its domain and its teams, are left alone."""
    from accounts.services import membership_set
    from leaderboard.models import BadgeAward, PointsAward

    settings.DEBUG = True
    call_command("seed_demo")
    newcomer = User.objects.create_user(email="new.hire@apprentice.example", password="x" * 12)
    imported = User.objects.create_user(email="imported@corp.example", password="x" * 12)
    membership_set(user=imported, team=Team.objects.get(slug="customer-care"))
    demo_points = {
        u.email: sum(PointsAward.objects.filter(user=u).values_list("amount", flat=True))
        for u in User.objects.exclude(pk__in=[newcomer.pk, imported.pk])
    }
    before = _counts()

    call_command("seed_demo")

    assert _counts() == before
    for person in (newcomer, imported):
        assert not PointsAward.objects.filter(user=person).exists()
        assert not BadgeAward.objects.filter(user=person).exists()
    assert demo_points == {
        u.email: sum(PointsAward.objects.filter(user=u).values_list("amount", flat=True))
        for u in User.objects.exclude(pk__in=[newcomer.pk, imported.pk])
    }
