"""Small SVG charts drawn on the server, so that the same chart serves the page, the PDF and a reader without JS."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

PALETTE = ("#000091", "#c9191e", "#18753c", "#b34000", "#6a6af4")


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[date, float | None]]


@dataclass(frozen=True)
class Mark:
    """A single published figure drawn as a point on its own (never joined to a series), with its text as published."""

    label: str  # « Maisons de santé publiées (ARS Occitanie) »
    when: date
    value: float
    text: str  # « moins de 10 »


def _nice_maximum(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _fr(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def line_chart(title: str, series: Sequence[Series], width: int = 720, height: int = 300, marks: Sequence[Mark] = ()) -> str:
    """A line chart of dated values; returns an ``<svg>`` element with a title and a description for screen readers.
    ``marks`` are published points drawn apart (a hollow diamond and their text), not as a series."""
    left, right, top, bottom = 56, 16, 24, 56
    dates = sorted({when for s in series for when, value in s.points if value is not None} | {m.when for m in marks})
    values = [value for s in series for _, value in s.points if value is not None] + [m.value for m in marks]
    if not dates or not values:
        label = escape(title)
        return f'<svg role="img" aria-label="{label}" width="{width}" height="40"><text x="0" y="20">Pas de données</text></svg>'
    start, end = dates[0].toordinal(), dates[-1].toordinal()
    span = max(end - start, 1)
    top_value = _nice_maximum(max(values))

    def x(when: date) -> float:
        return left + (when.toordinal() - start) / span * (width - left - right)

    def y(value: float) -> float:
        return top + (1 - value / top_value) * (height - top - bottom)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="chart-title chart-desc" class="chart">',
        f'<title id="chart-title">{escape(title)}</title>',
        '<desc id="chart-desc">'
        + escape(
            "; ".join(
                [f"{s.label} : " + ", ".join(f"{d:%d/%m/%Y} {v:g}" for d, v in s.points if v is not None) for s in series]
                + [f"{m.label} : {m.when.year} {m.text} (point publié isolé)" for m in marks]
            )
        )
        + "</desc>",
    ]
    for tick in range(5):
        value = top_value * tick / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#ddd"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11" fill="#555">{_fr(value)}</text>'
        )
    for year in sorted({d.year for d in dates}):
        first = date(year, 1, 1) if date(year, 1, 1) >= dates[0] else dates[0]
        parts.append(f'<text x="{x(first):.1f}" y="{height - bottom + 18}" font-size="11" fill="#555">{year}</text>')
    for position, s in enumerate(series):
        color = PALETTE[position % len(PALETTE)]
        coordinates = [(x(d), y(v)) for d, v in s.points if v is not None]
        path = " ".join(f"{'M' if i == 0 else 'L'}{cx:.1f},{cy:.1f}" for i, (cx, cy) in enumerate(coordinates))
        parts.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2.5"/>')
        parts.extend(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{color}"/>' for cx, cy in coordinates)
        legend_x = left + position * 220
        parts.append(f'<rect x="{legend_x}" y="{height - 22}" width="14" height="4" fill="{color}"/>')
        parts.append(f'<text x="{legend_x + 20}" y="{height - 16}" font-size="12">{escape(s.label)}</text>')
    for mark in marks:
        cx, cy = x(mark.when), y(mark.value)
        parts.append(
            f'<path class="chart-mark" d="M{cx:.1f},{cy - 7:.1f} L{cx + 7:.1f},{cy:.1f} L{cx:.1f},{cy + 7:.1f} '
            f'L{cx - 7:.1f},{cy:.1f} Z" fill="#fff" stroke="#161616" stroke-width="2"/>'
        )
        parts.append(
            f'<text x="{cx + 10:.1f}" y="{cy - 8:.1f}" font-size="12" fill="#161616">'
            f"{escape(mark.text)} ({mark.when.year}, {escape(mark.label)})</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(title: str, bars: Sequence[tuple[str, float | None]], unit: str = "", width: int = 720) -> str:
    """Horizontal bars (one per label), for comparisons such as a territory against its département and France."""
    bar_height, gap, left, right = 22, 8, 210, 90
    height = len(bars) * (bar_height + gap) + 10
    known = [value for _, value in bars if value is not None]
    top_value = _nice_maximum(max(known)) if known else 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>'
    ]
    for position, (label, value) in enumerate(bars):
        top = 5 + position * (bar_height + gap)
        parts.append(f'<text x="{left - 8}" y="{top + 15}" text-anchor="end" font-size="12">{escape(label)}</text>')
        if value is None:
            parts.append(f'<text x="{left}" y="{top + 15}" font-size="12" fill="#666">non disponible</text>')
            continue
        length = value / top_value * (width - left - right)
        color = PALETTE[0] if position == 0 else "#8585f6"
        parts.append(f'<rect x="{left}" y="{top}" width="{length:.1f}" height="{bar_height}" fill="{color}"/>')
        shown = f"{value:,.2f}".replace(",", "\u202f").replace(".", ",") if value < 100 else _fr(value)
        parts.append(f'<text x="{left + length + 6:.1f}" y="{top + 15}" font-size="12">{shown} {escape(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)


APL_CLASSES = (1.5, 2.5, 3.5, 4.5)
APL_COLORS = ("#a50f15", "#ef6548", "#fdd49e", "#9ecae1", "#2171b5")
APL_LABELS = ("moins de 1,5", "1,5 à 2,5", "2,5 à 3,5", "3,5 à 4,5", "4,5 et plus")


@dataclass(frozen=True)
class MapPoint:
    longitude: float
    latitude: float
    population: float
    value: float | None
    label: str
    marked: bool = False  # e.g. has a maison de santé


def dot_map(
    title: str, points: Sequence[MapPoint], width: int = 720, height: int = 520, heading: str = "APL généralistes"
) -> str:
    """Communes as dots sized by population and coloured by GP APL class (legend under ``heading``, which says whose
    APL it is); marked communes get a ring.

    Equirectangular projection scaled by the cosine of the mean latitude: fine at the scale of a région.
    """
    if not points:
        return ""
    lons = [p.longitude for p in points]
    lats = [p.latitude for p in points]
    scale_x = math.cos(math.radians(sum(lats) / len(lats)))
    min_x, max_x = min(lons) * scale_x, max(lons) * scale_x
    min_y, max_y = min(lats), max(lats)
    margin, legend = 16, 200
    span = max(max_x - min_x, max_y - min_y, 1e-6)
    factor = min(
        (width - legend - 2 * margin) / max(max_x - min_x, span * 0.2), (height - 2 * margin) / max(max_y - min_y, span * 0.2)
    )
    largest = max((p.population for p in points), default=1.0) or 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" class="chart map"><title>{escape(title)}</title>'
        f'<rect width="{width}" height="{height}" fill="#f7f9fc"/>'
    ]
    for point in sorted(points, key=lambda p: -p.population):
        cx = margin + (point.longitude * scale_x - min_x) * factor
        cy = margin + (max_y - point.latitude) * factor
        radius = 2.0 + 12.0 * math.sqrt(max(point.population, 0.0) / largest)
        color = "#bbbbbb" if point.value is None else APL_COLORS[sum(point.value >= bound for bound in APL_CLASSES)]
        value = "inconnu" if point.value is None else f"{point.value:.2f}".replace(".", ",")
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="{color}" fill-opacity="0.85" stroke="#fff" '
            f'stroke-width="0.5"><title>{escape(point.label)} : APL {value}</title></circle>'
        )
        if point.marked:
            parts.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius + 3:.1f}" fill="none" stroke="#000" stroke-width="1.5"/>'
            )
    x0 = width - legend + 8
    parts.append(f'<text x="{x0}" y="24" font-size="12" font-weight="bold">{escape(heading)}</text>')
    for index, (color, label) in enumerate(zip(APL_COLORS, APL_LABELS, strict=True)):
        y = 40 + index * 20
        parts.append(f'<circle cx="{x0 + 6}" cy="{y}" r="6" fill="{color}"/>')
        parts.append(f'<text x="{x0 + 18}" y="{y + 4}" font-size="11">{escape(label)}</text>')
    y = 40 + len(APL_COLORS) * 20 + 6
    parts.append(f'<circle cx="{x0 + 6}" cy="{y}" r="6" fill="none" stroke="#000" stroke-width="1.5"/>')
    parts.append(f'<text x="{x0 + 18}" y="{y + 4}" font-size="11">maison ou centre de santé</text>')
    parts.append("</svg>")
    return "".join(parts)
