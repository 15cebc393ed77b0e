"""A suggestion's evidence as a chart drawn on the server: one SVG string, no script.

Counts per minute are a line; the baseline is a dashed line inside its band (expected ±
2 standard deviations); two vertical markers show the estimated start and the
detection. The evidence comes from a JSON field, so every value is checked: a missing,
non-numeric, negative or non-finite value is a gap, never an error. A long series is
thinned to about one point per two pixels, keeping each group's highest count so a
spike stays visible. Time runs left to right in every language, as on a clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 44, 40
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_POINTS = PLOT_WIDTH // 2
# Counts per minute beyond this are corrupt data, not an outage; drawing them as a gap
# keeps the arithmetic finite (expected + 2·spread must not overflow).
MAX_VALUE = 1e15
# Unix minutes up to about the year 9500: beyond, datetime cannot name the minute.
MAX_MINUTE = 4_000_000_000
TICK_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080)
MAX_TICKS = 6
MAX_LEGEND_CHARS = 24
LEGEND_CHAR_WIDTH = 7

INK, MUTED, LINE = "#1d2430", "#5b6474", "#d9dee7"
COUNTS_COLOUR, BAND_COLOUR, START_COLOUR, DETECTED_COLOUR = (
    "#0b5cad",
    "#cfe3d6",
    "#a86200",
    "#b42318",
)


@dataclass(frozen=True)
class ChartText:
    """The chart's words, already translated by the caller."""

    title: str
    empty: str
    counts: str
    band: str
    start: str
    detected: str


@dataclass(frozen=True)
class Point:
    minute: int
    count: float | None
    expected: float | None
    spread: float | None


@dataclass(frozen=True)
class Frame:
    first: int
    last: int
    top: float

    def x(self, minute: float) -> float:
        return LEFT + (minute - self.first) / (self.last - self.first) * PLOT_WIDTH

    def y(self, value: float) -> float:
        return TOP + PLOT_HEIGHT - min(value, self.top) / self.top * PLOT_HEIGHT


def evidence_chart(evidence: Any, text: ChartText) -> SafeString:
    """The evidence of a SuggestedIncident as an accessible SVG image."""
    data = evidence if isinstance(evidence, Mapping) else {}
    points = thinned(evidence_points(data))
    alert = data.get("alert") if isinstance(data.get("alert"), Mapping) else {}
    parts = [svg_open(text.title), legend(text)]
    if any(p.count is not None for p in points):
        frame = frame_for(points)
        parts += [axes(frame), band(points, frame), expected_line(points, frame)]
        parts += [marker(alert.get("start"), frame, "start", START_COLOUR, dashed=True)]
        parts += [marker(alert.get("at"), frame, "detected", DETECTED_COLOUR, dashed=False)]
        parts += [counts_line(points, frame)]  # last, so the markers never hide a count
    else:
        parts.append(empty_frame(text.empty))
    parts.append("</svg>")
    # Every text above went through escape() and every number through a format spec.
    return mark_safe("".join(parts))  # noqa: S308


# --- reading the evidence ---------------------------------------------------------------


def number(value: Any) -> float | None:
    """A plausible non-negative count, or None for anything else (null, text, NaN...)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        result = float(value)
    except OverflowError:
        return None
    if not math.isfinite(result) or result < 0 or result > MAX_VALUE:
        return None
    return result


def minute_of(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not (isinstance(value, int) or (math.isfinite(value) and value == int(value))):
        return None
    return int(value) if 0 <= value <= MAX_MINUTE else None


def column(data: Mapping[str, Any], name: str) -> Sequence[Any]:
    values = data.get(name)
    return values if isinstance(values, list) else []


def evidence_points(data: Mapping[str, Any]) -> list[Point]:
    minutes, counts = column(data, "minutes"), column(data, "counts")
    expected, spread = column(data, "expected"), column(data, "spread")
    points = []
    for i, raw in enumerate(minutes[: len(counts)]):
        minute = minute_of(raw)
        if minute is None:
            continue
        points.append(
            Point(
                minute,
                number(counts[i]),
                number(expected[i]) if i < len(expected) else None,
                number(spread[i]) if i < len(spread) else None,
            )
        )
    return sorted(points, key=lambda p: p.minute)


def thinned(points: list[Point]) -> list[Point]:
    if len(points) <= MAX_POINTS:
        return points
    size = math.ceil(len(points) / MAX_POINTS)
    return [merged(points[i : i + size]) for i in range(0, len(points), size)]


def merged(group: list[Point]) -> Point:
    counts = [p.count for p in group if p.count is not None]
    return Point(
        group[0].minute,
        max(counts) if counts else None,
        mean(p.expected for p in group),
        mean(p.spread for p in group),
    )


def mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def upper(point: Point) -> float | None:
    if point.expected is None or point.spread is None:
        return None
    return point.expected + 2 * point.spread


def lower(point: Point) -> float:
    assert point.expected is not None and point.spread is not None
    return max(point.expected - 2 * point.spread, 0.0)


def frame_for(points: list[Point]) -> Frame:
    first, last = points[0].minute, points[-1].minute
    if first == last:  # one minute: centre it
        first, last = first - 1, last + 1
    highest = [p.count for p in points if p.count is not None]
    highest += [u for u in map(upper, points) if u is not None]
    highest += [p.expected for p in points if p.expected is not None]
    return Frame(first, last, nice_ceiling(max(highest, default=0.0)))


def nice_ceiling(value: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, at least `value` and at least 1."""
    if value <= 1:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


