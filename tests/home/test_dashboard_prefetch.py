"""The dashboard's cache keys are read with the viewer's user (``HomePage.prefetch_keys``): a
warm dashboard costs one ``get_many``; its panels are kept with what they were drawn under and
redrawn when that changes; a guess for one viewer is never served to another."""

import re
from unittest import mock

import pytest

from accounts.person_cache import person_changed
from home import selectors
from leaderboard.services import points_award
from tests.accounts.factories import UserFactory
from tests.home.dashboard_html import dashboard

pytestmark = pytest.mark.django_db


def test_a_warm_dashboard_reads_the_cache_once_with_the_viewer(client, reads):
    ana = UserFactory()
    points_award(user=ana, amount=30, kind="k", source_key="a:1")
    for _ in range(3):
        dashboard(client, ana)
    reads.clear()
    assert 'data-testid="dash-points">30<' in dashboard(client, ana)
    assert len(reads) == 1
    assert set(selectors.dashboard_keys(ana.pk)) <= set(reads[0])


def test_viewers_taking_turns_see_their_own_figures_only(client):
    ana, ben = UserFactory(), UserFactory()
    points_award(user=ana, amount=30, kind="k", source_key="a:1", reason="Ana's flags")
    points_award(user=ben, amount=50, kind="k", source_key="b:1", reason="Ben's review")
    for _ in range(3):
        ana_html, ben_html = dashboard(client, ana), dashboard(client, ben)
        assert re.search(r'data-testid="dash-points">30<', ana_html)
        assert re.search(r'data-testid="dash-points">50<', ben_html)
        assert "Ana&#x27;s flags" in ana_html and "Ben&#x27;s review" not in ana_html
        assert "Ben&#x27;s review" in ben_html and "Ana&#x27;s flags" not in ben_html


def test_the_panels_are_redrawn_when_what_they_were_drawn_under_changes(
    client, django_capture_on_commit_callbacks
):
    ana = UserFactory()
    points_award(user=ana, amount=30, kind="k", source_key="a:1")
    dashboard(client, ana)  # signs in once (a login saves the user row: a new person version)

    def again() -> None:
        assert client.get("/").status_code == 200

    again()
    with mock.patch.object(
        selectors, "_dashboard_page_panels", wraps=selectors._dashboard_page_panels
    ) as drawn:
        again()
        assert drawn.call_count == 0  # kept
        person_changed([ana.pk])  # a notification, a role: a new person version
        again()
        assert drawn.call_count == 1
        with django_capture_on_commit_callbacks(execute=True):  # the award commits
            points_award(user=ana, amount=5, kind="k", source_key="a:2")  # a newer ledger row
        again()
        assert drawn.call_count == 2
        again()
        assert drawn.call_count == 2
