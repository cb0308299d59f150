"""``[web]``: the staff dashboard (``gridbot web``, or inside ``gridbot run`` when enabled).

    [web]
    enabled = true
    host = "127.0.0.1"
    port = 8080
    base_url = "https://gridbot.example.org"
    session_hours = 12

It binds 127.0.0.1 unless told otherwise: put a TLS reverse proxy (README) in front of it and
give its public address as ``base_url``, which the login links the bot sends start with.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.config.reader import Document, Table


@dataclass(frozen=True, slots=True)
class WebConfig:
    """Where the dashboard listens, the address in login links, and how long a session lasts."""

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = 8080
    #: Empty: ``http://host:port``.
    base_url: str = ""
    session_hours: float = 12.0

    @property
    def url(self) -> str:
        """The address people open, without a trailing slash."""
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def secure(self) -> bool:
        """Served over https (behind a proxy): cookies carry ``Secure``."""
        return self.url.startswith("https://")


def _web(doc: Document) -> WebConfig:
    r = doc.root.sub("web")
    r.only("web")
    default = WebConfig()
    port = r.table.get("port", default.port)
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise r.fail("port", f"应是 1 到 65535 之间的端口号，不是 {port!r}；例如 port = 8080")
    base_url = r.str("base_url", "")
    if base_url and urlsplit(base_url).scheme not in ("http", "https"):
        raise r.fail("base_url", f"应以 http:// 或 https:// 开头，不是 {base_url!r}；"
                                 "例如 base_url = \"https://gridbot.example.org\"")
    hours = r.num("session_hours", default.session_hours)
    if not 0 < hours <= 24 * 30:
        raise r.fail("session_hours", f"应在 0 到 720 小时之间，不是 {hours!r}；例如 session_hours = 12")
    return WebConfig(enabled=r.bool("enabled", False), host=r.str("host", default.host), port=port,
                     base_url=base_url, session_hours=hours)


WEB = Table("web", ("enabled", "host", "port", "base_url", "session_hours"), _web)
