"""What every page reuses between requests: the header and the weeks banner kept as HTML per
process (accounts.templatetags.site_chrome), the viewer's values kept beside their version
(accounts.person_cache), and what a page shows everyone read with its route
(home.page_cache.page_shared). Never one person's header for another, never a CSRF token twice,
and any change shown on the next request."""

import re

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from accounts import person_cache
from accounts.templatetags import site_chrome
from notifications.services import notification_send
from tests.accounts.factories import UserFactory
from tests.challenges.factories import make_challenge, make_week
from tests.courses.factories import lesson_page, module_page, text_block

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def _header(client, url="/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


@pytest.fixture
def lesson():
    return lesson_page(module_page(), title="Weigh the evidence")


def test_people_with_the_same_counts_still_see_only_their_own_name(client, lesson):
    people = [UserFactory(first_name=name, last_name="Okafor") for name in ("Ada", "Bea", "Cy")]
    for _ in range(2):  # the second round is served from the kept headers
        for person in people:
            client.force_login(person)
            header = _header(client, lesson.url)
            assert f'title="{person.public_name}"' in header
            assert [p for p in people if p.public_name in header] == [person]


def test_the_header_marks_the_section_of_the_path(client, lesson):
    client.force_login(UserFactory())
    current = re.compile(r'<a href="([^"]+)" aria-current="page"')
    assert current.findall(_header(client, lesson.url)) == ["/skills/"]
    assert current.findall(_header(client, "/leaderboard/")) == ["/leaderboard/"]
    assert current.findall(_header(client, "/")) == ["/"]


def test_a_kept_header_gets_a_fresh_csrf_token_that_signs_out(lesson):
    me = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(me)
    tokens = [TOKEN.search(_header(client, lesson.url))[1] for _ in range(3)]
    assert all(tokens) and len(set(tokens)) == 3  # masked afresh on every request
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[-1]})
    assert response.status_code == 302
    assert client.get(lesson.url).status_code == 302  # signed out: the lesson asks to sign in


def test_no_token_is_kept_in_the_per_process_headers(client, lesson):
    client.force_login(UserFactory())
    token = TOKEN.search(_header(client, lesson.url))[1]
    kept = "".join(site_chrome._headers.values())
    assert token not in kept and site_chrome.CSRF_SLOT in kept


def test_counts_and_names_change_on_the_next_request(client, lesson):
    me = UserFactory(first_name="Rosalind", last_name="Franklin")
    client.force_login(me)
    assert "unread" not in _header(client, lesson.url)
    notification_send(user=me, kind="kudos", message="Thanks!", url="/")
    assert 'aria-label="1 unread"' in _header(client, lesson.url)
    me.first_name = "Rosa"
    me.save()
    header = _header(client, lesson.url)
    assert "Rosa Franklin" in header and "Rosalind" not in header


def test_a_renamed_week_shows_in_the_banner_at_once(
    client, lesson, django_capture_on_commit_callbacks
):
    from challenges.services import week_save

    challenge = make_challenge()
    week = make_week(challenges=[challenge], title="Refund week")
    client.force_login(UserFactory())
    for _ in range(2):
        assert "Refund week" in client.get(lesson.url).content.decode()
    week.title = "Returns week"
    with django_capture_on_commit_callbacks(execute=True):
        week_save(week=week, challenges=[challenge], teams=[])
    html = client.get(lesson.url).content.decode()
    assert "Returns week" in html and "Refund week" not in html


def test_a_value_kept_under_an_older_version_is_a_miss():
    me = UserFactory()
    version = person_cache.person_version(me.pk)
    person_cache.current_store(me.pk, "unread", version, 7)
    found = cache.get_many([person_cache.current_key(me.pk, "unread")])
    assert person_cache.current_value(found, me.pk, "unread", version) == 7
    person_cache.person_changed([me.pk])
    newer = person_cache.person_version(me.pk)
    assert newer != version
    assert person_cache.current_value(found, me.pk, "unread", newer) is None
    # Another person's value is never under this person's key.
    other = UserFactory()
    assert person_cache.current_value(found, other.pk, "unread", newer) is None


def test_a_shared_value_kept_for_another_page_is_not_served():
    from home.page_cache import page_shared

    first = lesson_page(module_page(), body=[text_block("<p>One</p>")])
    second = lesson_page(module_page(), body=[text_block("<p>Two</p>")])
    request = RequestFactory().get("/")
    request._page_shared_key, request._page_shared = "pages:shared:test", None
    assert page_shared(request, first, lambda: {"of": first.pk}) == {"of": first.pk}
    request._page_shared = cache.get("pages:shared:test")  # what the next request reads
    assert page_shared(request, first, lambda: {"of": "again"}) == {"of": first.pk}
    assert page_shared(request, second, lambda: {"of": second.pk}) == {"of": second.pk}


def test_a_preview_keeps_nothing_the_live_page_reads():
    from home.page_cache import page_shared, pages_version

    live = lesson_page(module_page(), body=[text_block("<p>Live</p>")])
    request = RequestFactory().get("/admin/")
    request.is_preview = True
    assert page_shared(request, live, lambda: {"draft": True}) == {"draft": True}
    assert cache.get(f"pages:shared:{pages_version()}:{live.pk}") is None
    request.is_preview = False
    assert page_shared(request, live, lambda: {"draft": False}) == {"draft": False}
    assert cache.get(f"pages:shared:{pages_version()}:{live.pk}") == (live.pk, {"draft": False})
