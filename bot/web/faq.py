"""The policy Q&A page (政策问答): list, add, edit (a new entry replaces the old), retire, import.

Staff keep the entries; owners may read them. A form row goes through the importer's own
validation (``bot.faq_file``); retiring ends an entry's validity yesterday, so the bot stops
answering with it at once (every process rebuilds its index when the version moves).
"""

from __future__ import annotations

import json
from datetime import timedelta

from aiohttp import web

from bot import faq
from bot.directory import Role
from bot.faq_file import FORMAT_HINT, parse
from bot.store.faq import FaqEntry
from bot.text import one_line
from bot.web.login import actor
from bot.web.pages import message, render, services, viewer
from bot.web.uploads import import_upload

SHOWN = 500
FIELDS = ("id", "question", "answer", "source", "published_at", "valid_until", "scope")


async def list_page(request: web.Request, said: list[str] | None = None,
                    draft: dict[str, str] | None = None, status: int = 200) -> web.StreamResponse:
    """``/faq``: the entries, oldest first (expired ones marked), and (for staff) the forms."""
    svc, who = services(request), viewer(request)
    if who.role < Role.OWNER:
        return message(request, "政策问答", ["政策问答只有群主和指挥部工作人员可以查看。"], status=403)
    entries: list[FaqEntry] = []
    async for entry in svc.store.faq.scan():
        entries.append(entry)
        if len(entries) >= SHOWN:
            break
    return render(request, "faq.html", entries=entries, said=said or [], draft=draft or {},
                  editable=who.is_staff, today=svc.now().date(), shown=SHOWN, hint=FORMAT_HINT,
                  groups=svc.directory.groups, status=status)


def _staff_only(request: web.Request) -> web.Response | None:
    if not viewer(request).is_staff:
        return message(request, "政策问答", ["政策问答由指挥部工作人员维护。"], status=403)
    return None


async def add(request: web.Request) -> web.StreamResponse:
    """POST ``/faq``: one entry from the form; ``replaces`` names the entry it edits (retired)."""
    refused = _staff_only(request)
    if refused:
        return refused
    svc, who = services(request), viewer(request)
    form = await request.post()
    draft = {k: str(form.get(k, "")).strip() for k in (*FIELDS, "variants")}
    row: dict[str, object] = {k: draft[k] for k in FIELDS if draft[k]}
    row["variants"] = [v.strip() for v in draft["variants"].splitlines() if v.strip()]
    now = svc.now()
    parsed = parse(json.dumps(row, ensure_ascii=False), csv_file=False, today=now.date(),
                   groups={g.key for g in svc.directory.groups})
    if parsed.errors:
        return await list_page(request, [parsed.errors[0][1]], draft, status=400)
    data = parsed.rows[0]
    old = str(form.get("replaces", ""))
    async with svc.store.tx():
        if not await faq.learn(svc.store, svc.faq, data, now):
            return await list_page(request, [f"编号 {data.id} 已在问答库中，请换一个编号。"], draft, status=400)
        detail = f"新增：{one_line(data.question, 60)}"
        if old and await svc.store.faq.expire(old, now.date() - timedelta(days=1)) is not None:
            detail = f"修改 {old} 为 {data.id}（{old} 已停用）：{one_line(data.question, 60)}"
        await svc.store.audit.record(actor(who.person), "faq_add", data.id, detail, now)
    return await list_page(request, [f"已保存 {data.id}" + (f"，{old} 已停用" if old else "") + "。"])


async def edit_page(request: web.Request) -> web.StreamResponse:
    """``/faq/P1``: the form filled with an entry, saved under a new id."""
    refused = _staff_only(request)
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


async def retire(request: web.Request) -> web.StreamResponse:
    """POST ``/faq/P1/retire``: valid until yesterday, so never used again."""
    refused = _staff_only(request)
    if refused:
        return refused
    svc, who = services(request), viewer(request)
    entry_id, now = request.match_info["id"], svc.now()
    async with svc.store.tx():
        entry = await svc.store.faq.expire(entry_id, now.date() - timedelta(days=1))
        if entry is not None:
            await svc.store.audit.record(actor(who.person), "faq_retire", entry_id,
                                         one_line(entry.data.question, 60), now)
    if entry is None:
        return await list_page(request, ["问答库里没有这个编号。"], status=404)
    return await list_page(request, [f"已停用 {entry_id}，之后不再用它答复。"])


async def import_file(request: web.Request) -> web.StreamResponse:
    """POST ``/faq/import``: a JSON Lines or CSV file, as ``gridbot faq import``."""
    refused = _staff_only(request)
    if refused:
        return refused
    svc = services(request)
    today, groups = svc.now().date(), {g.key for g in svc.directory.groups}
    said, status = await import_upload(
        request, parse_text=lambda text, csv: parse(text, csv_file=csv, today=today, groups=groups),
        add_many=svc.store.faq.add_many, action="faq_import", hint=FORMAT_HINT)
    return await list_page(request, said, status=status)
