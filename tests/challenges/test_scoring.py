"""The flag matcher and scoring rules, on plain values (plus property-based tests)."""

from hypothesis import given
from hypothesis import strategies as st

from challenges import scoring
from challenges.scoring import FlagIn, FlawIn, Span

TEXT = (
    "Thank you for contacting us. You can return any item within 90 days. "
    "Customers like you forget receipts. Have a nice day."
)
REFUND = Span(TEXT.index("within 90 days"), TEXT.index("within 90 days") + len("within 90 days"))
TONE = Span(TEXT.index("Customers"), TEXT.index("receipts.") + len("receipts."))
FLAWS = [FlawIn(1, REFUND, category=10, weight=3), FlawIn(2, TONE, category=20, weight=1)]


def sentence_of(span: Span) -> Span:
    return scoring.sentence_cover(span, scoring.sentences(TEXT))


def test_sentences_have_exact_offsets():
    spans = scoring.sentences(TEXT)
    assert [TEXT[s.start : s.end] for s in spans] == [
        "Thank you for contacting us.",
        "You can return any item within 90 days.",
        "Customers like you forget receipts.",
        "Have a nice day.",
    ]


def test_flagging_exactly_the_answer_key_scores_full_marks():
    result = scoring.score_flags([FlagIn(REFUND, 10), FlagIn(TONE, 20)], FLAWS, TEXT)
    assert result.score == 1.0
    assert result.recall == 1.0 and result.precision == 1.0


def test_a_whole_sentence_finds_the_flaw_inside_it():
    result = scoring.score_flags([FlagIn(sentence_of(REFUND), 10)], FLAWS, TEXT)
    assert result.matches[0].flaw_key == 1
    assert result.recall == 0.75  # severity 3 of 4


def test_right_passage_wrong_category_earns_partial_credit():
    result = scoring.score_flags([FlagIn(REFUND, 20), FlagIn(TONE, 20)], FLAWS, TEXT)
    assert result.matches[0].credit == scoring.WRONG_CATEGORY_CREDIT
    assert result.recall == (3 * 0.5 + 1) / 4


def test_selecting_the_whole_output_does_not_find_every_flaw():
    result = scoring.score_flags([FlagIn(Span(0, len(TEXT)), 10)], FLAWS, TEXT)
    assert result.matches == []
    assert result.score == 0


def test_a_false_flag_lowers_the_score():
    first_sentence = scoring.sentences(TEXT)[0]
    clean = scoring.score_flags([FlagIn(REFUND, 10)], FLAWS, TEXT)
    noisy = scoring.score_flags([FlagIn(REFUND, 10), FlagIn(first_sentence, 10)], FLAWS, TEXT)
    assert noisy.false_flags == 1
    assert noisy.score == clean.score - scoring.FALSE_FLAG_PENALTY


def test_one_flaw_is_found_at_most_once():
    half = Span(REFUND.start, REFUND.start + len(REFUND) // 2 + 2)
    result = scoring.score_flags([FlagIn(REFUND, 10), FlagIn(half, 10)], FLAWS, TEXT)
    assert len(result.matches) == 1
    assert result.false_flags == 1


def test_overlapping_pairs_are_reported():
    assert scoring.overlapping_pairs([Span(0, 10), Span(20, 30), Span(5, 12)]) == [(0, 2)]
    assert scoring.overlapping_pairs([Span(0, 10), Span(10, 12)]) == []


def test_consensus_is_the_median_and_agreement_has_a_tolerance():
    rows = [[5, 5, 4, 4], [4, 5, 4, 3], [1, 1, 1, 1]]
    agreed = scoring.consensus(rows)
    assert agreed == [4, 5, 4, 3]
    assert scoring.agrees_with([5, 5, 4, 4], agreed)
    assert not scoring.agrees_with([1, 1, 1, 1], agreed)


def test_correction_points_scale_from_one_to_five():
    assert scoring.correction_points(1, 100) == 0
    assert scoring.correction_points(3, 100) == 50
    assert scoring.correction_points(5, 100) == 100


spans = st.builds(
    lambda a, b: Span(min(a, b), max(a, b) + 1),
    st.integers(0, len(TEXT) - 1),
    st.integers(0, len(TEXT) - 1),
).filter(lambda s: s.end <= len(TEXT))
flags = st.lists(st.builds(FlagIn, spans, st.sampled_from([10, 20, 30])), max_size=8)


@given(flags)
def test_score_is_always_between_zero_and_one(chosen):
    result = scoring.score_flags(chosen, FLAWS, TEXT)
    assert 0 <= result.score <= 1
    assert 0 <= result.recall <= 1
    assert len(result.matches) <= min(len(chosen), len(FLAWS))


@given(flags, spans)
def test_adding_a_flag_never_raises_the_score_unless_it_finds_a_new_flaw(chosen, extra):
    before = scoring.score_flags(chosen, FLAWS, TEXT)
    after = scoring.score_flags([*chosen, FlagIn(extra, 30)], FLAWS, TEXT)
    if len(after.matches) == len(before.matches):
        assert after.score <= before.score


@given(st.lists(st.sampled_from([0, 1]), min_size=0, max_size=2, unique=True))
def test_finding_more_flaws_correctly_never_lowers_the_score(indices):
    exact = [FlagIn(REFUND, 10), FlagIn(TONE, 20)]
    subset = scoring.score_flags([exact[i] for i in indices], FLAWS, TEXT)
    full = scoring.score_flags(exact, FLAWS, TEXT)
    assert full.score >= subset.score


@given(st.text(alphabet="ab .!?\n", max_size=80))
def test_sentences_never_overlap_and_stay_in_range(text):
    spans_found = scoring.sentences(text)
    for span in spans_found:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end].strip() == text[span.start : span.end]
    assert scoring.overlapping_pairs(spans_found) == []
