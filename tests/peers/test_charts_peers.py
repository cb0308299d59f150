"""``图表`` on the real peers: an owner asks in private chat, and the local Telegram Bot API
server receives three sendPhoto uploads, the WeChat gateway three file boxes, each a PNG
that decodes to the chart's size."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from bot.charts import CHARTS
from tests.peers.telegram_client import TelegramApi
from tests.peers.test_telegram_adapter import LI, XINGFU, ZHANG, start_bot
from tests.peers.test_wechat_adapter import World, running, world  # noqa: F401 - the fixture
from tests.peers.wechat_gateway import node_missing_reason, wechat_gateway  # noqa: F401 - the fixture

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def _chart(data: bytes | None) -> tuple[int, int]:
    assert data is not None
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        return image.size


async def test_telegram_owner_gets_the_charts_by_send_photo(telegram_api: TelegramApi, tmp_path: Path) -> None:
    await telegram_api.add_group(XINGFU)
    await telegram_api.open_private(LI)
    bot = await start_bot(telegram_api, tmp_path)
    try:
        await telegram_api.say(ZHANG, "代买 胰岛素两盒 5栋301", XINGFU)
        await telegram_api.wait_sent(lambda s: s.chat_id == LI.id and "新工单" in s.text)
        await telegram_api.say(LI, "图表 周报")
        photos = await telegram_api.wait_files(3, timeout=30)
    finally:
        await bot.stop()
    assert [(p.method, p.chat_id) for p in photos] == [("sendPhoto", LI.id)] * 3
    assert [p.filename for p in photos] == [f"{name}-周报.png" for name, _ in CHARTS]
    assert photos[0].caption.startswith("您负责的群周报（") and photos[2].caption == "图3 各群通知回执率"
    assert [_chart(p.data) for p in photos] == [(990, 550)] * 3
    saved = sorted((tmp_path / "reports" / "charts").glob("*.png"))
    assert [path.read_bytes() for path in saved] == [p.data for p in photos]


@pytest.mark.skipif(node_missing_reason() is not None, reason=node_missing_reason() or "")
async def test_wechat_owner_gets_the_charts_as_file_boxes(world: World, tmp_path: Path) -> None:  # noqa: F811
    gw = world.gw
    async with running(world, tmp_path) as _:
        await gw.say(world.zs, "代买 胰岛素两盒 5栋301", room_id=world.room)
        await gw.wait_bot_sent(world.to(world.owner))  # the owner hears of the new ticket
        await gw.say(world.owner, "图表")
        sent = [await gw.wait_bot_sent(world.to(world.owner), timeout=30) for _ in range(6)]
    assert [s.kind for s in sent] == ["text", "file"] * 3
    assert sent[0].text is not None and sent[0].text.startswith("您负责的群周报（")
    files = sent[1::2]
    assert [f.file_name for f in files] == [f"{name}-周报.png" for name, _ in CHARTS]
    assert [_chart(f.file_data) for f in files] == [(990, 550)] * 3
