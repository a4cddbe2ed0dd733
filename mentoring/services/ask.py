"""Asking an AI system, with a guidance pack in force (the published one unless told otherwise).

The pack reaches the AI two ways: its rules are appended to the system prompt, and the gold
pairs most relevant to the incoming prompt go in as few-shot turns (PostgreSQL full-text search
on PostgreSQL, the sample provider's bag-of-words similarity elsewhere). The sample stand-in
also learns the pack's topics, which switch its scripted behaviours to their fixed answers.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection

from mentoring.ai import AIResult, get_provider
from mentoring.ai.sample import similarity
from mentoring.models import AISystem, GuidanceExample, GuidancePack

PUBLISHED = "published"
EXAMPLES_PER_PROMPT = 3
_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class Asked:
    """An answer plus what of the guidance shaped it (source keys, for attribution)."""

    result: AIResult
    pack: GuidancePack | None
    used: list[str] = field(default_factory=list)


def published_pack(system: AISystem) -> GuidancePack | None:
    return system.packs.order_by("-version").first()


def pack_for(system: AISystem, guidance) -> GuidancePack | None:
    """``PUBLISHED`` (the latest version), a version number, or None (no guidance)."""
    if guidance is None:
        return None
    if guidance == PUBLISHED:
        return published_pack(system)
    return system.packs.get(version=int(guidance))


def examples_for(pack: GuidancePack, prompt: str, *, limit: int = EXAMPLES_PER_PROMPT):
    """The pack's few-shot pairs most relevant to ``prompt`` (none that share no word)."""
    if connection.vendor == "postgresql":
        words = sorted(set(_WORD.findall(prompt.lower())))[:64]
        if not words:
            return []
        # Each word is [a-z0-9]+, so the raw tsquery cannot be malformed; OR ranks by overlap.
        query = SearchQuery(" | ".join(words), search_type="raw", config="english")
        vector = SearchVector("prompt", weight="A", config="english") + SearchVector(
            "answer", weight="B", config="english"
        )
        return list(
            GuidanceExample.objects.filter(pack=pack)
            .annotate(rank=SearchRank(vector, query))
            .filter(rank__gt=0)
            .order_by("-rank", "pk")[:limit]
        )
    scored = [(similarity(prompt, ex.prompt + " " + ex.answer), ex) for ex in pack.examples.all()]
    scored = [(score, ex) for score, ex in scored if score > 0]
    scored.sort(key=lambda pair: (-pair[0], pair[1].pk))
    return [ex for _, ex in scored[:limit]]


def system_prompt_for(system: AISystem, pack: GuidancePack | None, extra: str = "") -> str:
    """The base prompt, any extra scenario text, then the pack's rules."""
    parts = [p for p in (system.system_prompt.strip(), extra.strip()) if p]
    if pack is not None:
        rules = list(pack.rules.all())
        if rules:
            lines = [f"Guidance v{pack.version} from the people who use this system:"]
            lines += [f"- [{rule.topic}] {rule.text}" for rule in rules]
            parts.append("\n".join(lines))
    return "\n\n".join(parts)


def system_ask(
    *,
    system: AISystem,
    prompt: str,
    guidance=PUBLISHED,
    challenge=None,
    extra_system: str = "",
) -> Asked:
    """Ask the system ``prompt`` with ``guidance`` in force. Raises AIUnavailable.

    With a ``challenge`` the sample stand-in also knows the challenge's scripted behaviours.
    """
    pack = pack_for(system, guidance)
    context = {"system": system_prompt_for(system, pack, extra_system)}
    used: list[str] = []
    if system.provider == AISystem.SAMPLE:
        provider = get_provider("sample")
        behaviours = list(challenge.behaviours.all()) if challenge is not None else []
        behaviours += list(system.behaviours.all())
        context["behaviours"] = behaviours
        context["model"] = f"sample stand-in ({system.model_version})"
        rules = list(pack.rules.all()) if pack is not None else []
        context["topics"] = [rule.topic for rule in rules]
        result = provider.generate(prompt, context)
        fixed = set(result.fixed_by)
        used = [rule.source_key for rule in rules if rule.topic.lower() in fixed]
        return Asked(result=result, pack=pack, used=used)
    provider = get_provider(
        "openai", base_url=system.base_url, model=system.model, api_key=system.api_key()
    )
    if pack is not None:
        examples = examples_for(pack, prompt)
        context["examples"] = [(ex.prompt, ex.answer) for ex in examples]
        used = [rule.source_key for rule in pack.rules.all()] + [ex.source_key for ex in examples]
    return Asked(result=provider.generate(prompt, context), pack=pack, used=used)
