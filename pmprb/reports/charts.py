"""Inline SVG charts for reports: no JavaScript, no external assets.

Each function returns a :class:`markupsafe.Markup` ``<svg>`` element that a
template can insert as is (``{{ chart }}``); every text in it is escaped
here. Output is deterministic (fixed number formatting, no random ids) so
reports can be snapshot-tested. Series differ in dash pattern and marker as
well as colour, so a chart stays readable when printed in black and white.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from markupsafe import Markup, escape

from pmprb.numbers import format_number

# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4", "3 6")
MARKERS = ("circle", "square", "diamond", "triangle")

TEXT = "#222"
MUTED = "#666"
GRID = "#d9d9d9"
TRACK = "#e8eef4"
BAR = "#0072B2"
OVER = "#D55E00"
FONT = "font-family:'DejaVu Sans',Arial,Helvetica,sans-serif"

CHAR_WIDTH = 6.6   # average glyph width in px at 12 px, for layout estimates


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: ``value`` out of ``maximum`` (e.g. an area score of its weight)."""
    label: str
    value: float | None
    maximum: float
    hint: str = ""          # full name, shown as the SVG tooltip


@dataclass(frozen=True)
class Series:
    """One line of a line chart; ``None`` leaves a gap (a year without a figure)."""
    name: str
    values: Sequence[float | None]


