"""The policy Q&A page (政策问答): list, add, edit (a new entry replaces the old), retire, import.

Staff keep the entries; owners may read them. A form row goes through the importer's own
validation (``bot.faq_file``); retiring ends an entry's validity yesterday, so the bot stops
answering with it at once (every process rebuilds its index when the version moves).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from aiohttp import web

from bot import faq
from bot.faq_file import FORMAT_HINT, parse
from bot.services import Services
from bot.store.faq import FaqData, FaqEntry
from bot.web import shelf
from bot.web.pages import message, render, services, viewer
from bot.web.uploads import import_upload

SHOWN = 500
FIELDS = ("id", "question", "answer", "source", "published_at", "valid_until", "scope")


async def list_page(request: web.Request, said: list[str] | None = None,
                    draft: dict[str, str] | None = None, status: int = 200) -> web.StreamResponse:
    """``/faq``: the entries, oldest first (expired ones marked), and (for staff) the forms."""
    refused = shelf.may_read(request, SHELF)
    if refused:
        return refused
    svc = services(request)
    entries: list[FaqEntry] = []
    async for entry in svc.store.faq.scan():
        entries.append(entry)
        if len(entries) >= SHOWN:
            break
    return render(request, "faq.html", entries=entries, said=said or [], draft=draft or {},
                  editable=viewer(request).is_staff, today=svc.now().date(), shown=SHOWN,
                  hint=FORMAT_HINT, groups=svc.directory.groups, status=status)


def _row(svc: Services, draft: dict[str, str]) -> FaqData | str:
    row: dict[str, object] = {k: draft[k] for k in FIELDS if draft.get(k)}
    row["variants"] = [v.strip() for v in draft.get("variants", "").splitlines() if v.strip()]
    parsed = parse(json.dumps(row, ensure_ascii=False), csv_file=False, today=svc.now().date(),
                   groups={g.key for g in svc.directory.groups})
    return parsed.errors[0][1] if parsed.errors else parsed.rows[0]


async def _retire(svc: Services, entry_id: str, now: datetime) -> str | None:
    entry = await svc.store.faq.expire(entry_id, now.date() - timedelta(days=1))
    return entry.data.question if entry else None


async def _learn(svc: Services, data: FaqData, now: datetime) -> bool:
    return await faq.learn(svc.store, svc.faq, data, now)


SHELF = shelf.Shelf("问答库", list_page, _row, _learn, _retire, lambda d: str(d.question),
                    "faq_add", "faq_retire")


async def add(request: web.Request) -> web.StreamResponse:
    """POST ``/faq``: one entry from the form; ``replaces`` names the entry it edits (retired)."""
    form = await request.post()
    return await shelf.save(request, SHELF,
                            {k: str(form.get(k, "")).strip() for k in (*FIELDS, "variants", "replaces")})


async def retire(request: web.Request) -> web.StreamResponse:
    """POST ``/faq/P1/retire``: valid until yesterday, so never used again."""
    return await shelf.retire(request, SHELF)


async def edit_page(request: web.Request) -> web.StreamResponse:
    """``/faq/P1``: the form filled with an entry, saved under a new id."""
    refused = shelf.may_edit(request, SHELF)
    if refused:
        return refused
    svc = services(request)
    entry = await svc.store.faq.get(request.match_info["id"])
    if entry is None:
        return message(request, "没有找到", ["问答库里没有这个编号。"], status=404)
    d = entry.data
    draft = {"id": "", "question": d.question, "variants": "\n".join(d.variants), "answer": d.answer,
             "source": d.source, "published_at": d.published_at.isoformat(),
             "valid_until": d.valid_until.isoformat() if d.valid_until else "", "scope": d.scope}
    return render(request, "entry_edit.html", entry=entry, draft=draft, groups=svc.directory.groups,
                  back="/faq", back_label="政策问答", form="faq_form.html")


async def import_file(request: web.Request) -> web.StreamResponse:
    """POST ``/faq/import``: a JSON Lines or CSV file, as ``gridbot faq import``."""
    refused = shelf.may_edit(request, SHELF)
    if refused:
        return refused
    svc = services(request)
    today, groups = svc.now().date(), {g.key for g in svc.directory.groups}
    said, status = await import_upload(
        request, parse_text=lambda text, csv: parse(text, csv_file=csv, today=today, groups=groups),
        add_many=svc.store.faq.add_many, action="faq_import", hint=FORMAT_HINT)
    return await list_page(request, said, status=status)
