"""The rumour library page (谣言库): list, add, edit (a new entry replaces the old), retire, import.

Staff keep the library; owners may read it. A form row goes through the importer's own
validation (``bot.rumor_file``), and additions and retirements go through ``bot.rumors``, so
the running bot's match index changes at once, as after a verdict in chat.
"""

from __future__ import annotations

import json
from datetime import datetime

from aiohttp import web

from bot import rumors
from bot.rumor_file import FORMAT_HINT, parse
from bot.services import Services
from bot.store.rumors import VERDICTS, RumorData, RumorEntry
from bot.web import shelf
from bot.web.pages import message, render, services, viewer
from bot.web.uploads import import_upload

#: Entries on the page; the whole library is in ``gridbot rumors list``.
SHOWN = 500
FIELDS = ("id", "claim", "verdict", "refutation", "source", "published_at")
VERDICT_WORDS = {v: rumors.VERDICT_WORDS[v] for v in VERDICTS}


async def list_page(request: web.Request, said: list[str] | None = None,
                    draft: dict[str, str] | None = None, status: int = 200) -> web.StreamResponse:
    """``/library``: the entries, oldest first, and (for staff) the forms."""
    refused = shelf.may_read(request, SHELF)
    if refused:
        return refused
    svc = services(request)
    everything = request.query.get("all") == "1"
    entries: list[RumorEntry] = []
    async for entry in svc.store.rumors.scan(include_retired=everything):
        entries.append(entry)
        if len(entries) >= SHOWN:
            break
    return render(request, "library.html", entries=entries, said=said or [], draft=draft or {},
                  verdicts=VERDICT_WORDS, editable=viewer(request).is_staff, everything=everything,
                  shown=SHOWN, hint=FORMAT_HINT, status=status)


def _row(svc: Services, draft: dict[str, str]) -> RumorData | str:
    row = {k: draft.get(k, "") for k in FIELDS}
    parsed = parse(json.dumps(row, ensure_ascii=False), csv_file=False, today=svc.now().date())
    return parsed.errors[0][1] if parsed.errors else parsed.rows[0]


async def _retire(svc: Services, entry_id: str, now: datetime) -> str | None:
    entry = await rumors.retire(svc.store, svc.rumors, entry_id, now)
    return entry.data.claim if entry else None


async def _learn(svc: Services, data: RumorData, now: datetime) -> bool:
    return await rumors.learn(svc.store, svc.rumors, data, now)


SHELF = shelf.Shelf("谣言库", list_page, _row, _learn, _retire, lambda d: str(d.claim),
                    "rumors_add", "rumors_retire")


async def add(request: web.Request) -> web.StreamResponse:
    """POST ``/library``: one entry from the form (``replaces``: the entry it edits, retired)."""
    form = await request.post()
    return await shelf.save(request, SHELF, {k: str(form.get(k, "")).strip() for k in (*FIELDS, "replaces")})


async def retire(request: web.Request) -> web.StreamResponse:
    """POST ``/library/L1/retire``."""
    return await shelf.retire(request, SHELF)


async def edit_page(request: web.Request) -> web.StreamResponse:
    """``/library/L1``: the form filled with an entry, saved under a new id."""
    refused = shelf.may_edit(request, SHELF)
    if refused:
        return refused
    entry = await services(request).store.rumors.get(request.match_info["id"])
    if entry is None:
        return message(request, "没有找到", ["谣言库里没有这个编号。"], status=404)
    d = entry.data
    draft = {"id": "", "claim": d.claim, "verdict": d.verdict, "refutation": d.refutation,
             "source": d.source, "published_at": d.published_at.isoformat()}
    return render(request, "entry_edit.html", entry=entry, draft=draft, back="/library", back_label="谣言库",
                  form="rumor_form.html", verdicts=VERDICT_WORDS)


async def import_file(request: web.Request) -> web.StreamResponse:
    """POST ``/library/import``: a JSON Lines or CSV file, as ``gridbot rumors import``."""
    refused = shelf.may_edit(request, SHELF)
    if refused:
        return refused
    svc = services(request)
    today = svc.now().date()
    said, status = await import_upload(
        request, parse_text=lambda text, csv: parse(text, csv_file=csv, today=today),
        add_many=svc.store.rumors.add_many, action="rumors_import", hint=FORMAT_HINT)
    return await list_page(request, said, status=status)
