"""Ticket ledgers (台账) for staff: JSON, CSV that spreadsheets open with Chinese intact, XLSX."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.store.base import from_db
from bot.tickets import CATEGORY_LABEL, KIND_LABEL, PRIORITY_LABEL, STATUS_LABEL

FIELDS = (
    "id", "kind", "category", "priority", "status", "group", "requester", "text", "address",
    "created_at", "updated_at", "assignee", "handler", "verdict", "rating", "platform",
)
HEADERS_CN = (
    "编号", "类型", "类别", "优先级", "状态", "群", "居民", "内容", "地址",
    "登记时间", "更新时间", "志愿者", "接单人", "结论", "评价", "平台",
)
FORMATS = ("json", "csv", "xlsx")


def ledger_rows(rows: list[dict[str, Any]], tz: ZoneInfo) -> list[dict[str, Any]]:
    """Store rows -> export rows with the documented field names and local times."""

    def local(ts: str) -> str:
        return from_db(ts).astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")

    return [
        {
            "id": r["code"], "kind": r["kind"], "category": r["category"],
            "priority": r["priority"], "status": r["status"], "group": r["group_name"],
            "requester": r["requester_name"], "text": r["text"], "address": r["address"],
            "created_at": local(r["created_at"]), "updated_at": local(r["updated_at"]),
            "assignee": r["assignee"], "handler": r["handler_name"], "verdict": r["verdict"],
            "rating": r["rating"], "platform": r["platform"],
        }
        for r in rows
    ]


def to_json(rows: list[dict[str, Any]]) -> bytes:
    """A JSON list of objects, UTF-8."""
    return (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    """CSV in UTF-8 with a BOM so Excel and WPS open the Chinese correctly."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[dict[str, Any]]) -> bytes:
    """A workbook with Chinese headers and labels, one row per ticket."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "工单台账"
    ws.append(HEADERS_CN)
    labels = {"kind": KIND_LABEL, "category": CATEGORY_LABEL, "priority": PRIORITY_LABEL,
              "status": STATUS_LABEL}
    for row in rows:
        ws.append([labels[f].get(row[f], row[f]) if f in labels else row[f] for f in FIELDS])
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render_ledger(rows: list[dict[str, Any]], fmt: str) -> bytes:
    """Rows in the requested format."""
    return {"json": to_json, "csv": to_csv, "xlsx": to_xlsx}[fmt](rows)


def write(data: bytes, out: Path | None) -> None:
    """Write to a file, or to stdout when ``out`` is None."""
    import sys

    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
