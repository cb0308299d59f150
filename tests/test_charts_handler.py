"""``图表`` end to end (``handlers/charts.py``): the command through the dispatcher and outbox,
three decodable PNGs as group-safe attachments, and a clear answer to every bad input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from bot import chart_render
from bot.message import Reply
from tests.chart_setup import busy_week
from tests.harness import Bot
from tests.test_console import gridbot, setup


def _pictures(replies: list[Reply]) -> list[Image.Image]:
    images: list[Image.Image] = []
    for r in replies:
        assert r.attachment is not None and r.attachment.mime == "image/png" and r.attachment.group_safe
        with Image.open(r.attachment.path) as image:
            image.load()
            images.append(image)
    return images


async def test_staff_get_three_charts_of_every_group(bot: Bot, tmp_path: Path) -> None:
    await busy_week(bot)
    replies = await bot.say("@", "区指挥部小王", "图表 周报")
    assert [r.text for r in replies] == ["全部群周报（11月18日–11月24日）\n图1 每日新工单（按类别）",
                                         "图2 各乡镇平均处理时长", "图3 各群通知回执率"]
    assert [r.attachment.name for r in replies if r.attachment] == [
        "每日新工单-周报.png", "平均处理时长-周报.png", "通知回执率-周报.png"]
    assert [im.size for im in _pictures(replies)] == [(990, 550)] * 3
    assert all(Path(r.attachment.path).parent == tmp_path / "reports" / "charts" for r in replies if r.attachment)
    # The outbox sent them, each once, with the file.
    sent = [r for r in bot.adapter.sent if r.attachment is not None]
    assert [r.attachment for r in sent] == [r.attachment for r in replies]


async def test_an_owner_sees_their_groups_and_may_name_one(bot: Bot) -> None:
    await busy_week(bot)
    [first, *_] = await bot.say("@", "刘主任", "图表")
    assert first.text.startswith("您负责的群周报（")
    [first, *_] = await bot.say("@", "刘主任", "图表 月报 幸福小区居民群")
    assert first.text.startswith("幸福小区居民群月报（10月26日–11月24日）")
    assert await bot.text("@", "李书记", "图表 东城街道群") == [
        "@李书记|您不负责「东城街道群」，只能查看您负责的群。"]


async def test_bad_input_gets_a_clear_answer(bot: Bot) -> None:
    await busy_week(bot)
    assert await bot.text("幸福小区居民群", "李书记", "图表") == [
        "幸福小区居民群|@李书记 图表包含各群的数据，请私聊我发送「图表」。"]
    [answer] = await bot.text("@", "李书记", "图表 年报")
    assert answer.startswith("@李书记|不认识「年报」：可写 日报、周报 或 月报。")
    [answer] = await bot.text("@", "李书记", "图表 周报 不存在的群")
    assert answer.startswith("@李书记|您负责的群里没有叫「不存在的群」的群。")
    [answer] = await bot.text("@", "张阿姨", "图表")
    assert "只有群主（社区工作人员）可以使用" in answer
    bot.clock.advance(days=20)  # a day with nothing on it
    assert await bot.text("@", "区指挥部小王", "图表 日报") == [
        "@区指挥部小王|全部群日报（12月14日）没有工单，也没有发出通知，暂无图表。"]


def test_the_console_saves_the_charts_under_data_reports(tmp_path: Path) -> None:
    cwd = setup(tmp_path)
    result = gridbot("console", "--transcript", "-", cwd=cwd,
                     stdin="幸福小区居民群|张阿姨|代买 米 1栋\n@|区指挥部小王|图表 日报\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()[-6:]  # each chart: its caption, then where it was saved
    assert lines[0].startswith("@区指挥部小王|全部群日报（") and lines[0].endswith("图1 每日新工单（按类别）")
    assert lines[1].startswith("@区指挥部小王|[图片 每日新工单-日报.png：data/reports/charts/")
    shown = [line.split("：", 1)[1].rstrip("]") for line in lines if line.startswith("@区指挥部小王|[图片")]
    assert len(shown) == 3
    for path in shown:
        with Image.open(io.BytesIO((cwd / path).read_bytes())) as image:
            assert image.size == (990, 550)


async def test_a_chart_that_cannot_be_drawn_is_explained(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    await busy_week(bot)
    monkeypatch.setattr(chart_render, "cjk_font", lambda: "DejaVu Sans")  # a font without Chinese
    assert await bot.text("@", "区指挥部小王", "图表") == [
        "@区指挥部小王|图表暂时无法生成（图表字体不可用），已记录错误，请联系管理员检查安装。"]
