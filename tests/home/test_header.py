"""The page header over HTTP: the "My team" link for line managers (without extra queries per
page view), the L&D tools in one Manage menu, and the favicon."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from tests.accounts.factories import TeamFactory, UserFactory
from tests.courses.factories import lesson_page, module_page, quiz_block

pytestmark = pytest.mark.django_db

MY_TEAM = 'data-testid="my-team-link"'


def _header(client, url="/") -> str:
    html = client.get(url).content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_line_managers_get_a_my_team_link_others_do_not(client):
    team = TeamFactory()
    manager = UserFactory(team=team)
    colleague = UserFactory(team=team)
    client.force_login(colleague)
    assert MY_TEAM not in _header(client)
    client.force_login(manager)
    assert MY_TEAM not in _header(client)  # not a line manager yet (and now cached as such)
    team.line_manager = manager
    team.save()  # clears the cached set of line managers
    header = _header(client)
    assert MY_TEAM in header and 'href="/me/team/"' in header
    assert client.get("/me/team/").status_code == 200
    team.is_active = False  # an inactive team's page is not offered
    team.save()
    assert MY_TEAM not in _header(client)


def test_ld_managers_find_my_team_and_their_tools_in_the_manage_menu(client):
    ld = UserFactory(roles=[roles.LD_MANAGER])
    TeamFactory(line_manager=ld)
    client.force_login(ld)
    header = _header(client)
    menu = re.search(r'<details class="nav-more"[^>]*>(.*?)</details>', header, re.S)[1]
    for href in ("/me/team/", "/learn/assignments/", "/challenge/weeks/", "/admin/"):
        assert f'href="{href}"' in menu
    employee = UserFactory()
    client.force_login(employee)
    assert "nav-more" not in _header(client)


def test_the_my_team_link_costs_no_query_per_page_view(client):
    team = TeamFactory()
    manager = UserFactory(team=team)
    team.line_manager = manager
    team.save()
    employee = UserFactory(team=team)
    lesson = lesson_page(module_page(), body=[quiz_block()])
    counts = {}
    for user in (employee, manager):
        client.force_login(user)
        client.get(lesson.url)  # warms what every visitor shares
        with CaptureQueriesContext(connection) as captured:
            html = client.get(lesson.url).content.decode()
        counts[user] = len(captured)
        assert (MY_TEAM in html) == (user == manager)
    assert counts[manager] == counts[employee]


def test_every_page_names_a_favicon_that_is_served(client):
    html = client.get("/accounts/login/").content.decode()
    href = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)[1]
    response = client.get(href)
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)
