"""A harness bot with its dashboard under aiohttp's test client, and logging in as someone."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.web.app import make_app
from tests.harness import BASE_TOML, Bot

#: A login link: the token is URL-safe base64 (secrets.token_urlsafe).
LINK = re.compile(r"https?://[A-Za-z0-9.:-]+/login/[A-Za-z0-9_-]+")
Client = TestClient[web.Request, web.Application]
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@asynccontextmanager
async def dashboard(tmp_path: Path, toml: str = BASE_TOML) -> AsyncIterator[tuple[Bot, Client]]:
    """The bot and a client of its dashboard (cookies kept between requests)."""
    bot = await Bot.start(tmp_path, toml)
    client = TestClient(TestServer(make_app(bot.app.services, bot.app.dispatcher)))
    await client.start_server()
    try:
        yield bot, client
    finally:
        await client.close()
        await bot.close()


async def link_for(bot: Bot, user: str) -> str:
    """The path of the login link ``user`` gets for ``登录`` in private chat."""
    replies = await bot.say("@", user, "登录")
    found = LINK.search(replies[0].text)
    assert found, replies[0].text
    return urlsplit(found.group(0)).path


async def log_in(bot: Bot, client: Client, user: str) -> str:
    """Log ``user`` in through a chat link, as a browser does; returns the pages' CSRF token."""
    response = await client.post(await link_for(bot, user), allow_redirects=False)
    assert response.status == 303, await response.text()
    page = await client.get("/tickets")
    found = CSRF.search(await page.text())
    assert found
    return found.group(1)


async def file_ticket(bot: Bot, text: str = "代买：降压药两盒 5栋302", group: str = "幸福小区居民群",
                      user: str = "张阿姨") -> str:
    """A resident's request; returns the ticket's code."""
    replies = await bot.say(group, user, text)
    code = re.search(r"\b([A-Z]\d+)\b", replies[0].text)
    assert code, replies[0].text
    return code.group(1)
