"""The award kinds the site writes to the ledger, and how each reads to a person.

A badge that counts a kind (``Badge.KIND_COUNT``) must name one of these: a kind that no service
writes could never be earned. The services import the kinds that badge criteria read, so a
criterion and the award it counts cannot drift apart; tests/leaderboard/test_badge_audit.py
derives every badge from real service calls and checks every kind they write is listed here.
"""

BLIND_SPOT_KIND = "testcase.blind_spot"
# The first finder of a blind spot (per challenge and planted behaviour) gets a bonus of its own
# kind, so the first-finder badge counts these awards and needs no parsing of source keys.
FIRST_FINDER_KIND = "testcase.first_finder"

AWARD_KINDS = {
    "lesson.completed": "Lesson completed",
    "module.completed": "Module completed",
    "challenge.flags": "Flags on a challenge",
    "correction.reviewed": "Your correction was reviewed",
    "review.given": "Review given",
    "review.agreement": "Review agreed with the consensus",
    "context.approved": "Context note approved",
    # mentoring: a field report (or its test case) confirmed by the AI system's owners.
    "fieldreport.confirmed": "Field report confirmed",
    BLIND_SPOT_KIND: "Blind spot found",
    FIRST_FINDER_KIND: "First to find a blind spot",
    "reflection.upvoted": "Reflection upvoted",
    "kudos.received": "Kudos received",
    "manual": "Awarded by L&D",
}


def kind_label(kind: str) -> str:
    """How an award kind reads to a person ("challenge.flags" -> "Flags on a challenge"); a kind
    not listed (an old ledger row) still reads as words, never as a code."""
    return AWARD_KINDS.get(kind) or kind.replace(".", " ").replace("_", " ").capitalize()
