"""Login without passwords: 登录 gives a one-time link; it opens one session, expires, is rate-limited."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.web.login import LINKS_PER_HOUR
from tests.web_setup import dashboard, link_for, log_in


async def test_link_opens_a_session_with_a_strict_httponly_cookie(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        path = await link_for(bot, "李书记")
        page = await client.get(path)  # a chat app's link preview: shows a button, spends nothing
        assert page.status == 200 and "登录" in await page.text()
        response = await client.post(path, allow_redirects=False)
        assert response.status == 303
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
        overview = await client.get("/")
        assert overview.status == 200 and "李书记" in await overview.text()


async def test_link_works_once(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        path = await link_for(bot, "李书记")
        assert (await client.post(path, allow_redirects=False)).status == 303
        again = await client.post(path, allow_redirects=False)
        assert again.status == 403 and "已经用过" in await again.text()


async def test_link_expires_after_ten_minutes(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        path = await link_for(bot, "李书记")
        bot.clock.advance(minutes=10, seconds=1)
        late = await client.post(path, allow_redirects=False)
        assert late.status == 403 and "已过期" in await late.text()
        unknown = await client.post("/login/not-a-token", allow_redirects=False)
        assert unknown.status == 403 and "无效" in await unknown.text()


async def test_links_are_rate_limited(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, _):
        for _ in range(LINKS_PER_HOUR):
            await link_for(bot, "李书记")
        refused = await bot.say("@", "李书记", "登录")
        assert "最多领取" in refused[0].text and "/login/" not in refused[0].text
        bot.clock.advance(hours=1, seconds=1)
        await link_for(bot, "李书记")


async def test_only_hashes_are_stored(tmp_path: Path) -> None:
    """The session id is nowhere; the link only in the sent reply (outbox), useless once spent."""
    async with dashboard(tmp_path) as (bot, client):
        path = await link_for(bot, "李书记")
        response = await client.post(path, allow_redirects=False)
        session = response.cookies["gridbot_session"].value
        token = path.rsplit("/", 1)[1]
        db = sqlite3.connect(bot.app.config.database)
        assert session not in "\n".join(db.iterdump())
        web_rows = str(db.execute("SELECT * FROM web_logins").fetchall())
        web_rows += str(db.execute("SELECT * FROM web_sessions").fetchall())
        assert token not in web_rows and session not in web_rows and len(web_rows) > 100


async def test_residents_get_no_link(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, _):
        replies = await bot.say("@", "张阿姨", "登录")
        assert "/login/" not in replies[0].text and "只有" in replies[0].text


async def test_logout_in_chat_ends_the_session(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await log_in(bot, client, "李书记")
        replies = await bot.say("@", "李书记", "退出登录")
        assert "已退出网页登录（1 个浏览器）" in replies[0].text
        assert (await client.get("/")).status == 401
        again = await bot.say("@", "李书记", "退出登录")
        assert "没有登录" in again[0].text


async def test_logout_on_the_page(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        csrf = await log_in(bot, client, "李书记")
        out = await client.post("/logout", data={"csrf": csrf})
        assert out.status == 200 and "已退出" in await out.text()
        assert (await client.get("/tickets")).status == 401


async def test_logins_are_in_the_audit_log(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await log_in(bot, client, "李书记")
        entries = await bot.app.store.audit.latest(limit=10)
        assert {"web_link", "web_login"} <= {e.action for e in entries}


async def test_sessions_expire(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await log_in(bot, client, "李书记")
        bot.clock.advance(hours=bot.app.config.web.session_hours, seconds=1)
        assert (await client.get("/")).status == 401


async def test_help_names_the_login(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, _):
        card = await bot.say("@", "李书记", "帮助")
        assert "登录　领取网页登录链接" in card[0].text
