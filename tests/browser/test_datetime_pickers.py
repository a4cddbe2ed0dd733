"""Browser: an L&D Manager fills the challenge week's date-time pickers (and an assignment's due
date picker) in Chromium; the time zone is named beside them, a refused form keeps what was
picked, and the saved week has exactly the picked times."""

from datetime import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import roles
from challenges.models import ChallengeWeek
from courses.models import Assignment
from tests.accounts.factories import TeamFactory, UserFactory
from tests.challenges.factories import make_challenge
from tests.courses.factories import module_page
from tests.support.browser import signed_in_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_manager_picks_a_weeks_dates_and_a_due_date(live_server, new_page, settings):
    settings.TIME_ZONE = "Europe/London"  # the server thread shares the settings
    roles.sync_role_permissions()
    manager = UserFactory(roles=[roles.LD_MANAGER])
    make_challenge(title="Kettle refund reply")
    team = TeamFactory(name="Care Crew")
    module = module_page(title="Prompting for recruiters")
    zone = timezone.get_current_timezone_name()
    assert zone == "Europe/London"
    page = signed_in_page(new_page, live_server.url, manager)

    page.goto(f"{live_server.url}/admin/challenge_weeks/new/")
    starts = page.locator("#id_starts_at")
    expect(starts).to_have_attribute("type", "datetime-local")
    expect(page.locator("#id_starts_at_tz")).to_have_text(f"Times are in {zone}.")
    page.fill("#id_title", "Refund week")
    starts.fill("2031-07-01T09:30")
    page.locator("#id_ends_at").fill("2031-06-30T17:00")  # before the start: refused
    page.get_by_label("Kettle refund reply").check()
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text("The week must end after it starts")).to_be_visible()
    expect(page.locator("#id_starts_at")).to_have_value("2031-07-01T09:30")
    expect(page.locator("#id_ends_at")).to_have_value("2031-06-30T17:00")
    assert not ChallengeWeek.objects.exists()

    page.locator("#id_ends_at").fill("2031-07-08T17:00")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text("Refund week").first).to_be_visible()
    week = ChallengeWeek.objects.get()
    local = timezone.get_current_timezone()
    assert week.starts_at == datetime(2031, 7, 1, 9, 30, tzinfo=local)
    assert week.ends_at == datetime(2031, 7, 8, 17, 0, tzinfo=local)

    page.goto(f"{live_server.url}/learn/assignments/")
    due = page.locator("#id_due_date")
    expect(due).to_have_attribute("type", "date")
    expect(page.locator("#id_due_date_tz")).to_contain_text(zone)
    page.locator("#id_module").select_option(label="Prompting for recruiters")
    page.locator("#id_team").select_option(label="Care Crew")
    due.fill("2031-07-15")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator("[data-testid=overdue]")).to_be_visible()
    assignment = Assignment.objects.get()
    assert (assignment.module_id, assignment.team_id) == (module.pk, team.pk)
    assert assignment.due_date.isoformat() == "2031-07-15"
