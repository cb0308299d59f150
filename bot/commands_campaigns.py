"""``gridbot campaigns report C1 --format json|csv|xlsx``: a campaign's result for follow-up calls.

JSON is ``{"code","title","households","answered","options":{option: count},"missing":[{"address",
"head","phone"}]}``. CSV and XLSX list every household of the campaign's groups with its answer
(a secret vote shows only that the household voted), XLSX with a summary sheet first.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import AsyncIterator
from typing import Any

from bot import export
from bot.audit import cli_actor
from bot.config import Config
from bot.notices import parse_code
from bot.store import Store
from bot.store.campaigns import Answer, Campaign

SHEET_FIELDS = ("group", "address", "head", "phone", "answer", "people", "name", "answered_at")


async def summary(store: Store, c: Campaign) -> dict[str, Any]:
    """The JSON report: counts over all groups and every missing household."""
    t = await store.campaigns.tally(c.id, c.group_keys)
    missing = await store.campaigns.missing(c.id, c.group_keys)
    return {"code": c.code, "title": c.title, "households": t.households, "answered": t.answered,
            "options": {o: t.options.get(o, (0, 0))[0] for o in c.options},
            "missing": [{"address": h.address, "head": h.head, "phone": h.phone} for h in missing]}


def _answer_cells(c: Campaign, a: Answer | None, tz: Any) -> list[Any]:
    if a is None:
        return ["", "", "", ""]
    shown = "已投票" if c.kind == "vote" and c.secret else a.option
    return [shown, a.people, a.name, f"{a.answered_at.astimezone(tz):%Y-%m-%d %H:%M}"]


async def sheet_rows(store: Store, c: Campaign, tz: Any) -> AsyncIterator[list[Any]]:
    """Every household with its answer, then answers from groups without a register."""
    async for h, a in store.campaigns.sheet(c.id, c.group_keys):
        yield [h.group_key, h.address, h.head, h.phone, *_answer_cells(c, a, tz)]
    for a in await store.campaigns.answers(c.id, c.group_keys):
        if a.household_id is None:
            yield [a.group_key, a.address, "", "", *_answer_cells(c, a, tz)]


async def render(store: Store, c: Campaign, fmt: str, tz: Any) -> bytes:
    """The report in one format."""
    if fmt == "json":
        return (json.dumps(await summary(store, c), ensure_ascii=False) + "\n").encode()
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(SHEET_FIELDS)
        async for row in sheet_rows(store, c, tz):
            writer.writerow(row)
        return buf.getvalue().encode("utf-8-sig")  # Excel opens BOM-marked UTF-8 as UTF-8
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    head = wb.create_sheet("汇总")
    report = await summary(store, c)
    for row in (["编号", c.code], ["标题", c.title], ["住户", report["households"]],
                ["已回复", report["answered"]], *([o, n] for o, n in report["options"].items())):
        head.append(row)
    homes = wb.create_sheet("住户")
    homes.append(list(SHEET_FIELDS))
    async for row in sheet_rows(store, c, tz):
        homes.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def report(args: argparse.Namespace, config: Config) -> int:
    """Print or write one campaign's report; the export is recorded in the audit log."""
    from bot.commands import open_app

    parsed = parse_code(args.code, "C")
    if parsed is None or parsed[1]:
        print(f"「{args.code}」不是接龙编号，请写成 C1 的样子", file=sys.stderr)
        return 2
    if args.format == "xlsx" and args.out is None:
        print("xlsx 需要用 --out 指定文件 (xlsx needs --out FILE)", file=sys.stderr)
        return 2
    app = await open_app(config)
    try:
        c = await app.store.campaigns.get(int(parsed[0][1:]))
        if c is None:
            print(f"没有找到 {parsed[0]}", file=sys.stderr)
            return 1
        export.write(await render(app.store, c, args.format, config.tz), args.out)
        async with app.store.tx():  # a report names households and phones: who took it, when
            await app.store.audit.record(cli_actor(), "export", c.code,
                                         f"导出接龙报告 {args.format} 到 {args.out or '标准输出'}", app.now())
    finally:
        await app.close()
    return 0
