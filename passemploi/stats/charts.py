"""Accessible line charts drawn on the server as SVG (no script): the SVG has a title and a
description (the text summary); the page puts the data table beside it."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

COLOURS = ["#000091", "#c9191e", "#18753c", "#b34000", "#6a6af4", "#7f7f7f"]
WIDTH, PLOT_HEIGHT = 720, 200
LEFT, RIGHT, TOP = 56, 16, 16


def _number(value) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _label(value, percent: bool) -> str:
    if percent:
        return f"{value * 100:.0f} %"
    return f"{value:,.0f}".replace(",", " ")


def line_chart(chart_id: str, title: str, summary: str, weeks, series, percent=False):
    """`series`: [(label, values)] with one value per week; hidden (< 10) values leave a gap."""
    numbers = [_number(v) for _, values in series for v in values]
    top = max([n for n in numbers if n is not None] or [0])
    top = 1 if percent else max(top, 10)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, PLOT_HEIGHT
    # One legend line per series under the axis labels.
    height = TOP + plot_h + 32 + 18 * len(series)
    step = plot_w / max(len(weeks) - 1, 1)

    def x(i):
        return LEFT + i * step

    def y(v):
        return TOP + plot_h - (v / top) * plot_h

    grid = []
    for k in range(5):
        value = top * k / 4
        grid.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#dddddd"/>'
                '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#3a3a3a">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                round(y(value), 1),
                round(y(value), 1),
                LEFT - 6,
                round(y(value) + 4, 1),
                _label(value, percent),
            )
        )
    ticks = []
    for i in range(0, len(weeks), 8):
        ticks.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#3a3a3a">{}</text>',
                round(x(i), 1),
                TOP + plot_h + 16,
                weeks[i].strftime("%d/%m/%y"),
            )
        )
    lines = []
    legend = []
    for n, (label, values) in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        segments, current = [], []
        for i, value in enumerate(values):
            number = _number(value)
            if number is None:
                if current:
                    segments.append(current)
                current = []
                continue
            current.append(f"{x(i):.1f},{y(number):.1f}")
        if current:
            segments.append(current)
        for points in segments:
            lines.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                    " ".join(points),
                    colour,
                )
            )
        lx = LEFT
        ly = TOP + plot_h + 40 + 18 * n
        legend.append(
            format_html(
                '<rect x="{}" y="{}" width="14" height="4" fill="{}"/>'
                '<text x="{}" y="{}" font-size="12" fill="#161616">{}</text>',
                lx,
                ly - 4,
                colour,
                lx + 20,
                ly,
                label,
            )
        )
    body = mark_safe("".join(grid + ticks + lines + legend))  # noqa: S308 - built with format_html
    return format_html(
        '<svg class="stats-chart" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        title,
        chart_id,
        summary,
        body,
    )


def bar_chart(chart_id: str, title: str, summary: str, bars):
    """Horizontal bars: [(label, value)]; hidden values show their "< 10" text only."""
    height = 24 * len(bars) + 16
    top = max([_number(v) or 0 for _, v in bars] or [0]) or 1
    items = format_html_join(
        "",
        '<text x="0" y="{}" font-size="12" fill="#161616">{}</text>'
        '<rect x="230" y="{}" width="{}" height="14" fill="#000091"/>'
        '<text x="{}" y="{}" font-size="12" fill="#161616">{}</text>',
        (
            (
                24 * i + 20,
                label,
                24 * i + 9,
                round(400 * (_number(v) or 0) / top, 1),
                236 + round(400 * (_number(v) or 0) / top, 1),
                24 * i + 20,
                v,
            )
            for i, (label, v) in enumerate(bars)
        ),
    )
    return format_html(
        '<svg class="stats-chart" viewBox="0 0 720 {}" role="img" '
        'aria-labelledby="{}-title" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        height,
        chart_id,
        chart_id,
        title,
        chart_id,
        summary,
        items,
    )


def summarise(label: str, weeks, values, percent=False) -> str:
    """A sentence for screen readers and readers of the text version."""
    known = [(w, v) for w, v in zip(weeks, values, strict=True) if _number(v) is not None]
    if not known:
        return f"{label} : effectifs trop faibles pour être publiés sur la période."
    first, last = known[0], known[-1]
    best = max(known, key=lambda item: item[1])
    return (
        f"{label} : {_label(first[1], percent)} la semaine du {first[0]:%d/%m/%Y}, "
        f"{_label(last[1], percent)} la semaine du {last[0]:%d/%m/%Y} ; maximum "
        f"{_label(best[1], percent)} la semaine du {best[0]:%d/%m/%Y}."
    )