# --- drawing ----------------------------------------------------------------------------


def svg_open(title: str) -> str:
    label = escape(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="radar-chart" viewBox="0 0 {WIDTH} '
        f'{HEIGHT}" role="img" aria-label="{label}" direction="ltr" font-size="12" '
        f'fill="{INK}"><title>{label}</title>'
    )


def legend(text: ChartText) -> str:
    swatches = [
        f'<line x1="0" y1="0" x2="18" y2="0" stroke="{COUNTS_COLOUR}" stroke-width="2"/>',
        f'<rect x="0" y="-5" width="18" height="10" fill="{BAND_COLOUR}"/>'
        f'<line x1="0" y1="0" x2="18" y2="0" stroke="{MUTED}" stroke-dasharray="4 3"/>',
        f'<line x1="9" y1="-7" x2="9" y2="7" stroke="{START_COLOUR}" stroke-width="2"'
        ' stroke-dasharray="3 2"/>',
        f'<line x1="9" y1="-7" x2="9" y2="7" stroke="{DETECTED_COLOUR}" stroke-width="2"/>',
    ]
    labels = [shortened(t) for t in (text.counts, text.band, text.start, text.detected)]
    items, x = [], float(LEFT)
    for swatch, label in zip(swatches, labels, strict=True):
        items.append(
            f'<g transform="translate({x:.1f} 18)">{swatch}'
            f'<text x="24" y="4">{escape(label)}</text></g>'
        )
        # Text is not measured on the server: about 7 pixels a character at this size.
        x += 24 + LEGEND_CHAR_WIDTH * len(label) + 18
    return f'<g class="legend">{"".join(items)}</g>'


def shortened(label: str) -> str:
    return label if len(label) <= MAX_LEGEND_CHARS else label[: MAX_LEGEND_CHARS - 1] + "…"


def plot_border() -> str:
    return (
        f'<rect class="plot" x="{LEFT}" y="{TOP}" width="{PLOT_WIDTH}" height="{PLOT_HEIGHT}"'
        f' fill="none" stroke="{LINE}"/>'
    )


def empty_frame(note: str) -> str:
    return (
        f'{plot_border()}<text class="empty" x="{LEFT + PLOT_WIDTH / 2:.1f}" '
        f'y="{TOP + PLOT_HEIGHT / 2:.1f}" text-anchor="middle" fill="{MUTED}">'
        f"{escape(note)}</text>"
    )


def axes(frame: Frame) -> str:
    bottom = TOP + PLOT_HEIGHT
    parts = [plot_border()]
    parts.append(
        f'<line x1="{LEFT}" y1="{frame.y(frame.top / 2):.1f}" x2="{LEFT + PLOT_WIDTH}" '
        f'y2="{frame.y(frame.top / 2):.1f}" stroke="{LINE}" stroke-dasharray="2 4"/>'
    )
    for value in (0.0, frame.top / 2, frame.top):
        parts.append(
            f'<text class="y-label" x="{LEFT - 6}" y="{frame.y(value) + 4:.1f}" '
            f'text-anchor="end" fill="{MUTED}">{escape(count_label(value))}</text>'
        )
    for minute in ticks(frame):
        x = frame.x(minute)
        parts.append(
            f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 4}" stroke="{MUTED}"/>'
            f'<text class="x-label" x="{x:.1f}" y="{bottom + 17}" text-anchor="middle" '
            f'fill="{MUTED}">{escape(time_label(minute, frame))}</text>'
        )
    parts.append(
        f'<text class="x-unit" x="{WIDTH - RIGHT}" y="{HEIGHT - 4}" text-anchor="end" '
        f'fill="{MUTED}">UTC</text>'
    )
    return "".join(parts)