def _f(x: float) -> str:
    """Coordinates with at most 2 decimals and no trailing zeros: stable text."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 × 10^k steps) covering lo..hi."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(count, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw - 1e-12)
    start = math.floor(lo / step + 1e-9) * step
    ticks, v = [], start
    while v <= hi + step * 1e-9:
        ticks.append(round(v, 10))
        v += step
    if ticks[-1] < hi - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _fit(text: str, width: float) -> str:
    max_chars = max(int(width / CHAR_WIDTH), 3)
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def _open_svg(width: float, height: float, label: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{_f(width)}" height="{_f(height)}" '
        f'viewBox="0 0 {_f(width)} {_f(height)}" role="img" aria-label="{escape(label)}" style="{FONT}">',
        f"<title>{escape(label)}</title>",
    ]


def bar_chart(bars: Sequence[Bar], *, title: str, lang: str | None = None, width: float = 680,
              places: int = 2, label_width: float = 150, row_height: float = 24) -> Markup:
    """Horizontal bars on one scale: a light track as long as each row's maximum
    and a filled bar for its value, labelled ``value / maximum (percent)``.

    A value above its maximum is drawn to the maximum in a warning colour: in
    published tables that is an inconsistency worth seeing at a glance.
    """
    if not bars:
        raise ValueError("bar_chart needs at least one bar")
    if any(b.maximum <= 0 for b in bars):
        raise ValueError("every bar needs a positive maximum")
    value_width = 150
    left, top = label_width + 8, 28
    plot = width - left - value_width
    scale_max = max(b.maximum for b in bars)
    ticks = nice_ticks(0, scale_max)
    scale_max = ticks[-1]
    height = top + row_height * len(bars) + 22
    out = _open_svg(width, height, title)
    out.append(f'<text x="0" y="14" font-size="13" font-weight="bold" fill="{TEXT}">{escape(title)}</text>')
    axis_y = top + row_height * len(bars)
    for tick in ticks:
        x = left + plot * tick / scale_max
        out.append(f'<line x1="{_f(x)}" y1="{_f(top - 4)}" x2="{_f(x)}" y2="{_f(axis_y)}" stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{_f(x)}" y="{_f(axis_y + 14)}" font-size="10" fill="{MUTED}" text-anchor="middle">'
                   f"{escape(format_number(tick, _places_for(ticks), lang))}</text>")
    bar_h = row_height * 0.6
    for i, b in enumerate(bars):
        y = top + row_height * i
        mid = y + row_height / 2
        track_w = plot * b.maximum / scale_max
        out.append("<g>")
        if b.hint:
            out.append(f"<title>{escape(b.hint)}</title>")
        out.append(f'<text x="{_f(label_width)}" y="{_f(mid + 4)}" font-size="12" fill="{TEXT}" text-anchor="end">'
                   f"{escape(_fit(b.label, label_width))}</text>")
        out.append(f'<rect x="{_f(left)}" y="{_f(mid - bar_h / 2)}" width="{_f(track_w)}" height="{_f(bar_h)}" fill="{TRACK}"/>')
        if b.value is None:
            shown = format_number(None, places, lang)
        else:
            over = b.value > b.maximum
            fill_w = plot * max(min(b.value, b.maximum), 0) / scale_max
            out.append(f'<rect x="{_f(left)}" y="{_f(mid - bar_h / 2)}" width="{_f(fill_w)}" height="{_f(bar_h)}" '
                       f'fill="{OVER if over else BAR}"/>')
            pct = b.value / b.maximum * 100
            shown = (f"{format_number(b.value, places, lang)} / {format_number(b.maximum, places, lang)}"
                     f" ({format_number(pct, places, lang)}%)")
        out.append(f'<text x="{_f(left + plot + 8)}" y="{_f(mid + 4)}" font-size="11" fill="{TEXT}">{escape(shown)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))


def _places_for(ticks: Sequence[float]) -> int:
    return 0 if all(float(t).is_integer() for t in ticks) else 1


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    r = 3.5
    if kind == "square":
        return f'<rect x="{_f(x - r)}" y="{_f(y - r)}" width="{_f(2 * r)}" height="{_f(2 * r)}" fill="{colour}"/>'
    if kind == "diamond":
        pts = f"{_f(x)},{_f(y - r - 1)} {_f(x + r + 1)},{_f(y)} {_f(x)},{_f(y + r + 1)} {_f(x - r - 1)},{_f(y)}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    if kind == "triangle":
        pts = f"{_f(x)},{_f(y - r - 1)} {_f(x + r + 1)},{_f(y + r)} {_f(x - r - 1)},{_f(y + r)}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" fill="{colour}"/>'


def line_chart(x_labels: Sequence[str], series: Sequence[Series], *, title: str, lang: str | None = None,
               width: float = 680, height: float = 300, y_min: float | None = None, y_max: float | None = None,
               guides: Sequence[tuple[float, str]] = (), places: int = 2, value_labels: bool = True) -> Markup:
    """Lines over categorical x positions (e.g. years), with a legend.

    ``guides`` are dashed horizontal reference lines with a label, e.g. the
    lower bounds of the grade bands; those outside the y range are left out.
    """
    if not x_labels:
        raise ValueError("line_chart needs at least one x label")
    if not series:
        raise ValueError("line_chart needs at least one series")
    for s in series:
        if len(s.values) != len(x_labels):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(x_labels)} x labels")
    present = [v for s in series for v in s.values if v is not None]
    # A requested range still widens to show every value: no point is drawn off the chart.
    lo = min([y_min] + present) if y_min is not None else min([0.0] + present)
    hi = max([y_max] + present) if y_max is not None else max(present + [lo + 1])
    ticks = nice_ticks(lo, hi)
    lo, hi = (lo if y_min is not None else ticks[0]), (hi if y_max is not None else ticks[-1])
    ticks = [t for t in ticks if lo - 1e-9 <= t <= hi + 1e-9]
    legend_rows = math.ceil(len(series) / 4)
    left, right, top = 44, 46, 28 + 18 * legend_rows
    bottom = 26
    plot_w, plot_h = width - left - right, height - top - bottom

    def sx(i: int) -> float:
        return left + plot_w * (i + 0.5) / len(x_labels)

    def sy(v: float) -> float:
        return top + plot_h * (1 - (v - lo) / (hi - lo))

    out = _open_svg(width, height, title)
    out.append(f'<text x="0" y="14" font-size="13" font-weight="bold" fill="{TEXT}">{escape(title)}</text>')
    for i, s in enumerate(series):
        lx, ly = left + (i % 4) * (plot_w / 4), 30 + 18 * (i // 4)
        colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{_f(lx)}" y1="{_f(ly - 4)}" x2="{_f(lx + 22)}" y2="{_f(ly - 4)}" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        out.append(_marker(MARKERS[i % len(MARKERS)], lx + 11, ly - 4, colour))
        out.append(f'<text x="{_f(lx + 28)}" y="{_f(ly)}" font-size="11" fill="{TEXT}">'
                   f"{escape(_fit(s.name, plot_w / 4 - 32))}</text>")
    for tick in ticks:
        y = sy(tick)
        out.append(f'<line x1="{_f(left)}" y1="{_f(y)}" x2="{_f(left + plot_w)}" y2="{_f(y)}" stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{_f(left - 6)}" y="{_f(y + 4)}" font-size="10" fill="{MUTED}" text-anchor="end">'
                   f"{escape(format_number(tick, _places_for(ticks), lang))}</text>")
    for value, label in guides:
        if lo < value < hi:
            y = sy(value)
            out.append(f'<line x1="{_f(left)}" y1="{_f(y)}" x2="{_f(left + plot_w)}" y2="{_f(y)}" stroke="{MUTED}" '
                       f'stroke-width="1" stroke-dasharray="3 3"/>')
            out.append(f'<text x="{_f(left + plot_w + 4)}" y="{_f(y + 4)}" font-size="10" fill="{MUTED}">{escape(label)}</text>')
    out.append(f'<line x1="{_f(left)}" y1="{_f(top + plot_h)}" x2="{_f(left + plot_w)}" y2="{_f(top + plot_h)}" stroke="{MUTED}" stroke-width="1"/>')
    for i, label in enumerate(x_labels):
        out.append(f'<text x="{_f(sx(i))}" y="{_f(top + plot_h + 16)}" font-size="11" fill="{TEXT}" text-anchor="middle">'
                   f"{escape(label)}</text>")
    for i, s in enumerate(series):
        colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        # Consecutive present values form one polyline; a None breaks the line.
        run: list[str] = []
        for j, v in enumerate(list(s.values) + [None]):
            if v is not None:
                run.append(f"{_f(sx(j))},{_f(sy(v))}")
                continue
            if len(run) > 1:
                out.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>')
            run = []
        for j, v in enumerate(s.values):
            if v is None:
                continue
            out.append(_marker(MARKERS[i % len(MARKERS)], sx(j), sy(v), colour))
            if value_labels:
                out.append(f'<text x="{_f(sx(j))}" y="{_f(sy(v) - 7)}" font-size="10" fill="{colour}" text-anchor="middle">'
                           f"{escape(format_number(v, places, lang))}</text>")
    out.append("</svg>")
    return Markup("".join(out))
