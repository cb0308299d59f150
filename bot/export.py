"""Ticket ledgers (台账) for staff: JSON, CSV that spreadsheets open with Chinese intact, XLSX."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import stat
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO
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
#: How wide each column's content usually is (times: "2026-01-01 00:00"; codes: "E1000000").
TYPICAL_WIDTH = {"id": 8, "created_at": 16, "updated_at": 16, "closed_at": 16, "text": 40,
                 "address": 24, "rating_comment": 20, "closing_note": 24, "group": 16}


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
    return _whole("json", rows)


#: CSV columns beside the documented codes: the Chinese words the chat shows.
LABELLED = ("kind", "category", "priority", "status", "verdict")
CSV_FIELDS = (*FIELDS, *(f"{f}_label" for f in LABELLED))


def to_csv(rows: list[LedgerRow]) -> bytes:
    """CSV in UTF-8 with a BOM so Excel and WPS open the Chinese correctly.

    The documented columns keep their codes (``kind`` is a key of bot.kinds: errand, verification…) for
    scripts; ``*_label`` columns carry the Chinese words for people.
    """
    return _whole("csv", rows)


def display_width(value: Any) -> int:
    """Columns a value takes on screen: CJK characters are two wide."""
    if isinstance(value, datetime):
        return len("2026-01-01 00:00")
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def to_xlsx(rows: list[LedgerRow]) -> bytes:
    """A workbook with Chinese headers and labels, date cells, a frozen filtered header row."""
    return _whole("xlsx", rows)


def render_ledger(rows: list[LedgerRow], fmt: str) -> bytes:
    """Rows in the requested format."""
    return _whole(fmt, rows)


def _whole(fmt: str, rows: list[LedgerRow]) -> bytes:
    buf = io.BytesIO()
    ledger = Ledger(fmt, buf)
    ledger.add(rows)
    ledger.close()
    return buf.getvalue()


class Ledger:
    """A ledger written as its rows arrive, page by page, in constant memory: CSV and JSON go
    straight to the file, XLSX through openpyxl's write-only sheet (rows kept on disk)."""

    def __init__(self, fmt: str, out: BinaryIO) -> None:
        self.fmt, self.out, self.count = fmt, out, 0
        if fmt == "csv":
            self.text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
            self.csv = csv.DictWriter(self.text, fieldnames=CSV_FIELDS, lineterminator="\r\n")
            self.csv.writeheader()
        elif fmt == "json":
            out.write(b"[")
        else:
            self._open_sheet()

    def _open_sheet(self) -> None:
        # One untyped import (mypy's override names the package, not its submodules).
        import openpyxl

        self.xl = openpyxl
        self.wb = openpyxl.Workbook(write_only=True)
        self.ws = self.wb.create_sheet("工单台账")
        # A streamed sheet is laid out before its rows are read: widths follow each column's
        # kind of content (codes, times, capped free text), not its longest value.
        for i, (field, header) in enumerate(COLUMNS, start=1):
            letter = openpyxl.utils.get_column_letter(i)
            widest = max(display_width(header), TYPICAL_WIDTH.get(field, 10))
            self.ws.column_dimensions[letter].width = min(widest, MAX_WIDTH.get(field, 30)) + 2
        self.ws.freeze_panes = "A2"
        bold = openpyxl.styles.Font(bold=True)
        self.wrap = openpyxl.styles.Alignment(wrap_text=True, vertical="top")
        self.ws.append([self._cell(h, font=bold) for h in HEADERS_CN])

    def _cell(self, value: Any, **style: Any) -> Any:
        cell = self.xl.cell.WriteOnlyCell(self.ws, value=value)
        for name, v in style.items():
            setattr(cell, name, v)
        return cell

    def add(self, rows: list[LedgerRow]) -> None:
        """Write one page of rows."""
        for row in rows:
            if self.fmt == "csv":
                labelled = row.labelled()
                values = {**row.raw(), **{f"{f}_label": labelled[f] for f in LABELLED}}
                self.csv.writerow({f: "" if v is None else v for f, v in values.items()})
            elif self.fmt == "json":
                item = json.dumps(row.raw(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
                self.out.write(((",\n  " if self.count else "\n  ") + item).encode("utf-8"))
            else:
                values = row.labelled()
                self.ws.append([self._style(f, values[f]) for f in FIELDS])
            self.count += 1

    def _style(self, field: str, value: Any) -> Any:
        if isinstance(value, datetime):
            return self._cell(value, number_format=XLSX_TIME_FORMAT)
        return self._cell(value, alignment=self.wrap) if field in WRAPPED else value

    def close(self) -> None:
        """Finish the file (the JSON list's end, the workbook's zip)."""
        if self.fmt == "csv":
            self.text.flush()
            self.text.detach()
        elif self.fmt == "json":
            self.out.write(b"\n]\n" if self.count else b"]\n")
        else:
            last = self.xl.utils.get_column_letter(len(COLUMNS))
            self.ws.auto_filter.ref = f"A1:{last}{self.count + 1}"
            self.wb.save(self.out)


@contextlib.contextmanager
def opened(out: Path | None) -> Iterator[BinaryIO]:
    """A file readable by its owner only (0600), or stdout when ``out`` is None."""
    if out is None:
        yield sys.stdout.buffer
        sys.stdout.flush()
        return
    out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # A ledger names residents, their addresses and phones: never world-readable, even
    # when it replaces an older export that was.
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        if stat.S_ISREG(os.fstat(fd).st_mode):  # not /dev/stdout or a pipe
            os.fchmod(fd, 0o600)
        yield f


def write(data: bytes, out: Path | None) -> None:
    """Write to a file readable by its owner only (0600), or to stdout when ``out`` is None."""
    with opened(out) as f:
        f.write(data)
