"""The rumour library page (谣言库): list, add, edit (a new entry replaces the old), retire, import.

Staff keep the library; owners may read it. A form row goes through the importer's own
validation (``bot.rumor_file``), and additions and retirements go through ``bot.rumors``, so
the running bot's match index changes at once, as after a verdict in chat.
"""

from __future__ import annotations

import json

from aiohttp import web

from bot import rumors
from bot.directory import Role
from bot.rumor_file import FORMAT_HINT, parse
from bot.store.rumors import VERDICTS, RumorEntry
from bot.text import one_line
from bot.web.login import actor
from bot.web.pages import message, render, services, viewer
from bot.web.uploads import import_upload

#: Entries on the page; the whole library is in ``gridbot rumors list``.
SHOWN = 500
FIELDS = ("id", "claim", "verdict", "refutation", "source", "published_at")


async def list_page(request: web.Request, said: list[str] | None = None,
                    draft: dict[str, str] | None = None, status: int = 200) -> web.StreamResponse:
    """``/library``: the entries, oldest first, and (for staff) the forms."""
    svc, who = services(request), viewer(request)
    if who.role < Role.OWNER:
        return message(request, "谣言库", ["谣言库只有群主和指挥部工作人员可以查看。"], status=403)
    everything = request.query.get("all") == "1"
    entries: list[RumorEntry] = []
    async for entry in svc.store.rumors.scan(include_retired=everything):
        entries.append(entry)
        if len(entries) >= SHOWN:
            break
    return render(request, "library.html", entries=entries, said=said or [], draft=draft or {},
                  verdicts={v: rumors.VERDICT_WORDS[v] for v in VERDICTS}, editable=who.is_staff,
                  everything=everything, shown=SHOWN, hint=FORMAT_HINT, status=status)


def _staff_only(request: web.Request) -> web.Response | None:
    if not viewer(request).is_staff:
        return message(request, "谣言库", ["谣言库由指挥部工作人员维护。"], status=403)
    return None


async def add(request: web.Request) -> web.StreamResponse:
    """POST ``/library``: one entry from the form (``replaces``: the entry it edits, retired)."""
    refused = _staff_only(request)
    if refused:
        return refused
    svc, who = services(request), viewer(request)
    form = await request.post()
    draft = {k: str(form.get(k, "")).strip() for k in FIELDS}
    now = svc.now()
    parsed = parse(json.dumps(draft, ensure_ascii=False), csv_file=False, today=now.date())
    if parsed.errors:
        return await list_page(request, [parsed.errors[0][1]], draft, status=400)
    data = parsed.rows[0]
    old = str(form.get("replaces", ""))
    async with svc.store.tx():
        if not await rumors.learn(svc.store, svc.rumors, data, now):
            return await list_page(request, [f"编号 {data.id} 已在谣言库中，请换一个编号。"], draft, status=400)
        detail = f"新增：{one_line(data.claim, 60)}"
        if old and await rumors.retire(svc.store, svc.rumors, old, now) is not None:
            detail = f"修改 {old} 为 {data.id}（{old} 已停用）：{one_line(data.claim, 60)}"
        await svc.store.audit.record(actor(who.person), "rumors_add", data.id, detail, now)
    return await list_page(request, [f"已保存 {data.id}" + (f"，{old} 已停用" if old else "") + "。"])


async def edit_page(request: web.Request) -> web.StreamResponse:
    """``/library/L1``: the form filled with an entry, saved under a new id."""
    refused = _staff_only(request)
    if refused:
        return refused
    entry = await services(request).store.rumors.get(request.match_info["id"])
    if entry is None:
        return message(request, "没有找到", ["谣言库里没有这个编号。"], status=404)
    d = entry.data
    draft = {"id": "", "claim": d.claim, "verdict": d.verdict, "refutation": d.refutation,
             "source": d.source, "published_at": d.published_at.isoformat()}
    return render(request, "entry_edit.html", entry=entry, draft=draft, back="/library", back_label="谣言库",
                  form="rumor_form.html", verdicts={v: rumors.VERDICT_WORDS[v] for v in VERDICTS})


async def retire(request: web.Request) -> web.StreamResponse:
    """POST ``/library/L1/retire``: never answer with it again."""
    refused = _staff_only(request)
    if refused:
        return refused
    svc, who = services(request), viewer(request)
    entry_id, now = request.match_info["id"], svc.now()
    async with svc.store.tx():
        entry = await rumors.retire(svc.store, svc.rumors, entry_id, now)
        if entry is not None:
            await svc.store.audit.record(actor(who.person), "rumors_retire", entry_id,
                                         one_line(entry.data.claim, 60), now)
    if entry is None:
        return await list_page(request, ["谣言库里没有这个编号。"], status=404)
    return await list_page(request, [f"已停用 {entry_id}，之后不再用它答复。"])


async def import_file(request: web.Request) -> web.StreamResponse:
    """POST ``/library/import``: a JSON Lines or CSV file, as ``gridbot rumors import``."""
    refused = _staff_only(request)
    if refused:
        return refused
    svc = services(request)
    today = svc.now().date()
    said, status = await import_upload(
        request, parse_text=lambda text, csv: parse(text, csv_file=csv, today=today),
        add_many=svc.store.rumors.add_many, action="rumors_import", hint=FORMAT_HINT)
    return await list_page(request, said, status=status)
