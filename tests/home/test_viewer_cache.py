"""What each signed-in page reads about its viewer comes from a per-person cache
(accounts/person_cache.py, accounts/middleware.py) and published pages from the page cache
(home/page_cache.py): never one person's values for another, and never stale after a change.

Every test loads pages over HTTP as the people involved, warming the caches first, then changes
something the way the site does and loads the page again.
"""

import re

import pytest
from django.contrib.auth.models import Group

from accounts import roles
from notifications.services import (
    notification_send,
    notification_send_bulk,
    notifications_mark_read,
)
from tests.accounts.factories import UserFactory
from tests.courses.factories import lesson_page, module_page
from tests.support.redis_server import redis_server  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _header(client, url="/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def _unread(header: str) -> int:
    found = re.search(r'aria-label="(\d+) unread"', header)
    return int(found[1]) if found else 0


@pytest.fixture
def lesson():
    return lesson_page(module_page(), title="Check the numbers")


def test_two_people_on_the_same_page_each_see_their_own_name_and_count(client, lesson):
    ada = UserFactory(first_name="Ada", last_name="Lovelace")
    bob = UserFactory(first_name="Bob", last_name="Marley")
    for i in range(3):
        notification_send(user=ada, kind="badge", message=f"Badge {i}", url="/")
    for _ in range(2):  # each warms the cache, then reads it
        client.force_login(ada)
        header = _header(client, lesson.url)
        assert ada.public_name in header and bob.public_name not in header
        assert _unread(header) == 3
        client.force_login(bob)
        header = _header(client, lesson.url)
        assert bob.public_name in header and ada.public_name not in header
        assert _unread(header) == 0


def test_a_new_notification_shows_in_the_count_at_once(client, lesson):
    me = UserFactory()
    client.force_login(me)
    assert _unread(_header(client, lesson.url)) == 0
    assert _unread(_header(client, lesson.url)) == 0  # now from the cache
    notification_send(user=me, kind="kudos", message="Thanks!", url="/")
    assert _unread(_header(client, lesson.url)) == 1
    notification_send_bulk(user_ids=[me.pk], kind="week", message="A week starts", url="/w/1")
    assert _unread(_header(client, lesson.url)) == 2
    notifications_mark_read(user=me)
    assert _unread(_header(client, lesson.url)) == 0


def test_a_bulk_notification_updates_everyone_it_reaches_and_nobody_else(client):
    people = [UserFactory() for _ in range(3)]
    for person in people:
        client.force_login(person)
        assert _unread(_header(client)) == 0
    notification_send_bulk(user_ids=[p.pk for p in people[:2]], kind="week", message="Go", url="/")
    for person, expected in zip(people, (1, 1, 0), strict=True):
        client.force_login(person)
        assert _unread(_header(client)) == expected


def test_a_role_change_changes_the_menu_at_once(client):
    me = UserFactory()
    client.force_login(me)
    assert "nav-more" not in _header(client)
    assert "nav-more" not in _header(client)  # cached as an employee
    me.groups.add(Group.objects.get(name=roles.LD_MANAGER))
    header = _header(client)
    assert "nav-more" in header and 'href="/learn/assignments/"' in header
    Group.objects.get(name=roles.LD_MANAGER).user_set.remove(me)  # from the group's side
    assert "nav-more" not in _header(client)
    Group.objects.get(name=roles.LD_AUTHOR).user_set.add(me)
    header = _header(client)
    assert "nav-more" in header and 'href="/learn/assignments/"' not in header


def test_a_renamed_person_sees_their_new_name(client):
    me = UserFactory(first_name="Grace", last_name="Hopper")
    client.force_login(me)
    assert "Grace" in _header(client)
    me.first_name = "Amazing"
    me.save()
    assert "Amazing" in _header(client)


def test_a_password_changed_elsewhere_signs_the_old_session_out(client, lesson):
    me = UserFactory()
    client.force_login(me)
    assert client.get(lesson.url).status_code == 200  # the user is cached now
    me.set_password("a-completely-new-passphrase")
    me.save()
    response = client.get(lesson.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_deactivated_person_is_signed_out(client, lesson):
    me = UserFactory()
    client.force_login(me)
    assert client.get(lesson.url).status_code == 200
    me.is_active = False
    me.save()
    assert client.get(lesson.url).status_code == 302


def test_a_published_change_to_a_lesson_is_shown_at_once(client, lesson):
    client.force_login(UserFactory())
    assert "Check the numbers" in client.get(lesson.url).content.decode()
    assert "Check the numbers" in client.get(lesson.url).content.decode()  # remembered
    lesson.title = "Check the sources"
    revision = lesson.save_revision()
    assert "Check the numbers" in client.get(lesson.url).content.decode()  # a draft only
    revision.publish()
    html = client.get(lesson.url).content.decode()
    assert "Check the sources" in html and "Check the numbers" not in html


def test_signed_in_pages_answer_from_the_database_while_redis_is_down(
    client,
    lesson,
    redis_server,  # noqa: F811
):
    me = UserFactory(first_name="Katherine", last_name="Johnson")
    client.force_login(me)  # the session is in the cache and the database
    assert _unread(_header(client, lesson.url)) == 0  # user, count and page cached too
    redis_server.kill()
    notification_send(user=me, kind="badge", message="A badge", url="/")
    header = _header(client, lesson.url)
    assert me.public_name in header and _unread(header) == 1
