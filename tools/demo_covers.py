"""Draws the demo cover images in demo/covers/ (committed; run again only to change them).

    .venv/bin/python tools/demo_covers.py

Flat, quiet illustrations: a palette per skill, soft background shapes placed by a generator
seeded with the page slug (the same picture on every run), and a motif for the skill. Drawn at
twice the size and scaled down for smooth edges, then reduced to a small palette to keep each
PNG small. alt.json beside them holds each picture's alt text; ``home.demo_covers`` loads both
into the Wagtail image library.
"""

import json
import random
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "demo" / "covers"
W, H = 960, 480
S = 2  # supersampling factor

# skill: (background, soft shape, strong, accent)
PALETTES = {
    "": ("#e8f0fa", "#cfe0f5", "#1f5fa8", "#f2a93b"),
    "critical-thinking": ("#eef2f7", "#d5deea", "#334e68", "#e0613a"),
    "prompt-engineering": ("#f3eefb", "#e0d5f5", "#5b3fa0", "#2fb39a"),
    "ethical-awareness": ("#e9f6f4", "#c8ece8", "#0f766e", "#f2a93b"),
    "data-literacy": ("#fdf4e6", "#f8e2bd", "#b7791f", "#1f5fa8"),
    "communication": ("#fdeef3", "#f9d2e2", "#9d174d", "#2f7d5b"),
    "context-awareness": ("#eaf5ee", "#cdeadb", "#2f7d5b", "#5b3fa0"),
    "problem-solving": ("#fff1e8", "#fde0cc", "#c2410c", "#1f5fa8"),
    "collaboration": ("#eef1fb", "#d6ddf5", "#1e3a8a", "#e0613a"),
    "adaptability": ("#f1f6e9", "#dcebc6", "#4d7c0f", "#9d174d"),
}

# (file stem, skill whose palette and motif it uses, alt text)
COVERS = [
    (
        "module-mentoring-ai",
        "",
        "Five linked circles in a loop: observe, correct, add context, test, reflect.",
    ),
    (
        "module-critical-thinking-ai-output",
        "critical-thinking",
        "A magnifying glass over lines of text, one line marked.",
    ),
    (
        "module-prompt-engineering-at-work",
        "prompt-engineering",
        "A chat bubble with a question being typed.",
    ),
    ("module-ethical-awareness-fair-safe", "ethical-awareness", "A pair of balanced scales."),
    ("module-data-literacy-numbers", "data-literacy", "A bar chart with one bar standing out."),
    ("module-communication-tone", "communication", "Two speech bubbles in conversation."),
    (
        "module-context-awareness-unwritten-rules",
        "context-awareness",
        "Stacked cards, the top one showing a hidden rule.",
    ),
    (
        "module-problem-solving-breaking-down",
        "problem-solving",
        "Blocks rising as steps towards a goal flag.",
    ),
    (
        "module-collaboration-peer-review",
        "collaboration",
        "Three overlapping circles, working together.",
    ),
    (
        "module-adaptability-changing-models",
        "adaptability",
        "Two curved arrows turning in a circle.",
    ),
    (
        "challenge-refund-policy-reply",
        "critical-thinking",
        "An AI reply with one sentence flagged for review.",
    ),
    (
        "challenge-screening-summary",
        "ethical-awareness",
        "A candidate summary with one line flagged.",
    ),
    (
        "challenge-compliance-data-request",
        "context-awareness",
        "A compliance answer with one passage flagged.",
    ),
    (
        "challenge-expense-policy-answer",
        "data-literacy",
        "An expenses answer with a figure flagged.",
    ),
    (
        "challenge-complaint-escalation",
        "communication",
        "A complaint reply with one sentence flagged.",
    ),
    (
        "challenge-prompt-launch-email",
        "prompt-engineering",
        "A launch e-mail with a promise flagged.",
    ),
]


def _background(d, rng, pal):
    bg, soft, _strong, accent = pal
    d.rectangle([0, 0, W * S, H * S], fill=bg)
    for _ in range(3):
        r = rng.randint(120, 260) * S
        x, y = rng.randint(-100, W + 100) * S, rng.randint(-100, H + 100) * S
        d.ellipse([x - r, y - r, x + r, y + r], fill=soft)
    for _ in range(14):
        x, y = rng.randint(20, W - 20) * S, rng.randint(20, H - 20) * S
        r = rng.choice([4, 6, 8]) * S
        d.ellipse([x - r, y - r, x + r, y + r], fill=soft if rng.random() < 0.7 else accent)


