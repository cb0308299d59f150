"""``gridbot run --platform console`` as a child process: type lines, wait for what it prints.

The web dashboard's tests use it with ``[web] enabled``, so a page acts on the same running
bot a person types to, and the console transcript shows what each chat received.
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ConsoleRun:
    """The running bot; ``say`` types a ``群名|用户|内容`` line, ``wait_for`` reads its output."""

    def __init__(self, cwd: Path, *args: str):
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "-v", "run", "--platform", "console", *args], cwd=cwd, env=env,
            text=True, encoding="utf-8", stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT)
        self.output: list[str] = []
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line)

    def say(self, line: str) -> None:
        """Type one line at the prompt."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def wait_for(self, text: str, timeout: float = 20) -> str:
        """The first line from now on (or already read but not yet waited past) holding ``text``."""
        deadline = time.monotonic() + timeout
        while True:
            for i, line in enumerate(self.output):
                if text in line:
                    del self.output[: i + 1]
                    return line
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"gridbot run never printed {text!r}; it printed:\n{''.join(self.output)}")
            try:
                self.output.append(self._lines.get(timeout=min(left, 0.5)))
            except queue.Empty:
                if self.proc.poll() is not None and self._lines.empty():
                    raise AssertionError(f"gridbot run exited {self.proc.returncode}:\n{''.join(self.output)}") from None

    def wait_http(self, url: str, timeout: float = 20) -> None:
        """Until ``url`` answers (any status)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise AssertionError(f"{url} never answered:\n{''.join(self.output)}") from None
                time.sleep(0.2)

    def close(self) -> int:
        """End of input: the bot stops; its exit code."""
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            self.proc.stdin.close()
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()
