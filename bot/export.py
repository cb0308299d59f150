"""Ticket ledgers (台账) for staff: JSON, CSV that spreadsheets open with Chinese intact, XLSX."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import sys
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.tickets import Closing, Rating, Ticket

#: (field, Chinese header). JSON and the CSV header use the field names; XLSX the headers.
COLUMNS = (
    ("id", "编号"), ("kind", "类型"), ("category", "类别"), ("priority", "优先级"),
    ("status", "状态"), ("group", "群"), ("requester", "居民"), ("text", "内容"),
    ("address", "地址"), ("created_at", "登记时间"), ("updated_at", "更新时间"),
    ("assignee", "志愿者"), ("handler", "接单人"), ("verdict", "结论"), ("rating", "评分"),
    ("rating_comment", "评价内容"), ("closed_at", "办结时间"), ("closed_by", "办结人"),
    ("closing_note", "办结说明"), ("platform", "平台"),
)
FIELDS = tuple(f for f, _ in COLUMNS)
HEADERS_CN = tuple(h for _, h in COLUMNS)
FORMATS = ("json", "csv", "xlsx")

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
XLSX_TIME_FORMAT = "yyyy-mm-dd hh:mm"
#: Long free text wraps inside a capped column instead of stretching the sheet.
WRAPPED = frozenset({"text", "address", "rating_comment", "closing_note"})
MAX_WIDTH = {"text": 40, "address": 24, "rating_comment": 30, "closing_note": 30}


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One ticket of the ledger, with its rating, read in the configured zone."""

    ticket: Ticket
    rating: Rating | None
    closing: Closing | None
    tz: ZoneInfo

    def local(self, ts: datetime) -> datetime:
        """A naive local time: spreadsheets have no time zones."""
        return ts.astimezone(self.tz).replace(tzinfo=None)

    def raw(self) -> dict[str, Any]:
        """Machine values (kind/status codes, local time strings) for JSON."""
        t = self.ticket
        return {
            "id": t.code, "kind": t.kind, "category": t.category, "priority": t.priority,
            "status": t.status, "group": t.group_name, "requester": t.requester_name,
            "text": t.text, "address": t.address,
            "created_at": self.local(t.created_at).strftime(TIME_FORMAT),
            "updated_at": self.local(t.updated_at).strftime(TIME_FORMAT),
            "assignee": t.assignee, "handler": t.handler_name, "verdict": t.verdict,
            "rating": self.rating.score if self.rating else None,
            "rating_comment": self.rating.comment if self.rating else "",
            # Completion note, rejection reason or official statement: why it was closed.
            "closed_at": self.local(self.closing.at).strftime(TIME_FORMAT) if self.closing else "",
            "closed_by": self.closing.by if self.closing else "",
            "closing_note": self.closing.note if self.closing else "",
            "platform": t.platform,
        }

    def labelled(self) -> dict[str, Any]:
        """What staff read: the same Chinese words as the chat, real local datetimes."""
        t = self.ticket
        return {
            **self.raw(), "kind": t.kind_label, "category": t.category_label,
            "priority": t.priority_label, "status": t.status_label, "verdict": t.verdict_label,
            "created_at": self.local(t.created_at), "updated_at": self.local(t.updated_at),
            "closed_at": self.local(self.closing.at) if self.closing else None,
        }


def ledger_rows(entries: list[tuple[Ticket, Rating | None, Closing | None]], tz: ZoneInfo) -> list[LedgerRow]:
    """Store entries (ticket, rating, closing) -> ledger rows in the configured time zone."""
    return [LedgerRow(t, rating, closing, tz) for t, rating, closing in entries]


def to_json(rows: list[LedgerRow]) -> bytes:
    """A JSON list of objects with the documented field names and codes, UTF-8."""
    return (json.dumps([r.raw() for r in rows], ensure_ascii=False, indent=2) + "\n").encode("utf-8")


#: CSV columns beside the documented codes: the Chinese words the chat shows.
LABELLED = ("kind", "category", "priority", "status", "verdict")
CSV_FIELDS = (*FIELDS, *(f"{f}_label" for f in LABELLED))


def to_csv(rows: list[LedgerRow]) -> bytes:
    """CSV in UTF-8 with a BOM so Excel and WPS open the Chinese correctly.

    The documented columns keep their codes (``kind`` is a key of bot.kinds: errand, verification…) for
    scripts; ``*_label`` columns carry the Chinese words for people.
    """
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        labelled = row.labelled()
        values = {**row.raw(), **{f"{f}_label": labelled[f] for f in LABELLED}}
        writer.writerow({f: "" if v is None else v for f, v in values.items()})
    return buf.getvalue().encode("utf-8-sig")


def display_width(value: Any) -> int:
    """Columns a value takes on screen: CJK characters are two wide."""
    if isinstance(value, datetime):
        return len("2026-01-01 00:00")
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def to_xlsx(rows: list[LedgerRow]) -> bytes:
    """A workbook with Chinese headers and labels, date cells, a frozen filtered header row."""
    # One untyped import (mypy's override names the package, not its submodules).
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "工单台账"
    ws.append(HEADERS_CN)
    for cell in ws[1]:
        cell.font = openpyxl.styles.Font(bold=True)
    table = [row.labelled() for row in rows]
    for values in table:
        ws.append([values[f] for f in FIELDS])
    wrap = openpyxl.styles.Alignment(wrap_text=True, vertical="top")
    for i, (field, header) in enumerate(COLUMNS, start=1):
        letter = openpyxl.utils.get_column_letter(i)
        widest = max([display_width(header), *(display_width(v[field]) for v in table)])
        ws.column_dimensions[letter].width = min(widest, MAX_WIDTH.get(field, 30)) + 2
        for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
            if isinstance(cell.value, datetime):
                cell.number_format = XLSX_TIME_FORMAT
            elif field in WRAPPED:
                cell.alignment = wrap
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render_ledger(rows: list[LedgerRow], fmt: str) -> bytes:
    """Rows in the requested format."""
    return {"json": to_json, "csv": to_csv, "xlsx": to_xlsx}[fmt](rows)


def write(data: bytes, out: Path | None) -> None:
    """Write to a file readable by its owner only (0600), or to stdout when ``out`` is None."""
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # A ledger names residents, their addresses and phones: never world-readable, even
    # when it replaces an older export that was.
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        if stat.S_ISREG(os.fstat(fd).st_mode):  # not /dev/stdout or a pipe
            os.fchmod(fd, 0o600)
        f.write(data)
