"""Pure scoring rules: sentences of an output, the flag matcher, Observe scores, consensus.

No database access here, so the rules can be unit- and property-tested on plain values.
"""

import re
import statistics
from dataclasses import dataclass

# A flag must cover at least this share of a flaw's passage to count as finding it...
MIN_FLAW_COVERAGE = 0.5
# ...and at least this share of the flag must lie in the sentences the flaw sits in, so that
# selecting the whole output does not "find" every flaw.
MIN_FLAG_PRECISION = 0.5
WRONG_CATEGORY_CREDIT = 0.5
FALSE_FLAG_PENALTY = 0.15
# A reviewer agrees with the consensus when their scores are, on average, this close to it.
AGREEMENT_TOLERANCE = 0.75

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"')\]])\s+|\n+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def __len__(self) -> int:
        return max(0, self.end - self.start)

    def overlap(self, other: "Span") -> int:
        return max(0, min(self.end, other.end) - max(self.start, other.start))


@dataclass(frozen=True)
class FlagIn:
    """A flag as the matcher sees it."""

    span: Span
    category: int


@dataclass(frozen=True)
class FlawIn:
    """An answer-key flaw as the matcher sees it."""

    key: int
    span: Span
    category: int
    weight: int = 1


@dataclass(frozen=True)
class Match:
    flag_index: int
    flaw_key: int
    credit: float


@dataclass(frozen=True)
class ObserveScore:
    matches: list[Match]
    recall: float
    precision: float
    false_flags: int
    score: float

    def points(self, maximum: int) -> int:
        return round(maximum * self.score)


def sentences(text: str) -> list[Span]:
    """Split ``text`` into sentence spans (character offsets, surrounding spaces excluded)."""
    spans = []
    position = 0
    for boundary in [*_SENTENCE_END.finditer(text), None]:
        end = boundary.start() if boundary else len(text)
        chunk = text[position:end]
        start = position + (len(chunk) - len(chunk.lstrip()))
        stop = position + len(chunk.rstrip())
        if stop > start:
            spans.append(Span(start, stop))
        if boundary is not None:
            position = boundary.end()
    return spans


def sentence_cover(span: Span, all_sentences: list[Span]) -> Span:
    """The smallest run of whole sentences containing ``span``."""
    touching = [s for s in all_sentences if s.overlap(span) > 0]
    if not touching:
        return span
    return Span(min(s.start for s in touching), max(s.end for s in touching))


def flag_matches_flaw(flag: Span, flaw: Span, flaw_sentences: Span) -> bool:
    """Whether a flag substantially overlaps a flaw (see MIN_FLAW_COVERAGE/MIN_FLAG_PRECISION)."""
    if not len(flag) or not len(flaw):
        return False
    coverage = flag.overlap(flaw) / len(flaw)
    inside = flag.overlap(flaw_sentences) / len(flag)
    return coverage >= MIN_FLAW_COVERAGE and inside >= MIN_FLAG_PRECISION


def score_flags(flags: list[FlagIn], flaws: list[FlawIn], text: str) -> ObserveScore:
    """Score an employee's flags against the answer key.

    Each flaw is found by at most one flag (the best-overlapping one, preferring the right
    category). Recall is the severity-weighted credit of the flaws found; every flag that finds
    no flaw costs FALSE_FLAG_PENALTY. The score is clamped to 0..1.
    """
    all_sentences = sentences(text)
    candidates = []
    for i, flag in enumerate(flags):
        for flaw in flaws:
            cover = sentence_cover(flaw.span, all_sentences)
            if flag_matches_flaw(flag.span, flaw.span, cover):
                credit = 1.0 if flag.category == flaw.category else WRONG_CATEGORY_CREDIT
                candidates.append((credit, flag.span.overlap(flaw.span), i, flaw))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3].key))
    used_flags: set[int] = set()
    used_flaws: set[int] = set()
    matches = []
    for credit, _overlap, i, flaw in candidates:
        if i in used_flags or flaw.key in used_flaws:
            continue
        used_flags.add(i)
        used_flaws.add(flaw.key)
        matches.append(Match(flag_index=i, flaw_key=flaw.key, credit=credit))
    total_weight = sum(f.weight for f in flaws)
    weights = {f.key: f.weight for f in flaws}
    found = sum(m.credit * weights[m.flaw_key] for m in matches)
    recall = found / total_weight if total_weight else 0.0
    false_flags = len(flags) - len(matches)
    precision = len(matches) / len(flags) if flags else 0.0
    score = min(1.0, max(0.0, recall - FALSE_FLAG_PENALTY * false_flags))
    return ObserveScore(
        matches=sorted(matches, key=lambda m: m.flag_index),
        recall=recall,
        precision=precision,
        false_flags=false_flags,
        score=score,
    )


def overlapping_pairs(spans: list[Span]) -> list[tuple[int, int]]:
    """Index pairs of spans that overlap each other (flags may not)."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i].start, spans[i].end))
    pairs = []
    for a_pos, a in enumerate(order):
        for b in order[a_pos + 1 :]:
            if spans[b].start >= spans[a].end:
                break
            pairs.append((a, b))
    return pairs


def consensus(score_rows: list[list[int]]) -> list[float]:
    """Per-criterion median of the reviewers' scores (robust to one outlier)."""
    return [float(statistics.median(column)) for column in zip(*score_rows, strict=True)]


def agrees_with(scores: list[int], consensus_scores: list[float]) -> bool:
    """A reviewer agrees when their mean distance from the consensus is within tolerance."""
    distance = sum(abs(s - c) for s, c in zip(scores, consensus_scores, strict=True)) / len(scores)
    return distance <= AGREEMENT_TOLERANCE


def correction_points(mean_score: float, maximum: int) -> int:
    """Points for a correction: 1/5 of the rubric earns nothing, 5/5 earns ``maximum``."""
    return round(maximum * max(0.0, (mean_score - 1) / 4))
