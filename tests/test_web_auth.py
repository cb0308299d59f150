"""Every request: a live session, the person's chat role now, a CSRF token on every POST."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.harness import BASE_TOML
from tests.web_setup import dashboard, file_ticket, link_for, log_in


async def test_pages_need_a_session(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (_, client):
        for path in ("/", "/tickets", "/tickets/E1", "/notices", "/notices/N1/receipts"):
            response = await client.get(path)
            assert response.status == 401 and "发送「登录」" in await response.text(), path
        forged = await client.get("/", cookies={"gridbot_session": "guess"})
        assert forged.status == 401


async def test_post_without_the_csrf_token_is_refused(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        code = await file_ticket(bot)
        csrf = await log_in(bot, client, "李书记")
        for data in ({"verb": "完成"}, {"verb": "完成", "csrf": "forged" + csrf}):
            refused = await client.post(f"/tickets/{code}", data=data)
            assert refused.status == 403 and "已过期或来自其他网站" in await refused.text()
        ticket = await bot.app.store.tickets.get(code)
        assert ticket is not None and ticket.status == "open"
        ok = await client.post(f"/tickets/{code}", data={"verb": "完成", "csrf": csrf})
        assert ok.status == 200 and "已完成" in await ok.text()


async def test_security_headers(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await log_in(bot, client, "李书记")
        response = await client.get("/")
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        css = await client.get("/static/style.css")
        assert css.status == 200 and "max-width" in await css.text()


async def test_cookie_is_secure_behind_https(tmp_path: Path) -> None:
    toml = BASE_TOML + '\n[web]\nbase_url = "https://gridbot.example.org"\n'
    async with dashboard(tmp_path, toml) as (bot, client):
        replies = await bot.say("@", "李书记", "登录")
        assert "https://gridbot.example.org/login/" in replies[0].text
        path = replies[0].text.split("https://gridbot.example.org", 1)[1].split()[0]
        response = await client.post(path, allow_redirects=False)
        assert "Secure" in response.headers["Set-Cookie"]


async def test_a_person_who_lost_their_role_is_refused(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        await log_in(bot, client, "李书记")
        group = bot.app.directory.group("xingfu")
        assert group is not None
        # bot.toml changed after they logged in: the group has another owner now.
        bot.app.directory._add(dataclasses.replace(group, owners=("新书记",)))
        response = await client.get("/")
        assert response.status == 403 and "不是群主" in await response.text()


async def test_posts_from_another_site_are_refused(tmp_path: Path) -> None:
    async with dashboard(tmp_path) as (bot, client):
        path = await link_for(bot, "李书记")
        for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
            forced = await client.post(path, headers=headers, allow_redirects=False)
            assert forced.status == 403 and "其他网站" in await forced.text()
        own = await client.post(path, headers={"Origin": f"http://{client.host}:{client.port}"},
                                allow_redirects=False)
        assert own.status == 303
