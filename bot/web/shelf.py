"""What the rumour library and the policy Q&A pages share: staff edit, owners read; saving a
form row (a new entry, which may replace an old one) and retiring an entry, each audited."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from aiohttp import web

from bot.directory import Role
from bot.services import Services
from bot.text import one_line
from bot.web.login import actor
from bot.web.pages import message, services, viewer


class ListPage(Protocol):
    """A shelf's list page, with what to say above it, the form's draft and the HTTP status."""

    def __call__(self, request: web.Request, said: list[str] | None = None,
                 draft: dict[str, str] | None = None, status: int = 200) -> Awaitable[web.StreamResponse]: ...


@dataclass(frozen=True)
class Shelf:
    """One collection of entries (谣言库, 问答库): how to read, add and retire its entries."""

    name: str
    list_page: ListPage
    #: A form's fields as the importer's row: the entry, or why not.
    parse_row: Callable[[Services, dict[str, str]], Any]
    learn: Callable[[Services, Any, datetime], Awaitable[bool]]
    #: Retire an entry by id; the retired entry's text (its claim or question), None if no such id.
    retire: Callable[[Services, str, datetime], Awaitable[str | None]]
    text_of: Callable[[Any], str]
    add_action: str
    retire_action: str


def may_read(request: web.Request, shelf: Shelf) -> web.Response | None:
    """Owners and staff may look; others get a page saying so."""
    if viewer(request).role < Role.OWNER:
        return message(request, shelf.name, [f"{shelf.name}只有群主和指挥部工作人员可以查看。"], status=403)
    return None


def may_edit(request: web.Request, shelf: Shelf) -> web.Response | None:
    """Staff keep the shelf."""
    if not viewer(request).is_staff:
        return message(request, shelf.name, [f"{shelf.name}由指挥部工作人员维护。"], status=403)
    return None


async def save(request: web.Request, shelf: Shelf, draft: dict[str, str]) -> web.StreamResponse:
    """Add the form's entry; ``draft["replaces"]`` names the entry it edits, retired with it."""
    refused = may_edit(request, shelf)
    if refused:
        return refused
    svc, who = services(request), viewer(request)
    data = shelf.parse_row(svc, draft)
    if isinstance(data, str):
        return await shelf.list_page(request, [data], draft, status=400)
    old, now = draft.get("replaces", ""), svc.now()
    async with svc.store.tx():
        if not await shelf.learn(svc, data, now):
            return await shelf.list_page(request, [f"编号 {data.id} 已在{shelf.name}中，请换一个编号。"], draft,
                                         status=400)
        detail = f"新增：{one_line(shelf.text_of(data), 60)}"
        if old and await shelf.retire(svc, old, now) is not None:
            detail = f"修改 {old} 为 {data.id}（{old} 已停用）：{one_line(shelf.text_of(data), 60)}"
        await svc.store.audit.record(actor(who.person), shelf.add_action, data.id, detail, now)
    return await shelf.list_page(request, [f"已保存 {data.id}" + (f"，{old} 已停用" if old else "") + "。"])


async def retire(request: web.Request, shelf: Shelf) -> web.StreamResponse:
    """POST ``…/<id>/retire``: never answer with it again."""
    refused = may_edit(request, shelf)
    if refused:
        return refused
    svc, who = services(request), viewer(request)
    entry_id, now = request.match_info["id"], svc.now()
    async with svc.store.tx():
        text = await shelf.retire(svc, entry_id, now)
        if text is not None:
            await svc.store.audit.record(actor(who.person), shelf.retire_action, entry_id, one_line(text, 60), now)
    if text is None:
        return await shelf.list_page(request, [f"{shelf.name}里没有这个编号。"], status=404)
    return await shelf.list_page(request, [f"已停用 {entry_id}，之后不再用它答复。"])
