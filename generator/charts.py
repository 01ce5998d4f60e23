"""SVG charts of the case library, drawn at build time: no script, no external service, printable.

The references advise ranking actions by how often a complaint occurs, hence the Pareto chart:
bars by frequency, highest first, with the cumulative share as a line.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup

from .catalogue import text

BAR_HEIGHT = 22
LABEL_WIDTH = 150
PLOT_WIDTH = 360
RIGHT_MARGIN = 60
TOP = 28


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    cumulative_share: float  # 0..1, in the order of the bars


def ranked(counts: Counter, order: tuple[str, ...] | None = None) -> list[Bar]:
    """Bars highest first (ties by label), or in a fixed order when one is given (e.g. severity)."""
    if order is None:
        items = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    else:
        items = [(label, counts.get(label, 0)) for label in order]
    total = sum(count for _, count in items) or 1
    bars, running = [], 0
    for label, count in items:
        running += count
        bars.append(Bar(label, count, running / total))
    return bars


def bar_chart(title: str, bars: list[Bar], pareto: bool = False) -> Markup:
    """A horizontal bar chart; with pareto, a cumulative-share line and an 80% guide on top."""
    height = TOP + BAR_HEIGHT * len(bars) + 24
    width = LABEL_WIDTH + PLOT_WIDTH + RIGHT_MARGIN
    peak = max((bar.count for bar in bars), default=0) or 1
    parts = [Markup('<svg class="kesu-chart" role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
                    'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>').format(w=width, h=height, t=title)]
    for index, bar in enumerate(bars):
        y = TOP + index * BAR_HEIGHT
        length = round(PLOT_WIDTH * bar.count / peak, 1)
        parts.append(Markup(
            '<g class="kesu-bar"><text x="{lx}" y="{ty}" text-anchor="end">{label}</text>'
            '<rect x="{x}" y="{ry}" width="{len}" height="{bh}"><title>{label}：{count}</title></rect>'
            '<text class="kesu-count" x="{cx}" y="{ty}">{count}</text></g>').format(
            lx=LABEL_WIDTH - 6, ty=y + BAR_HEIGHT * 0.68, label=bar.label, x=LABEL_WIDTH, ry=y + 3, len=length,
            bh=BAR_HEIGHT - 6, count=bar.count, cx=LABEL_WIDTH + length + 4))
    if pareto and bars:
        points = " ".join(f"{LABEL_WIDTH + round(PLOT_WIDTH * bar.cumulative_share, 1)},{TOP + i * BAR_HEIGHT + BAR_HEIGHT / 2}"
                          for i, bar in enumerate(bars))
        guide = LABEL_WIDTH + PLOT_WIDTH * 0.8
        parts.append(Markup(
            '<polyline class="kesu-cumulative" points="{p}" fill="none"><title>{cumulative}</title></polyline>'
            '<line class="kesu-guide" x1="{g}" x2="{g}" y1="{t}" y2="{b}"/>'
            '<text class="kesu-axis" x="{g}" y="{ty}" text-anchor="middle">{guide_label}</text>').format(
            p=points, g=guide, t=TOP - 4, b=height - 20, ty=TOP - 10, cumulative=text("chart.cumulative"),
            guide_label=text("chart.guide")))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def data_table(heading: str, bars: list[Bar], pareto: bool = False) -> Markup:
    """The same numbers as a table: readable by screen readers, in print and without SVG."""
    head = Markup("<tr><th>{}</th><th>{}</th>{}</tr>").format(
        heading, text("chart.cases"), Markup("<th>{}</th>").format(text("chart.cumulative")) if pareto else "")
    rows = [Markup("<tr><td>{}</td><td>{}</td>{}</tr>").format(
        bar.label, bar.count, Markup("<td>{:.0%}</td>").format(bar.cumulative_share) if pareto else "")
        for bar in bars]
    return Markup('<table class="kesu-chart-data"><thead>{}</thead><tbody>{}</tbody></table>').format(
        head, Markup("").join(rows))


