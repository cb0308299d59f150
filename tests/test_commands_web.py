"""``gridbot web`` on its own, and the dashboard inside ``gridbot run`` when ``[web] enabled``."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tests.console_process import ROOT, ConsoleRun, free_port
from tests.harness import BASE_TOML
from tests.web_setup import LINK


def _status(url: str, data: bytes | None = None, cookie: str = "") -> tuple[int, str, str]:
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as r:
            return r.status, r.read().decode(), r.headers.get("Set-Cookie", "")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), e.headers.get("Set-Cookie", "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_gridbot_web_serves_and_stops(tmp_path: Path) -> None:
    (tmp_path / "bot.toml").write_text(BASE_TOML, encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bot", "web", "--port", str(port)], cwd=tmp_path,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert proc.stdout is not None
        said = ""
        while "网页已启动" not in said:  # after the migrations' log lines
            said = proc.stdout.readline()
            assert said, "gridbot web exited before it started serving"
        assert f"网页已启动：http://127.0.0.1:{port}/" in said
        status, body, _ = _status(f"http://127.0.0.1:{port}/")
        assert status == 401 and "发送「登录」" in body
        assert _status(f"http://127.0.0.1:{port}/static/style.css")[0] == 200
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)


def test_gridbot_web_on_a_taken_port_says_so(tmp_path: Path) -> None:
    (tmp_path / "bot.toml").write_text(BASE_TOML, encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "bot", "web", "--port", str(port)], cwd=tmp_path,
                                env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, text=True,
                                capture_output=True, timeout=60)
    assert result.returncode == 2 and "请换一个端口" in result.stderr


def test_inside_gridbot_run_a_web_action_reaches_the_console_group(tmp_path: Path) -> None:
    port = free_port()
    (tmp_path / "bot.toml").write_text(BASE_TOML + f"\n[web]\nenabled = true\nport = {port}\n", encoding="utf-8")
    bot = ConsoleRun(tmp_path)
    root = f"http://127.0.0.1:{port}"
    try:
        bot.wait_http(root + "/")
        bot.say("幸福小区居民群|张阿姨|代买 降压药两盒 5栋302")
        code = re.search(r"工单 (E\d+)", bot.wait_for("已登记"))
        assert code
        bot.say("@|李书记|登录")
        link = LINK.search(bot.wait_for("/login/"))
        assert link
        status, _, cookie = _status(link.group(0), data=b"")
        assert status == 303
        session = cookie.split(";", 1)[0]
        _, page, _ = _status(f"{root}/tickets/{code.group(1)}", cookie=session)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf
        form = urllib.parse.urlencode({"verb": "完成", "text": "已送到", "csrf": csrf.group(1)}).encode()
        status, body, _ = _status(f"{root}/tickets/{code.group(1)}", data=form, cookie=session)
        assert status == 200 and f"{code.group(1)} 已完成" in body
        line = bot.wait_for(f"[幸福小区居民群] @张阿姨 您的工单 {code.group(1)} 已完成")
        assert "已送到" in line
    finally:
        assert bot.close() == 0
