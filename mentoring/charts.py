"""Pass rate per model version x guidance version as a server-side SVG bar chart.

Like home's charts: no JavaScript, every label escaped, a <title> and <desc> carrying the same
numbers as the table beside it (screen readers get the data, not a picture of it). Bars without
guidance are drawn hatched-grey, bars with guidance blue, so colour is not the only cue: each
bar is labelled with its percentage too.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 260
PAD_LEFT, PAD_BOTTOM, PAD_TOP, PAD_RIGHT = 44, 64, 20, 12
BEFORE, AFTER = "#6b7280", "#1f4e79"


def pass_rate_chart(runs) -> SafeString:
    """One bar per run (``run.percent`` 0..100), labelled ``model x guidance``."""
    if not runs:
        return mark_safe("")
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    step = plot_w / len(runs)
    summary = ", ".join(
        f"model {r.model_version} with guidance {r.guidance_label}: {r.percent}% "
        f"({r.passed}/{r.total})"
        for r in runs
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-labelledby="passrate-title passrate-desc" xmlns="http://www.w3.org/2000/svg">',
        '<title id="passrate-title">Eval pass rate before and after mentoring</title>',
        f'<desc id="passrate-desc">{escape(summary)}</desc>',
        f'<line x1="{PAD_LEFT}" y1="{PAD_TOP + plot_h}" x2="{WIDTH - PAD_RIGHT}" '
        f'y2="{PAD_TOP + plot_h}" stroke="#4a5562"/>',
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + 4}" text-anchor="end" font-size="11" '
        'fill="#4a5562">100%</text>',
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + plot_h}" text-anchor="end" font-size="11" '
        'fill="#4a5562">0%</text>',
    ]
    for index, run in enumerate(runs):
        height = plot_h * run.percent / 100
        x = PAD_LEFT + index * step
        y = PAD_TOP + plot_h - height
        colour = AFTER if run.guidance_version else BEFORE
        parts.append(
            f'<rect x="{x + step * 0.2:.1f}" y="{y:.1f}" width="{step * 0.6:.1f}" '
            f'height="{height:.1f}" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{x + step / 2:.1f}" y="{y - 4:.1f}" font-size="12" text-anchor="middle" '
            f'fill="#1b1f24">{run.percent}%</text>'
        )
        label = f"{run.model_version} \u00d7 {run.guidance_label}"
        parts.append(
            f'<text x="{x + step / 2:.1f}" y="{PAD_TOP + plot_h + 16}" font-size="11" '
            f'text-anchor="middle" fill="#1b1f24">{escape(label[:24])}</text>'
        )
    parts.append(
        f'<text x="{PAD_LEFT}" y="{HEIGHT - 12}" font-size="11" fill="#4a5562">'
        "grey: no guidance (before mentoring) · blue: with guidance (after)</text>"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
