"""``gridbot web``: the dashboard on its own, beside a running bot (or without one)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.commands import open_app
from bot.config import Config
from bot.web.app import start


async def web(args: argparse.Namespace, config: Config) -> int:
    """Serve the dashboard until interrupted.

    Replies its actions queue are sent by ``gridbot run`` (its outbox looks every two seconds);
    the dashboard itself sends nothing.
    """
    host, port = args.host or config.web.host, args.port or config.web.port
    app = await open_app(config)
    try:
        try:
            runner = await start(app.services, app.dispatcher, host, port)
        except OSError as exc:
            print(f"网页无法在 {host}:{port} 启动：{exc.strerror}。请换一个端口：gridbot web --port 8081",
                  file=sys.stderr)
            return 2
        print(f"网页已启动：http://{host}:{port}/（登录链接使用 {config.web.url}）。按 Ctrl+C 停止。",
              flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()
    finally:
        await app.close()
    return 0
