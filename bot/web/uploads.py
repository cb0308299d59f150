"""A file sent with a form: its name and UTF-8 text, or a Chinese reason it cannot be read."""

from __future__ import annotations

from aiohttp import web

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
