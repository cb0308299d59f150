"""The ``gridbot tickets export`` ledger, through the real CLI on a DB filled by chat messages."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot import commands, export
from bot.cli import main
from bot.commands import open_app
from bot.config import load_config
from tests.harness import Bot

VILLAGE, SUNNY = "幸福小区居民群", "阳光花园居民群"


@dataclass
class Ledger:
    """Paths of a populated database, and what the chat said about its tickets."""

    config: Path
    db: Path
    chat_status: dict[str, str]

    def export(self, fmt: str, out: Path | None = None) -> int:
        args = ["tickets", "export", "--config", str(self.config), "--db", str(self.db),
                "--format", fmt]
        return main(args + (["--out", str(out)] if out else []))


async def populate(tmp_path: Path) -> dict[str, str]:
    """Errands done/rated and rejected, rumours debunked/confirmed/open, via the message path."""
    bot = await Bot.start(tmp_path)
    try:
        assert "E1" in (await bot.text(VILLAGE, "张阿姨", "代买 大米一袋 3栋2单元501"))[0]
        await bot.say("@", "李书记", "接单 E1")
        bot.clock.advance(minutes=90)  # done at 10:30 Beijing time
        await bot.say("@", "李书记", "完成 E1 已送到门口")
        [thanks] = await bot.say(VILLAGE, "张阿姨", "评价 E1 4 送得很快 就是晚了点")
        assert "4 分" in thanks.text

        assert "E2" in (await bot.text(VILLAGE, "王大爷", "代买 面条两包 1栋101"))[0]
        await bot.say("@", "李书记", "驳回 E2 不在本网格，请联系所在社区")

        assert "R1" in (await bot.text(SUNNY, "孙姐", "求证 明天全区停水"))[0]
        await bot.say("@", "陈网格员", "辟谣 R1 水务公司通知：明天正常供水")
        assert "R2" in (await bot.text(SUNNY, "孙姐", "求证 超市明天起限购"))[0]
        await bot.say("@", "陈网格员", "属实 R2 每人每天限购两份")
        assert "R3" in (await bot.text(SUNNY, "周叔", "求证 小区要封闭管理"))[0]

        status: dict[str, str] = {}
        for code, owner in (("E1", "李书记"), ("E2", "李书记"), ("R1", "陈网格员"),
                            ("R2", "陈网格员"), ("R3", "陈网格员")):
            [card] = await bot.say("@", owner, f"详情 {code}")
            status[code] = next(line.removeprefix("状态：") for line in card.text.splitlines()
                                if line.startswith("状态："))
        return status
    finally:
        await bot.close()


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    # Sync fixture: the CLI runs its own event loop, so the bot is closed before it starts.
    status = asyncio.run(populate(tmp_path))
    return Ledger(tmp_path / "bot.toml", tmp_path / "gridbot.db", status)


def test_chat_shows_rumour_verdicts_as_status(ledger: Ledger) -> None:
    assert ledger.chat_status == {"E1": "已完成", "E2": "已驳回", "R1": "已辟谣",
                                  "R2": "经核实属实", "R3": "待处理"}


def test_xlsx_has_chinese_labels_rating_comment_and_date_cells(ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "exports" / "台账.xlsx"
    assert ledger.export("xlsx", out) == 0
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    assert header[:5] == ("编号", "类型", "类别", "优先级", "状态")
    assert {"结论", "评分", "评价内容", "登记时间", "更新时间"} <= set(header)
    table = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert list(table) == ["E1", "E2", "R1", "R2", "R3"]

    # The same words the chat used, for every ticket (single source: Ticket.status_label).
    assert {code: r["状态"] for code, r in table.items()} == ledger.chat_status
    assert [table[c]["结论"] for c in ("R1", "R2", "R3")] == ["谣言", "属实", None]
    assert table["E1"]["结论"] is None  # errands have no verdict, not "false"/"true"
    assert table["E1"]["类型"] == "代办" and table["R1"]["类型"] == "谣言求证"
    assert table["E1"]["类别"] == "买菜/生活物资" and table["E1"]["优先级"] == "普通"

    assert table["E1"]["评分"] == 4 and table["E1"]["评价内容"] == "送得很快 就是晚了点"
    assert table["E2"]["评分"] is None and table["E2"]["评价内容"] is None

    # Real datetime cells in the configured zone (Asia/Shanghai), not UTC, not strings.
    assert table["E1"]["登记时间"] == datetime(2026, 11, 22, 9, 0)
    assert table["E1"]["更新时间"] == datetime(2026, 11, 22, 10, 30)
    created = ws.cell(row=2, column=header.index("登记时间") + 1)
    assert created.is_date and created.number_format == "yyyy-mm-dd hh:mm"

    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert ws.auto_filter.ref == ws.dimensions
    widths = {h: ws.column_dimensions[chr(ord("A") + i)].width for i, h in enumerate(header)}
    assert widths["编号"] < widths["登记时间"] < widths["内容"] <= 42
    assert widths["登记时间"] >= len("2026-11-22 10:30")


def test_csv_has_labels_rating_and_comment(ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    assert ledger.export("csv", out) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel/WPS read UTF-8
    table = {r["id"]: r for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))}
    # Scripts read the documented codes; people read the *_label columns, the chat's words.
    assert {code: r["status_label"] for code, r in table.items()} == ledger.chat_status
    assert [table[c]["verdict_label"] for c in ("R1", "R2", "R3")] == ["谣言", "属实", ""]
    assert [table[c]["verdict"] for c in ("R1", "R2")] == ["false", "true"]
    assert table["E1"]["kind_label"] == "代办" and table["E1"]["priority_label"] == "普通"
    assert (table["E1"]["kind"], table["R1"]["kind"], table["E1"]["status"]) == ("errand", "rumor", "done")
    assert table["E1"]["rating"] == "4" and table["E1"]["rating_comment"] == "送得很快 就是晚了点"
    assert table["E2"]["rating"] == "" and table["E2"]["rating_comment"] == ""
    assert table["E1"]["created_at"] == "2026-11-22 09:00:00"
    assert table["E1"]["updated_at"] == "2026-11-22 10:30:00"


def test_json_keeps_codes_and_adds_the_comment(ledger: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    assert ledger.export("json") == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["R1"]["status"] == "done" and rows["R1"]["verdict"] == "false"
    assert rows["E1"]["rating"] == 4 and rows["E1"]["rating_comment"] == "送得很快 就是晚了点"
    assert rows["E2"]["rating"] is None and rows["E1"]["created_at"] == "2026-11-22 09:00:00"


def test_empty_database_gives_a_header_only_workbook(tmp_path: Path) -> None:
    (tmp_path / "bot.toml").write_text((Path(__file__).parent.parent / "bot.toml").read_text("utf-8"),
                                       encoding="utf-8")
    out = tmp_path / "empty.xlsx"
    assert main(["tickets", "export", "--config", str(tmp_path / "bot.toml"),
                 "--db", str(tmp_path / "empty.db"), "--format", "xlsx", "--out", str(out)]) == 0
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert len(rows) == 1 and rows[0][0] == "编号"


def test_xlsx_needs_an_output_file(ledger: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    assert ledger.export("xlsx") == 2
    assert "xlsx 需要用 --out" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_export_streamed_in_pages_is_the_whole_ledger(
    ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str,
) -> None:
    # Pages of 2 over 5 tickets: three reads by keyset, one ledger, the same as written at once.
    monkeypatch.setattr(commands, "EXPORT_PAGE", 2)
    out = tmp_path / f"paged.{fmt}"
    assert ledger.export(fmt, out) == 0

    async def whole() -> bytes:
        app = await open_app(load_config(ledger.config, database=ledger.db))
        try:
            rows = export.ledger_rows(await app.store.tickets.export_rows(), app.config.tz)
        finally:
            await app.close()
        return export.render_ledger(rows, fmt)

    expected = asyncio.run(whole())
    if fmt == "xlsx":  # a zip with timestamps: compare the cells
        def cells(data: bytes) -> list[tuple[object, ...]]:
            return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
        assert cells(out.read_bytes()) == cells(expected) and len(cells(expected)) == 6
    else:
        assert out.read_bytes() == expected
    if fmt == "json":
        assert [r["id"] for r in json.loads(expected)] == ["E1", "E2", "R1", "R2", "R3"]


async def test_export_rows_narrowed_to_groups_and_grids_page_by_page(tmp_path: Path) -> None:
    bot = await Bot.start(tmp_path)
    try:
        for i in range(5):
            await bot.say("幸福小区居民群", f"甲{i}", f"代买 面包 {i}栋1")
            await bot.say("阳光花园居民群", f"乙{i}", f"代买 牛奶 {i}栋2")
        store = bot.app.store.tickets
        pages, last = [], 0
        while page := await store.export_rows(after=last, limit=2, groups=["yangguang"]):
            pages.append([t.group_key for t, _, _ in page])
            last = page[-1][0].id
        assert pages == [["yangguang"] * 2, ["yangguang"] * 2, ["yangguang"]]
        assert await store.export_rows(groups=[]) == []
        assert len(await store.export_rows(groups=None)) == 10
    finally:
        await bot.close()
