"""Take back the first-finder ("pioneer") badges that the old rule gave wrongly.

Before commit 03721a7 the badge counted any test-case award, so people who never found a blind
spot first hold it. The badge now counts only awards of kind ``testcase.first_finder``; this
removes the badge from holders without such an award (their points are untouched: the ledger
was right, only the badge rule was wrong). Irreversible by design: the wrong awards are not
recreated.
"""

from django.db import migrations

FIRST_BLIND_SPOT = "first_blind_spot"
FIRST_FINDER_KIND = "testcase.first_finder"


def revoke(apps, schema_editor):
    BadgeAward = apps.get_model("leaderboard", "BadgeAward")
    PointsAward = apps.get_model("leaderboard", "PointsAward")
    finders = PointsAward.objects.filter(kind=FIRST_FINDER_KIND, amount__gt=0).values("user_id")
    BadgeAward.objects.filter(badge__criteria=FIRST_BLIND_SPOT).exclude(
        user_id__in=finders
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("leaderboard", "0007_aggregate_delta")]

    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
