"""Drawing the charts (``bot/chart_render.py``): real PNGs, decoded and checked, with the CJK
font from the install and no missing glyph ("tofu")."""

from __future__ import annotations

import io
import warnings
from datetime import date, datetime, timedelta
from pathlib import Path

import pylopdf_fonts_zh_cn
import pytest
from matplotlib import font_manager
from matplotlib.axes import Axes
from PIL import Image

from bot import chart_render
from bot.charts import ChartData, period
from tests.harness import START, TZ

DAYS = [date(2026, 11, 16) + timedelta(days=i) for i in range(7)]


def _data(**extra: object) -> ChartData:
    fields: dict[str, object] = {
        "per_day": {"代办": [1, 0, 4, 2, 0, 3, 5], "核实": [0, 2, 1, 0, 0, 1, 0]},
        "townships": [("西城街道群", 9.5, 4), ("东城街道群", 3.0, 12)],
        "receipts": [("阳光花园居民群", 1, 4), ("幸福小区居民群", 3, 4), ("东城街道群", 4, 4)]}
    fields.update(extra)
    return ChartData("全部群", period("周报", START, TZ), DAYS, **fields)  # type: ignore[arg-type]


def _decode(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image.convert("RGB")


def _ink(image: Image.Image) -> float:
    """The share of pixels that are not white."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return 1 - sum(histogram[250:]) / (image.width * image.height)


def test_three_pngs_of_phone_size_with_content() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning (a missing glyph first) fails the test
        images = [_decode(png) for png in chart_render.render(_data())]
    assert [im.size for im in images] == [(990, 550)] * 3
    for image in images:
        assert 0.02 < _ink(image) < 0.6
        assert len(image.getcolors(maxcolors=1 << 16) or ()) > 20  # text is anti-aliased: many shades
    # The bars are drawn in their colours: red for errands (chart 1), blue for hours (chart 2).
    assert any(c == (0xd9, 0x4f, 0x3d) for _, c in images[0].getcolors(maxcolors=1 << 16) or ())
    assert any(c == (0x3b, 0x7d, 0xd8) for _, c in images[1].getcolors(maxcolors=1 << 16) or ())


def test_the_font_is_the_bundled_cjk_font_registered_by_path() -> None:
    name = chart_render.cjk_font()
    assert name == "Noto Sans SC"
    found = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    assert Path(found) == Path(pylopdf_fonts_zh_cn.sans_path())


def test_a_font_without_chinese_fails_instead_of_sending_tofu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chart_render, "cjk_font", lambda: "DejaVu Sans")
    with pytest.raises(chart_render.ChartError, match="missing from the chart font"):
        chart_render.render(_data())


def test_empty_series_say_so_and_many_groups_show_the_lowest(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[str] = []
    original = chart_render._nothing

    def nothing(ax: Axes, text: str) -> None:
        drawn.append(text)
        original(ax, text)

    monkeypatch.setattr(chart_render, "_nothing", nothing)
    many = [(f"第{i}村居民群", i % 5, 5) for i in range(40)]
    images = chart_render.render(_data(per_day={"代办": [0] * 7}, townships=[], receipts=many))
    assert drawn == ["这几天没有新工单", "这段时间没有完成的工单"]
    assert all(_decode(png).size == (990, 550) for png in images)


def test_a_long_period_rotates_its_day_labels() -> None:
    days = [date(2026, 10, 28) + timedelta(days=i) for i in range(30)]
    data = ChartData("全部群", period("月报", datetime(2026, 11, 26, 9, tzinfo=TZ), TZ), days,
                     {"代办": list(range(30))})
    assert _decode(chart_render.render(data)[0]).size == (990, 550)
