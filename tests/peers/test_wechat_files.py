"""Files through the WeChat adapter (``wechat_files.py``): a file box over real gRPC to the npm
gateway, which reports the bytes it rebuilt from the box."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from bot.adapters import wechat_files
from bot.message import Attachment, ChatRef, Reply
from bot.privacy import FILE_WITHHELD
from tests.peers.test_wechat_adapter import World, running, world  # noqa: F401 - the fixture
from tests.peers.wechat_gateway import node_missing_reason, wechat_gateway  # noqa: F401 - the fixture

pytestmark = pytest.mark.skipif(node_missing_reason() is not None, reason=node_missing_reason() or "")


def _png(tmp_path: Path, name: str = "走势.png", *, group_safe: bool = False) -> Attachment:
    path = tmp_path / "reports" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), (30, 120, 200)).save(path, format="PNG")
    return Attachment(str(path), name, "image/png", group_safe)


def _bytes(file: Attachment) -> bytes:
    return Path(file.path).read_bytes()


async def test_a_file_goes_as_a_file_box_after_its_text(world: World, tmp_path: Path) -> None:  # noqa: F811
    owner = ChatRef.private("wechat", world.owner)
    file = _png(tmp_path)
    async with running(world, tmp_path) as (app, _):
        await app.queue([Reply(owner, "本周图表", attachment=file)])
        app.outbox.wake("wechat")
        text = await world.gw.wait_bot_sent(world.to(world.owner))
        box = await world.gw.wait_bot_sent(world.to(world.owner))
    assert (text.kind, text.text) == ("text", "本周图表")
    assert (box.kind, box.file_name, box.raw["mediaType"]) == ("file", "走势.png", "image/png")
    assert box.file_data == _bytes(file)
    assert box.file_data is not None
    with Image.open(io.BytesIO(box.file_data)) as image:
        assert image.size == (64, 48)


async def test_only_a_group_safe_file_reaches_a_room(world: World, tmp_path: Path) -> None:  # noqa: F811
    room = ChatRef("wechat", world.room)
    async with running(world, tmp_path) as (app, _):
        await app.queue([Reply(room, "", attachment=_png(tmp_path, "名单.png")),
                         Reply(room, "", attachment=_png(tmp_path, "走势.png", group_safe=True))])
        app.outbox.wake("wechat")
        note = await world.gw.wait_bot_sent(world.in_room())
        box = await world.gw.wait_bot_sent(world.in_room())
    assert (note.kind, note.text) == ("text", FILE_WITHHELD.format(name="名单.png"))
    assert (box.kind, box.file_name) == ("file", "走势.png")


async def test_a_file_too_large_for_the_gateway_becomes_a_note(
        world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(wechat_files, "MAX_FILE_BYTES", 100)
    owner = ChatRef.private("wechat", world.owner)
    async with running(world, tmp_path) as (app, _):
        await app.queue([Reply(owner, "", attachment=_png(tmp_path))])
        app.outbox.wake("wechat")
        note = await world.gw.wait_bot_sent(world.to(world.owner))
    assert note.kind == "text" and note.text is not None and "走势.png" in note.text
    assert "超过微信机器人能发送的" in note.text
