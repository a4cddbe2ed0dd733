"""The dashboard's recent-activity times (``home.selectors.natural_time``) say exactly what
``naturaltime`` says, in the active language, with each phrase translated once per process."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.humanize.templatetags import humanize
from django.utils import translation

from home.selectors import natural_time

NOW = dt.datetime(2026, 3, 31, 10, 30, 15, 250_000, tzinfo=dt.UTC)
SECONDS = [0, 1, 59, 60, 61, 119, 3599, 3600, 3601, 7199, 86399, 86400, 86401, 90000]
SECONDS += [6 * 86400 + 3599, 7 * 86400, 8 * 86400 + 7200, 27 * 86400, 31 * 86400, 45 * 86400]
SECONDS += [59 * 86400 + 1, 366 * 86400, 400 * 86400 + 5000, 800 * 86400, 3 * 365 * 86400]
DELTAS = [dt.timedelta(seconds=s) for s in SECONDS]
DELTAS += [dt.timedelta(seconds=s, microseconds=400_000) for s in SECONDS]
DELTAS += [NOW - dt.datetime(2026, 1, 31, 10, 30, 15, tzinfo=dt.UTC)]  # a clamped month


class _Fixed(dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return NOW if tz is not None else NOW.replace(tzinfo=None)


@pytest.mark.parametrize("language", ["en-gb", "fr", "de"])
def test_natural_time_says_what_naturaltime_says(language):
    with translation.override(language), mock.patch.object(humanize, "datetime", _Fixed):
        for delta in DELTAS:
            value = NOW - delta
            expected = humanize.naturaltime(value)
            assert natural_time(value, NOW) == expected, delta
            assert natural_time(value, NOW) == expected, delta  # remembered: the same
        # The future and naive values are naturaltime's own.
        later = NOW + dt.timedelta(minutes=5)
        assert natural_time(later, NOW) == humanize.naturaltime(later)


def test_each_language_has_its_own_phrases():
    value = NOW - dt.timedelta(minutes=5)
    with translation.override("en-gb"):
        english = natural_time(value, NOW)
    with translation.override("fr"):
        french = natural_time(value, NOW)
    assert english == "5\xa0minutes ago"
    assert french != english


def test_recent_items_escape_and_follow_each_rows_fields():
    from home.selectors import _Award, recent_items

    when = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    first = recent_items([_Award(1, 5, "manual", "<b>bold</b> & co", when)])
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in first and "<b>" not in first
    assert "+5</strong>" in first and "5\xa0minutes ago" in first
    # Another row with the same time but other fields is drawn anew, never the first's item.
    second = recent_items([_Award(1, -3, "manual", "Taken back", when)])
    assert "-3</strong> Taken back" in second and "bold" not in second
    again = recent_items([_Award(1, 5, "manual", "<b>bold</b> & co", when)])
    assert again == first
