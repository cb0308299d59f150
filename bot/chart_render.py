"""Drawing :class:`bot.charts.ChartData` as PNGs: matplotlib's Agg canvas and a CJK font the
install ships.

The font is Noto Sans SC from the PyPI package ``pylopdf-fonts-zh-cn`` (a dependency in
pyproject.toml), so ``make install`` is all a machine needs: no system font, no font cache.
It is registered with matplotlib's font manager by file path the first time a chart is drawn.
Without it Chinese labels would come out as empty boxes ("tofu"); matplotlib then warns
"Glyph … missing from font(s)", and :func:`render` turns any such warning into
:class:`ChartError` rather than send a chart nobody can read.

Figures are ``matplotlib.figure.Figure`` objects drawn on ``FigureCanvasAgg`` (never pyplot,
whose global figure registry is not thread-safe); the style is set through ``rc_context``,
which is process-wide, so drawings take a lock and run one at a time in a worker thread.
"""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Callable
from functools import cache
from pathlib import Path

import matplotlib
import pylopdf_fonts_zh_cn
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.charts import ChartData, ChartError

__all__ = ["ChartError", "cjk_font", "render"]

#: Pixels: 9 x 5 inches at 110 dpi, readable on a phone and small to send (~40 KB).
SIZE, DPI = (9.0, 5.0), 110
#: Most groups one receipt-rate chart lists (the lowest rates); more would not be legible.
MAX_BARS = 25
COLOURS = ("#d94f3d", "#3b7dd8", "#f0a830", "#4caf7a", "#8e6cc0", "#7a8a99")
_DRAWING = threading.Lock()


@cache
def cjk_font() -> str:
    """Register the bundled Noto Sans SC with matplotlib and return its family name."""
    path = Path(pylopdf_fonts_zh_cn.sans_path())
    if not path.is_file():
        raise ChartError(f"CJK font file {path} is missing: reinstall pylopdf-fonts-zh-cn")
    font_manager.fontManager.addfont(str(path))
    return str(font_manager.FontProperties(fname=str(path)).get_name())


def render(data: ChartData) -> list[bytes]:
    """The three charts as PNG bytes; ChartError if any glyph would be missing."""
    family = [cjk_font(), "DejaVu Sans"]
    with _DRAWING, matplotlib.rc_context({"font.family": family, "axes.unicode_minus": False,
                                          "axes.spines.top": False, "axes.spines.right": False}), \
            warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        images = [_png(draw, data) for draw in (_per_day, _handling, _receipts)]
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    if missing:
        raise ChartError(f"glyphs missing from the chart font: {missing[:3]}")
    return images


def _png(draw: Callable[[Axes, ChartData], None], data: ChartData) -> bytes:
    figure = Figure(figsize=SIZE, dpi=DPI)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    draw(ax, data)
    # Fixed margins, not tight_layout(): that draws the whole figure once more to measure it
    # (a third of the time), and the handler draws inside the message's transaction.
    left = 0.08 if draw is _per_day else 0.2
    figure.subplots_adjust(left=left, right=0.97, top=0.9, bottom=0.12)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _nothing(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=16, color="#666666", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _per_day(ax: Axes, data: ChartData) -> None:
    labels = [f"{d.month}/{d.day}" for d in data.days]
    ax.set_title(f"{data.scope}：每日新工单（{labels[0]}–{labels[-1]}）", fontsize=14)
    if not any(sum(c) for c in data.per_day.values()):
        _nothing(ax, "这几天没有新工单")
        return
    bottom = [0] * len(data.days)
    for i, (kind, counts) in enumerate(sorted(data.per_day.items())):
        ax.bar(labels, counts, bottom=bottom, label=kind, color=COLOURS[i % len(COLOURS)], width=0.6)
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    if len(labels) <= 14:  # a month of totals would overlap: the axis tells them then
        for x, total in enumerate(bottom):
            if total:
                ax.annotate(str(total), (x, total), ha="center", va="bottom", fontsize=9)
    ax.set_ylabel("工单数（件）")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(bottom) * 1.2)  # room above the bars for the legend's one row
    ax.legend(loc="upper left", ncol=len(data.per_day), frameon=False)
    if len(labels) > 14:
        ax.tick_params(axis="x", labelrotation=60, labelsize=8)


def _handling(ax: Axes, data: ChartData) -> None:
    ax.set_title(f"{data.scope}：各乡镇平均处理时长（{data.period.dates} 完成的工单）", fontsize=14)
    if not data.townships:
        _nothing(ax, "这段时间没有完成的工单")
        return
    rows = data.townships[::-1]  # barh draws bottom-up: the slowest ends on top
    ax.barh([r[0] for r in rows], [r[1] for r in rows], color=COLOURS[1], height=0.6)
    for y, (_, hours, done) in enumerate(rows):
        ax.annotate(f" {hours:.1f} 小时（{done} 件）", (hours, y), va="center", fontsize=9)
    ax.set_xlabel("从登记到完成的平均小时数")
    ax.margins(x=0.25)


def _receipts(ax: Axes, data: ChartData) -> None:
    shown = data.receipts[:MAX_BARS]
    more = f"，最低的 {MAX_BARS} 个，共 {len(data.receipts)} 个群" if len(data.receipts) > MAX_BARS else ""
    ax.set_title(f"{data.scope}：各群通知回执率（{data.period.dates} 发出的通知{more}）", fontsize=14)
    if not shown:
        _nothing(ax, "这段时间没有发出通知")
        return
    rows = shown[::-1]  # the lowest rate ends on top
    rates = [100 * confirmed / sent if sent else 0.0 for _, confirmed, sent in rows]
    colours = [COLOURS[0] if r < 60 else COLOURS[2] if r < 90 else COLOURS[3] for r in rates]
    ax.barh([r[0] for r in rows], rates, color=colours, height=0.6)
    for y, ((_, confirmed, sent), rate) in enumerate(zip(rows, rates, strict=True)):
        ax.annotate(f" {rate:.0f}%（{confirmed}/{sent}）", (rate, y), va="center", fontsize=9)
    ax.set_xlim(0, 125)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.set_xlabel("已确认收到的通知占比（%）")
    if len(rows) > 12:
        ax.tick_params(axis="y", labelsize=8)
