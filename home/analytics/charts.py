"""Server-side SVG charts with a text equivalent (no JavaScript, no CDN).

Every label is escaped; each chart carries a <title> and <desc>, and the page shows the same
numbers as a table, so screen-reader users get the data, not a picture of it.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 240
PAD_LEFT, PAD_BOTTOM, PAD_TOP, PAD_RIGHT = 48, 56, 16, 16
COLOUR = "#1f4e79"
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _number(value) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


# An 11 px label averages under 6.5 px a character; a label gets the width of its slot.
CHAR_WIDTH = 6.5
ROTATED_CHARS = 11  # what fits along the diagonal in PAD_BOTTOM


def _svg_open(chart_id: str, title: str, labels, numbers, *, width: int, height: int) -> list[str]:
    """The chart's opening tag with its accessible title and a text summary of every value."""
    summary = ", ".join(f"{label}: {_fmt(v)}" for label, v in zip(labels, numbers, strict=False))
    return [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary) or "No data."}</desc>',
    ]


def _axis_label(label: str, *, x: float, y: float, room: float) -> str:
    """One x-axis label that never runs into its neighbours: cut to the width of its slot (or,
    when the slots are too narrow for six characters, turned 40 degrees), with the full text as
    a <title> tooltip whenever it was cut."""
    label = str(label)
    fits = int(room // CHAR_WIDTH) - 1
    rotate = fits < 6
    limit = ROTATED_CHARS if rotate else fits
    short = label if len(label) <= limit else label[: max(limit - 1, 1)].rstrip() + "…"
    tooltip = f"<title>{escape(label)}</title>" if short != label else ""
    if rotate:
        return (
            f'<text x="{x:.1f}" y="{y + 12}" font-size="11" text-anchor="end" fill="#1b1f24" '
            f'transform="rotate(-40 {x:.1f} {y + 12})">{tooltip}{escape(short)}</text>'
        )
    return (
        f'<text x="{x:.1f}" y="{y + 16}" font-size="11" text-anchor="middle" '
        f'fill="#1b1f24">{tooltip}{escape(short)}</text>'
    )


def svg_chart(
    *, labels: list[str], values: list, title: str, kind: str = "bar", chart_id: str = "chart"
) -> SafeString:
    """A bar or line chart of ``values`` against ``labels``."""
    numbers = [_number(v) for v in values]
    top = max([*numbers, 0.0]) or 1.0
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    count = max(len(numbers), 1)
    step = plot_w / count
    parts = [
        *_svg_open(chart_id, title, labels, numbers, width=WIDTH, height=HEIGHT),
        f'<line x1="{PAD_LEFT}" y1="{PAD_TOP + plot_h}" x2="{WIDTH - PAD_RIGHT}" '
        f'y2="{PAD_TOP + plot_h}" stroke="#4a5562"/>',
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + 4}" text-anchor="end" font-size="11" '
        f'fill="#4a5562">{_fmt(top)}</text>',
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + plot_h}" text-anchor="end" font-size="11" '
        f'fill="#4a5562">0</text>',
    ]
    points = []
    for index, (label, value) in enumerate(zip(labels, numbers, strict=False)):
        height = plot_h * value / top
        x = PAD_LEFT + index * step
        y = PAD_TOP + plot_h - height
        if kind == "line":
            points.append(f"{x + step / 2:.1f},{y:.1f}")
            parts.append(f'<circle cx="{x + step / 2:.1f}" cy="{y:.1f}" r="3" fill="{COLOUR}"/>')
        else:
            parts.append(
                f'<rect x="{x + step * 0.15:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" '
                f'height="{height:.1f}" fill="{COLOUR}"/>'
            )
        stride = 1 if count <= 16 else max(count // 12, 1)
        if index % stride == 0:
            parts.append(_axis_label(label, x=x + step / 2, y=PAD_TOP + plot_h, room=step * stride))
    if kind == "line" and points:
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="{COLOUR}" '
            f'stroke-width="2"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above


SERIES_STYLES = [("#1f4e79", ""), ("#8a3b00", "6 4"), ("#1e6b35", "2 3")]


def svg_lines(
    *,
    labels: list[str],
    series: list[tuple[str, list]],
    title: str,
    chart_id: str,
    y_max: float | None = None,
    percent: bool = False,
) -> SafeString:
    """Several lines over the same labels, told apart by colour *and* dash (not colour alone)."""
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    numbers = [[_number(v) for v in values] for _, values in series]
    top = y_max or max([v for values in numbers for v in values] + [0.0]) or 1.0
    count = max(len(labels), 1)
    step = plot_w / count

    def show(v: float) -> str:
        return f"{v * 100:.0f}%" if percent else _fmt(v)

    summary = "; ".join(
        f"{name}: "
        + ", ".join(f"{label} {show(v)}" for label, v in zip(labels, values, strict=False))
        for (name, _), values in zip(series, numbers, strict=False)
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT + 20}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary) or "No data."}</desc>',
        f'<line x1="{PAD_LEFT}" y1="{PAD_TOP + plot_h}" x2="{WIDTH - PAD_RIGHT}" '
        f'y2="{PAD_TOP + plot_h}" stroke="#4a5562"/>',
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + 4}" text-anchor="end" font-size="11" '
        f'fill="#4a5562">{show(top)}</text>',
    ]
    stride = 1 if count <= 12 else max(count // 10, 1)
    for index, label in enumerate(labels):
        if index % stride == 0:
            x = PAD_LEFT + index * step + step / 2
            parts.append(_axis_label(label, x=x, y=PAD_TOP + plot_h, room=step * stride))
    for s_index, ((name, _), values) in enumerate(zip(series, numbers, strict=False)):
        colour, dash = SERIES_STYLES[s_index % len(SERIES_STYLES)]
        points = []
        for index, value in enumerate(values):
            x = PAD_LEFT + index * step + step / 2
            y = PAD_TOP + plot_h - plot_h * min(value, top) / top
            points.append(f"{x:.1f},{y:.1f}")
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
        if points:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                f'stroke-width="2"{dash_attr}/>'
            )
        lx = PAD_LEFT + s_index * 160
        ly = HEIGHT + 8
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx}" y1="{ly}" x2="{lx + 24}" y2="{ly}" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/>'
            f'<text x="{lx + 30}" y="{ly + 4}" font-size="12" fill="#1b1f24">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above


def svg_hbars(
    *, labels: list[str], values: list, colours: list[str], title: str, chart_id: str
) -> SafeString:
    """Horizontal bars (one per label), e.g. points per skill; colours are hex strings."""
    numbers = [_number(v) for v in values]
    top = max([*numbers, 0.0]) or 1.0
    row_h, label_w, width = 26, 170, WIDTH
    height = row_h * max(len(labels), 1) + 8
    parts = _svg_open(chart_id, title, labels, numbers, width=width, height=height)
    for index, (label, value) in enumerate(zip(labels, numbers, strict=False)):
        y = 4 + index * row_h
        bar_w = (width - label_w - 60) * value / top
        colour = (
            colours[index] if index < len(colours) and HEX.match(colours[index] or "") else COLOUR
        )
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="12" '
            f'fill="#1b1f24">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w:.1f}" height="{row_h - 8}" '
            f'fill="{colour}"/>'
            f'<text x="{label_w + bar_w + 6:.1f}" y="{y + 16}" font-size="12" '
            f'fill="#1b1f24">{_fmt(value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
