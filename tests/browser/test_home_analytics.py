"""An L&D Manager opens analytics in the admin, filters by team and downloads a CSV whose
figures match the database."""

import csv
import io

import pytest
from django.db.models import Count, Sum
from playwright.sync_api import expect

from accounts import roles
from leaderboard.models import PointsAward
from leaderboard.services import points_award
from tests.accounts.factories import PASSWORD, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("banner").get_by_role("button", name="Sign out")).to_be_visible()


def test_manager_filters_analytics_and_downloads_matching_csv(page, live_server):
    manager = UserFactory(roles=[roles.LD_MANAGER], email="maya@example.com")
    claims, payroll = TeamFactory(name="Claims"), TeamFactory(name="Payroll")
    for i, team in enumerate([claims, claims, claims, payroll]):
        user = UserFactory(team=team)
        points_award(user=user, amount=10 + i, kind="lesson.completed", source_key=f"b:{i}")
    UserFactory(team=claims)  # a member who has done nothing yet

    sign_in(page, live_server.url, manager.email)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Analytics").click()
    expect(page.get_by_role("heading", name="Programme analytics")).to_be_visible()
    page.get_by_label("Team", exact=True).select_option(label="Claims")
    page.get_by_role("button", name="Apply filters").click()
    table = page.locator("#table-participation-team")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Claims")

    section = page.locator("section", has=page.get_by_role("heading", name="Participation by team"))
    with page.expect_download() as info:
        section.get_by_role("link", name="Download CSV").click()
    text = open(info.value.path(), encoding="utf-8").read()  # noqa: SIM115
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["Team"] for row in rows] == ["Claims"]

    expected = PointsAward.objects.filter(team=claims).aggregate(
        people=Count("user", distinct=True), points=Sum("amount")
    )
    members = claims.memberships.filter(ended_at__isnull=True).count()
    assert int(rows[0]["Members"]) == members == 4
    assert int(rows[0]["Active members"]) == expected["people"] == 3
    assert int(rows[0]["Points"]) == expected["points"] == 10 + 11 + 12
    assert rows[0]["Participation %"] == "75.0"