def ticks(frame: Frame) -> list[int]:
    span = frame.last - frame.first
    step = next((s for s in TICK_STEPS if span / s <= MAX_TICKS), math.ceil(span / MAX_TICKS))
    first = math.ceil(frame.first / step) * step
    return list(range(first, frame.last + 1, step))


def time_label(minute: int, frame: Frame) -> str:
    moment = datetime.fromtimestamp(minute * 60, UTC)
    return f"{moment:%m-%d %H:%M}" if frame.last - frame.first >= 1440 else f"{moment:%H:%M}"


def count_label(value: float) -> str:
    if value < 1e6:
        return f"{value:g}"
    return f"{value:.2g}"


def runs(points: Sequence[Point], present: Any) -> list[list[Point]]:
    """Consecutive points for which `present(point)` holds: a gap breaks a line."""
    result: list[list[Point]] = []
    current: list[Point] = []
    for point in points:
        if present(point):
            current.append(point)
        elif current:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result


def band(points: Sequence[Point], frame: Frame) -> str:
    polygons = []
    for run in runs(points, lambda p: upper(p) is not None):
        tops = [(frame.x(p.minute), frame.y(upper(p) or 0.0)) for p in run]
        bottoms = [(frame.x(p.minute), frame.y(lower(p))) for p in run]
        if len(run) == 1:  # one minute still shows as a sliver, not nothing
            (x, top), (_, bottom) = tops[0], bottoms[0]
            tops, bottoms = [(x - 3, top), (x + 3, top)], [(x - 3, bottom), (x + 3, bottom)]
        outline = " ".join(f"{x:.1f},{y:.1f}" for x, y in [*tops, *reversed(bottoms)])
        polygons.append(f'<polygon class="band" points="{outline}" fill="{BAND_COLOUR}"/>')
    return "".join(polygons)


def expected_line(points: Sequence[Point], frame: Frame) -> str:
    lines = []
    for run in runs(points, lambda p: p.expected is not None):
        coords = [(frame.x(p.minute), frame.y(p.expected or 0.0)) for p in run]
        if len(coords) == 1:
            (x, y) = coords[0]
            coords = [(x - 3, y), (x + 3, y)]
        lines.append(
            f'<path class="expected" d="{path(coords)}" fill="none" stroke="{MUTED}" '
            'stroke-width="1.5" stroke-dasharray="5 3"/>'
        )
    return "".join(lines)


def counts_line(points: Sequence[Point], frame: Frame) -> str:
    shapes = []
    for run in runs(points, lambda p: p.count is not None):
        coords = [(frame.x(p.minute), frame.y(p.count or 0.0)) for p in run]
        if len(coords) == 1:
            x, y = coords[0]
            shapes.append(
                f'<circle class="counts" cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{COUNTS_COLOUR}"/>'
            )
            continue
        shapes.append(
            f'<path class="counts" d="{path(coords)}" fill="none" stroke="{COUNTS_COLOUR}" '
            'stroke-width="2" stroke-linejoin="round"/>'
        )
    return "".join(shapes)


def path(coords: Sequence[tuple[float, float]]) -> str:
    head, *tail = coords
    return f"M{head[0]:.1f},{head[1]:.1f}" + "".join(f" L{x:.1f},{y:.1f}" for x, y in tail)


def marker(raw: Any, frame: Frame, name: str, colour: str, *, dashed: bool) -> str:
    """A vertical line at a minute inside the chart; a minute outside it draws nothing."""
    minute = minute_of(raw)
    if minute is None or not frame.first <= minute <= frame.last:
        return ""
    x = frame.x(minute)
    dash = ' stroke-dasharray="3 2"' if dashed else ""
    return (
        f'<line class="marker {name}" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" '
        f'y2="{TOP + PLOT_HEIGHT}" stroke="{colour}" stroke-width="2"{dash}/>'
    )
