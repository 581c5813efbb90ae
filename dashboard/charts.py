"""Server-side SVG geometry for the trend page: stacked bars of the share of regions per status per month."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format

from agreements.models import Status

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 28, 8, 28


def month_name(month: date) -> str:
    """Short Dutch month name, e.g. "mrt 2026"."""
    return date_format(month, "b Y")


def dutch_percentage(value: float) -> str:
    return f"{value:.1f}%".replace(".", ",")


def share(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


@dataclass(frozen=True)
class Segment:
    status: int
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass(frozen=True)
class TrendRow:
    month: date
    counts: list[int]
    shares: list[float]

    @property
    def cells(self) -> list[tuple[int, float]]:
        return list(zip(self.counts, self.shares, strict=True))


@dataclass
class StackedChart:
    chart_id: str
    title: str
    rows: list[TrendRow]
    width: int = WIDTH
    height: int = HEIGHT
    segments: list[Segment] = field(default_factory=list)
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT


def stacked_share_chart(*, chart_id: str, title: str, months: list[date], counts: list[list[int]]) -> StackedChart:
    """One bar per month, stacked from Onbekend (bottom) to Gerealiseerd (top), 0–100 % of the regions."""
    rows = [TrendRow(month=m, counts=c, shares=[share(n, sum(c)) for n in c]) for m, c in zip(months, counts, strict=True)]
    chart = StackedChart(chart_id=chart_id, title=title, rows=rows)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(rows), 1)
    label_every = max(1, len(rows) // 8 + (len(rows) % 8 > 0))
    for index, row in enumerate(rows):
        x = LEFT + index * slot + slot * 0.1
        bottom = TOP + plot_height
        total = sum(row.counts)
        for status, count in zip(Status, row.counts, strict=True):
            height = plot_height * count / total if total else 0
            if height:
                bottom -= height
                chart.segments.append(
                    Segment(
                        status=status.value,
                        x=round(x, 1),
                        y=round(bottom, 1),
                        width=round(slot * 0.8, 1),
                        height=round(height, 1),
                        title=f"{month_name(row.month)} – {status.label}: {count} ({dutch_percentage(row.shares[status.value])})",
                    )
                )
        if index % label_every == 0 or index == len(rows) - 1:
            chart.x_labels.append((round(x + slot * 0.4, 1), month_name(row.month)))
    chart.y_ticks = [(round(TOP + plot_height * (1 - p / 100), 1), f"{p}%") for p in (0, 25, 50, 75, 100)]
    return chart


def trend_charts(snapshots: list[dict]) -> list[StackedChart]:
    """The national chart and one per agreement, from the snapshots' precomputed counts."""
    months = [s["month"] for s in snapshots]
    charts = [
        stacked_share_chart(
            chart_id="landelijk", title="Landelijk (alle afspraken)", months=months, counts=[s["national_counts"] for s in snapshots]
        )
    ]
    numbers = sorted({a["number"]: a["title"] for s in snapshots for a in s["agreement_summary"]}.items())
    for number, title in numbers:
        counts = [next((a["counts"] for a in s["agreement_summary"] if a["number"] == number), [0] * len(Status)) for s in snapshots]
        charts.append(stacked_share_chart(chart_id=f"afspraak-{number}", title=f"Afspraak {number}: {title}", months=months, counts=counts))
    return charts