def _lines(d, x, y, w, n, colour, gap=34, mark=None, mark_colour=None):
    for i in range(n):
        length = w if i % 3 != 2 else int(w * 0.6)
        top = y + i * gap
        if mark == i:
            d.rounded_rectangle([x - 10, top - 10, x + length + 10, top + 22], 10, fill=mark_colour)
        d.rounded_rectangle([x, top, x + length, top + 12], 6, fill=colour)


def _motif(d, skill, pal, cx, cy):
    bg, soft, strong, accent = pal
    p = lambda *v: [a * S for a in v]  # noqa: E731
    if skill == "":
        import math

        pts = [
            (
                cx + 130 * math.cos(math.radians(-90 + 72 * i)),
                cy + 130 * math.sin(math.radians(-90 + 72 * i)),
            )
            for i in range(5)
        ]
        d.ellipse(p(cx - 130, cy - 130, cx + 130, cy + 130), outline=strong, width=10 * S)
        for i, (x, y) in enumerate(pts):
            d.ellipse(p(x - 38, y - 38, x + 38, y + 38), fill=accent if i == 0 else strong)
            d.ellipse(p(x - 16, y - 16, x + 16, y + 16), fill=bg)
    elif skill == "critical-thinking":
        d.rounded_rectangle(p(cx - 170, cy - 130, cx + 130, cy + 140), 22 * S, fill="#ffffff")
        _lines(
            d,
            (cx - 140) * S,
            (cy - 95) * S,
            240 * S,
            6,
            soft,
            gap=38 * S,
            mark=2,
            mark_colour=accent,
        )
        d.ellipse(p(cx + 20, cy - 20, cx + 160, cy + 120), outline=strong, width=16 * S)
        d.line(p(cx + 140, cy + 100, cx + 210, cy + 170), fill=strong, width=26 * S)
    elif skill == "prompt-engineering":
        d.rounded_rectangle(p(cx - 190, cy - 120, cx + 170, cy + 90), 40 * S, fill=strong)
        d.polygon(p(cx - 120, cy + 80, cx - 150, cy + 150, cx - 60, cy + 85), fill=strong)
        _lines(d, (cx - 140) * S, (cy - 70) * S, 200 * S, 3, soft, gap=44 * S)
        d.rectangle(p(cx + 90, cy + 10, cx + 100, cy + 50), fill=accent)
    elif skill == "ethical-awareness":
        d.line(p(cx, cy - 140, cx, cy + 120), fill=strong, width=14 * S)
        d.line(p(cx - 170, cy - 90, cx + 170, cy - 90), fill=strong, width=12 * S)
        d.rounded_rectangle(p(cx - 90, cy + 110, cx + 90, cy + 140), 12 * S, fill=strong)
        for sx in (-170, 170):
            d.line(p(cx + sx, cy - 90, cx + sx - 60, cy + 10), fill=strong, width=5 * S)
            d.line(p(cx + sx, cy - 90, cx + sx + 60, cy + 10), fill=strong, width=5 * S)
            d.chord(p(cx + sx - 75, cy - 40, cx + sx + 75, cy + 60), 0, 180, fill=accent)
        d.ellipse(p(cx - 22, cy - 162, cx + 22, cy - 118), fill=accent)
    elif skill == "data-literacy":
        heights = [90, 150, 120, 230, 170]
        for i, h in enumerate(heights):
            x = cx - 200 + i * 84
            d.rounded_rectangle(
                p(x, cy + 130 - h, x + 60, cy + 130), 10 * S, fill=accent if i == 3 else strong
            )
        d.line(p(cx - 220, cy + 136, cx + 220, cy + 136), fill=strong, width=8 * S)
    elif skill == "communication":
        d.rounded_rectangle(p(cx - 200, cy - 130, cx + 60, cy + 20), 36 * S, fill=strong)
        d.polygon(p(cx - 150, cy + 10, cx - 170, cy + 70, cx - 100, cy + 15), fill=strong)
        d.rounded_rectangle(p(cx - 40, cy - 10, cx + 200, cy + 130), 36 * S, fill=accent)
        d.polygon(p(cx + 140, cy + 120, cx + 170, cy + 180, cx + 100, cy + 125), fill=accent)
        _lines(d, (cx - 170) * S, (cy - 90) * S, 190 * S, 3, soft, gap=36 * S)
    elif skill == "context-awareness":
        for i, colour in enumerate([soft, accent, strong]):
            off = (2 - i) * 26
            d.rounded_rectangle(
                p(cx - 170 + off, cy - 130 + off, cx + 150 + off, cy + 110 + off),
                24 * S,
                fill=colour,
            )
        d.rounded_rectangle(p(cx - 170, cy - 130, cx + 150, cy + 110), 24 * S, fill="#ffffff")
        _lines(
            d,
            (cx - 130) * S,
            (cy - 90) * S,
            230 * S,
            5,
            soft,
            gap=38 * S,
            mark=1,
            mark_colour=accent,
        )
    elif skill == "problem-solving":
        for i in range(4):
            x = cx - 220 + i * 100
            h = 60 + i * 60
            d.rounded_rectangle(p(x, cy + 140 - h, x + 88, cy + 140), 12 * S, fill=strong)
        d.line(p(cx + 165, cy - 170, cx + 165, cy - 60), fill=strong, width=8 * S)
        d.polygon(p(cx + 169, cy - 170, cx + 240, cy - 148, cx + 169, cy - 126), fill=accent)
    elif skill == "collaboration":
        for dx, dy, colour in ((-80, -40, strong), (80, -40, accent), (0, 80, soft)):
            d.ellipse(
                p(cx + dx - 120, cy + dy - 120, cx + dx + 120, cy + dy + 120),
                outline=colour,
                width=18 * S,
            )
    elif skill == "adaptability":
        d.arc(p(cx - 150, cy - 150, cx + 150, cy + 150), 200, 340, fill=strong, width=22 * S)
        d.arc(p(cx - 150, cy - 150, cx + 150, cy + 150), 20, 160, fill=accent, width=22 * S)
        d.polygon(p(cx + 120, cy - 120, cx + 170, cy - 30, cx + 80, cy - 50), fill=strong)
        d.polygon(p(cx - 120, cy + 120, cx - 170, cy + 30, cx - 80, cy + 50), fill=accent)


