"""The reports page: figures and lines from bot.reports for each role, the chat's answers to bad
input, escaping, the ranking, the charts as PNGs and the ledger downloads (streamed, scoped, audited)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from PIL import Image

from bot.address import normalise_address
from bot.store.households import HouseholdData
from tests.chart_setup import busy_week
from tests.harness import BASE_TOML
from tests.web_setup import dashboard, file_ticket, log_in

GRID = '\n[[grids]]\nkey = "g1"\nname = "一网格"\ngroup = "xingfu"\nworkers = ["网格员小周"]\n'


def cells(html: str, row: str) -> list[str]:
    """The cells of the figures table's row named ``row``."""
    found = re.search(rf'<th scope="row">{re.escape(row)}</th>(.*?)</tr>', html, re.S)
    assert found, row
    return re.findall(r"<td>(.*?)</td>", found.group(1))


async def test_staff_see_the_months_figures_against_last_month(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await busy_week(bot)
        await log_in(bot, client, "区指挥部小王")
        page = await client.get("/reports?kind=monthly&at=2026-11")
        html = await page.text()
        assert page.status == 200, html
        assert "【工作月报】全部 · 2026年11月" in html
        assert cells(html, "新增工单") == ["3", "0", "+3"]
        assert cells(html, "办结")[:2] == ["2", "0"]
        assert cells(html, "通知回执率")[0] == "25%"
        assert 'href="/reports"' in html and ">报表<" in html  # the navigation shows the page
        # One line per township, as the chat report has; a single township needs no lines.
        assert "<h2>分群</h2>" not in html
        assert html.count('src="/reports/chart/') == 3 and 'alt="图1 每日新工单（按类别）"' in html


async def test_a_village_owner_sees_only_their_group(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await busy_week(bot)
        await log_in(bot, client, "李书记")
        html = await (await client.get("/reports?kind=monthly&at=2026-11")).text()
        assert "幸福小区居民群 · 2026年11月" in html and cells(html, "新增工单")[0] == "2"
        assert '<option value="xingfu"' in html and 'value="yangguang"' not in html
        refused = await client.get("/reports?kind=weekly&group=yangguang")
        assert refused.status == 400
        assert "您不负责「阳光花园居民群」，只能查看您负责的群。" in await refused.text()


async def test_a_township_owner_reads_its_villages_and_can_narrow_to_one(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await busy_week(bot)
        await log_in(bot, client, "刘主任")
        html = await (await client.get("/reports?kind=monthly&at=2026-11")).text()
        assert '<th scope="row">幸福小区居民群</th><td>2</td>' in html
        assert '<th scope="row">阳光花园居民群</th><td>1</td>' in html
        one = await (await client.get("/reports?kind=monthly&at=2026-11&group=yangguang")).text()
        assert "阳光花园居民群 · 2026年11月" in one and cells(one, "新增工单")[0] == "1"


@pytest.mark.parametrize(("query", "answer"), [
    ("kind=daily&at=2026-13-45", "没有 2026-13-45 这一天。"),
    ("kind=daily&at=2027-01-01", "2027-01-01 还没到，没有可报的数据。"),
    ("kind=monthly&at=abc", "看不懂日期「abc」。月份写成 2026-10"),
    ("kind=daily&group=不存在的群", "没有找到叫「不存在的群」的群"),
    ("kind=yearly", "没有这种报表：请选 日报、周报 或 月报。"),
])
async def test_bad_input_gets_the_chats_answer_with_400(tmp_path: Path, query: str, answer: str) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await log_in(bot, client, "李书记")
        page = await client.get(f"/reports?{query}")
        html = await page.text()
        assert page.status == 400 and answer in html and "Traceback" not in html


async def test_comments_and_group_names_are_escaped(tmp_path: Path) -> None:
    toml = BASE_TOML.replace('name = "阳光花园居民群"', 'name = "<script>alert(1)</script>花园"')
    async with dashboard(tmp_path, toml) as (bot, client):
        code = await file_ticket(bot)
        await bot.say("@", "李书记", f"完成 {code} 已送到")
        await bot.say("幸福小区居民群", "张阿姨", f"评价 {code} 1 <script>alert(2)</script>")
        await log_in(bot, client, "刘主任")
        html = await (await client.get("/reports")).text()
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;花园" in html
        assert "「&lt;script&gt;alert(2)&lt;/script&gt;」" in html


async def test_grid_workers_get_a_note_and_residents_no_page(tmp_path: Path) -> None:
    async with dashboard(tmp_path, BASE_TOML + GRID) as (bot, client):
        anonymous = await client.get("/reports", allow_redirects=False)
        assert anonymous.status in (302, 303, 401, 403)
        assert (await client.get("/reports/ledger.csv", allow_redirects=False)).status in (302, 303, 401, 403)
        await log_in(bot, client, "网格员小周")
        page = await client.get("/reports")
        html = await page.text()
        assert page.status == 200 and "网格员不能查看" in html and "/reports/ledger.csv" in html
        assert "<table" not in html
        assert (await client.get("/reports/chart/1.png?kind=weekly")).status == 403
        assert (await client.get("/reports/ranking")).status == 403


async def test_the_ranking_for_staff_and_owners(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await busy_week(bot)
        await log_in(bot, client, "区指挥部小王")
        page = await client.get("/reports/ranking?month=2026-11")
        html = await page.text()
        assert page.status == 200 and "2026年11月（未过完，排名会变）" in html
        assert re.search(r"<td>1</td><th scope=\"row\">(幸福小区|阳光花园)居民群</th><td>\d+\.\d</td>", html)
        assert "评分办法" in html and "办理速度" in html
        bad = await client.get("/reports/ranking?month=2026-13")
        assert bad.status == 400 and "没有 2026-13 这个月份。" in await bad.text()
        await log_in(bot, client, "李书记")
        mine = await (await client.get("/reports/ranking?month=2026-11")).text()
        assert 'class="mine"' in mine and "幸福小区居民群" in mine


async def test_charts_are_pngs_of_the_viewers_scope(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await busy_week(bot)
        await log_in(bot, client, "李书记")
        for n in (1, 2, 3):
            png = await client.get(f"/reports/chart/{n}.png?kind=monthly&at=2026-11")
            assert png.status == 200 and png.content_type == "image/png"
            image = Image.open(io.BytesIO(await png.read()))
            image.load()
            assert image.width > 200 and image.height > 100
        assert (await client.get("/reports/chart/4.png?kind=weekly")).status == 404
        other = await client.get("/reports/chart/1.png?kind=weekly&group=yangguang")
        assert other.status == 400 and "您不负责" in await other.text()


async def test_the_csv_ledger_streams_the_viewers_tickets_only_and_is_audited(tmp_path: Path) -> None:
    async with dashboard(tmp_path, BASE_TOML + GRID) as (bot, client):
        home = normalise_address("5栋302")
        assert home is not None
        await bot.app.store.households.save(HouseholdData("xingfu", home.key, "5栋302", grid_key="g1"),
                                            bot.clock())
        mine = await file_ticket(bot, "代买：降压药 5栋302")
        other_grid = await file_ticket(bot, "代买：面包 7栋101", user="乙")
        other_group = await file_ticket(bot, "代买：牛奶 3栋1", group="阳光花园居民群", user="丙")
        await log_in(bot, client, "李书记")
        response = await client.get("/reports/ledger.csv")
        assert response.status == 200 and response.headers["Content-Type"].startswith("text/csv")
        assert response.headers.get("Content-Length") is None  # streamed, not sized up front
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith('attachment; filename="') and "filename*=UTF-8''" in disposition
        assert unquote(disposition.split("''", 1)[1]).startswith("工单台账-幸福小区居民群-")
        body = await response.read()
        assert body.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        assert {r["id"] for r in rows} == {mine, other_grid}
        audit = (await bot.app.store.audit.latest(limit=1))[0]
        assert audit.action == "export" and audit.actor.name == "李书记" and "工单台账-幸福小区居民群" in audit.detail
        await log_in(bot, client, "网格员小周")
        grid_rows = list(csv.DictReader(io.StringIO((await (await client.get("/reports/ledger.csv")).read())
                                                    .decode("utf-8-sig"))))
        assert [r["id"] for r in grid_rows] == [mine]
        await log_in(bot, client, "区指挥部小王")
        everything = (await (await client.get("/reports/ledger.csv")).read()).decode("utf-8-sig")
        assert {r["id"] for r in csv.DictReader(io.StringIO(everything))} == {mine, other_grid, other_group}


async def test_the_xlsx_ledger_opens_with_chinese_headers(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        code = await file_ticket(bot)
        await log_in(bot, client, "刘主任")
        response = await client.get("/reports/ledger.xlsx")
        assert response.status == 200 and "spreadsheetml" in response.headers["Content-Type"]
        book = openpyxl.load_workbook(io.BytesIO(await response.read()))
        sheet = book["工单台账"]
        assert sheet["A1"].value == "编号" and sheet["A2"].value == code
        assert (await bot.app.store.audit.latest(limit=1))[0].target == "工单台账 xlsx"


async def test_a_pages_three_charts_are_drawn_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import charts

    drawn: list[str] = []
    real = charts.draw_all

    def counting(data: charts.ChartData) -> list[bytes]:
        drawn.append(data.scope)
        return real(data)

    monkeypatch.setattr(charts, "draw_all", counting)
    async with dashboard(tmp_path) as (bot, client):
        await busy_week(bot)
        await log_in(bot, client, "区指挥部小王")
        for n in (1, 2, 3):
            assert (await client.get(f"/reports/chart/{n}.png?kind=daily")).status == 200
            bot.clock.advance(seconds=5)  # the running day's end moves; the drawing is shared
        assert drawn == ["全部"]
        assert (await client.get("/reports/chart/1.png?kind=daily&group=xingfu")).status == 200
        assert drawn == ["全部", "幸福小区居民群"]
