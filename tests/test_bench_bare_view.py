"""The benchmark's bare reference view exists only when BENCH_BARE_VIEW turns it on."""

import importlib

import pytest
from django.urls import clear_url_caches

import config.urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def remount(settings):
    def mount():
        clear_url_caches()
        importlib.reload(config.urls)

    yield mount
    settings.BENCH_BARE_VIEW = False
    mount()


def test_bare_view_is_absent_by_default(client):
    assert client.get("/bench/bare/").status_code == 404


def test_bare_view_answers_without_the_database_when_enabled(
    client, settings, remount, django_assert_num_queries
):  # the fixture unmounts it again afterwards
    settings.BENCH_BARE_VIEW = True
    remount()
    with django_assert_num_queries(0):
        response = client.get("/bench/bare/")
    assert response.status_code == 200 and response.content == b"ok"
