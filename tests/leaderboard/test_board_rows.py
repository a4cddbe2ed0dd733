"""The people board's rows, written out by ``leaderboard.templatetags.board_rows`` (not a
template loop): names escaped, the viewer's own row marked, opted-out people anonymous to
colleagues and flagged for L&D, and the board navigation (kept per process) marking the board."""

import re

import pytest

from accounts import roles
from leaderboard.services import points_award
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _rows(client) -> list[str]:
    html = client.get("/leaderboard/").content.decode()
    return re.findall(r"<tr data-key=.*?</tr>", html, re.S)


def test_rows_escape_names_mark_the_viewer_and_hide_who_opted_out(client):
    sly = UserFactory(first_name="<script>alert(1)</script>", last_name="Sly")
    shy = UserFactory(first_name="Hedda", last_name="Hidden", show_on_leaderboards=False)
    me = UserFactory(first_name="Mia", last_name="Me")
    for points, user in ((30, sly), (20, shy), (10, me)):
        points_award(user=user, amount=points, kind="x", source_key=f"k:{user.pk}")
    client.force_login(me)
    first, second, third = _rows(client)
    assert "<script>" not in first and "&lt;script&gt;alert(1)&lt;/script&gt; Sly" in first
    assert f'href="/leaderboard/people/{sly.pk}/"' in first
    assert "<td data-rank>1</td>" in first and '<td class="lb-num">30</td>' in first
    assert "Anonymous mentor" in second and "Hedda" not in second and "href" not in second
    assert "hidden from colleagues" not in second
    assert 'class="lb-row--me"' in third and '<span class="tag">you</span>' in third
    assert "lb-row--me" not in first + second
    client.force_login(UserFactory(roles=[roles.LD_MANAGER]))
    second = _rows(client)[1]
    assert "Hedda Hidden" in second and "hidden from colleagues" in second


def test_an_empty_board_says_so(client):
    client.force_login(UserFactory())
    assert "No points on this board yet." in client.get("/leaderboard/").content.decode()


def test_the_navigation_marks_the_board_shown(client):
    points_award(user=UserFactory(), amount=5, kind="x", source_key="k", skill="communication")
    client.force_login(UserFactory())
    for path in ("/leaderboard/", "/leaderboard/skill-communication/", "/leaderboard/"):
        html = client.get(path).content.decode()
        tabs = re.search(r'<ul class="lb-tabs">(.*?)</ul>', html, re.S)[1]
        current = re.findall(r'<a href="([^"]+)" aria-current="page"', tabs)
        assert current == [path if path != "/leaderboard/" else "/leaderboard/all/"]