def _challenge(d, pal, cx, cy):
    _bg, soft, strong, accent = pal
    p = lambda *v: [a * S for a in v]  # noqa: E731
    d.rounded_rectangle(p(cx - 220, cy - 160, cx + 220, cy + 160), 26 * S, fill="#ffffff")
    d.rounded_rectangle(p(cx - 220, cy - 160, cx + 220, cy - 110), 26 * S, fill=strong)
    d.rectangle(p(cx - 220, cy - 130, cx + 220, cy - 110), fill=strong)
    for i, x in enumerate((cx - 190, cx - 160, cx - 130)):
        d.ellipse(p(x - 9, cy - 144, x + 9, cy - 126), fill=soft if i else accent)
    _lines(
        d, (cx - 180) * S, (cy - 70) * S, 340 * S, 6, soft, gap=36 * S, mark=3, mark_colour=accent
    )
    # a flag on the marked line
    d.line(p(cx + 230, cy + 90, cx + 230, cy - 10), fill=strong, width=8 * S)
    d.polygon(p(cx + 234, cy - 10, cx + 300, cy + 10, cx + 234, cy + 30), fill=accent)


def draw(stem: str, skill: str) -> Image.Image:
    pal = PALETTES[skill]
    rng = random.Random(stem)  # noqa: S311 - a picture, not a secret
    img = Image.new("RGB", (W * S, H * S))
    d = ImageDraw.Draw(img)
    _background(d, rng, pal)
    if stem.startswith("challenge-"):
        _challenge(d, pal, W // 2 - 30, H // 2 + 10)
    else:
        _motif(d, skill, pal, W // 2, H // 2 + 10)
    img = img.resize((W, H), Image.Resampling.LANCZOS)
    return img.quantize(colors=48, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for stem, skill, _alt in COVERS:
        draw(stem, skill).save(OUT / f"{stem}.png", optimize=True)
    alt = {stem: text for stem, _skill, text in COVERS}
    (OUT / "alt.json").write_text(json.dumps(alt, indent=2) + "\n", "utf-8")
    print(f"{len(COVERS)} covers in {OUT}")


if __name__ == "__main__":
    main()
