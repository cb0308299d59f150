"""A file sent with a form: its name and UTF-8 text, or a Chinese reason it cannot be read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from aiohttp import web

from bot.web.login import actor
from bot.web.pages import services, viewer

#: Library and Q&A files are a few hundred lines; the server refuses bodies over 1 MiB.
NOT_UTF8 = "文件不是 UTF-8 编码（可能是 GBK/ANSI）。请另存为 UTF-8 后再上传：记事本「另存为」→ 编码选 UTF-8。"


async def uploaded_text(request: web.Request) -> tuple[str, str] | str:
    """The ``file`` field of a multipart form."""
    field = (await request.post()).get("file")
    if not isinstance(field, web.FileField):
        return "请选择要导入的文件（JSON Lines 或 CSV）。"
    data = field.file.read()
    try:
        return field.filename or "upload", data.decode("utf-8-sig")  # Notepad may add a BOM
    except UnicodeDecodeError:
        return NOT_UTF8


def import_summary(added: int, errors: Sequence[tuple[int, str]], taken: Sequence[str], hint: str) -> list[str]:
    """The lines a page shows after an import: counts, bad rows by line, ids already there."""
    said = [f"已导入 {added} 条；有问题未导入 {len(errors)} 行；编号重复 {len(taken)} 条。"]
    said += [f"第 {line} 行：{why}" for line, why in errors[:10]]
    if taken:
        said.append("已在库中、未导入的编号：" + "、".join(taken[:20]))
    if added == 0 and not errors and not taken:
        said.append(f"文件里没有记录。{hint}")
    return said


class ParsedFile(Protocol):
    """What a library file parser returns (``bot.rumor_file`` and ``bot.faq_file``)."""

    @property
    def rows(self) -> Sequence[Any]: ...

    @property
    def errors(self) -> Sequence[tuple[int, str]]: ...


async def import_upload(request: web.Request, *, parse_text: Callable[[str, bool], ParsedFile],
                        add_many: Callable[[Sequence[Any], datetime], Awaitable[list[str]]],
                        action: str, hint: str) -> tuple[list[str], int]:
    """Read the uploaded file, add its good rows in one transaction with the audit entry, as the
    CLI's import does; the lines to show and the HTTP status."""
    svc, who = services(request), viewer(request)
    upload = await uploaded_text(request)
    if isinstance(upload, str):
        return [upload], 400
    name, text = upload
    now = svc.now()
    parsed = parse_text(text, name.lower().endswith(".csv"))
    async with svc.store.tx():
        taken = await add_many(parsed.rows, now) if parsed.rows else []
        added = len(parsed.rows) - len(taken)
        if added:
            await svc.store.audit.record(actor(who.person), action, name,
                                         f"导入 {added} 条，跳过 {len(parsed.errors) + len(taken)} 条", now)
    return import_summary(added, parsed.errors, taken, hint), 200 if added or not parsed.errors else 400
