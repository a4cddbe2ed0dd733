import pytest

from tests.accounts.factories import TeamFactory, UserFactory
from tests.challenges.factories import make_challenge


@pytest.fixture
def challenge(db):
    return make_challenge()


@pytest.fixture
def employee(db):
    return UserFactory(team=TeamFactory(name="Care", slug="care"))


@pytest.fixture
def colleague(db):
    return UserFactory(team=TeamFactory(name="Risk", slug="risk"))
