"""Files through the Telegram adapter (``telegram_files.py``): real PTB 22 uploading over HTTP to
the local Bot API server, which records the bytes it received."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image

from bot.message import Attachment, ChatRef, Reply
from bot.privacy import FILE_WITHHELD
from tests.peers.telegram_client import TelegramApi
from tests.peers.test_telegram_adapter import LI, XINGFU, Running, start_bot

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

OWNER = ChatRef.private("telegram", str(LI.id))
GROUP = ChatRef("telegram", str(XINGFU.id))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _png(tmp_path: Path, name: str = "走势.png", *, group_safe: bool = False) -> Attachment:
    path = tmp_path / "reports" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), (200, 30, 30)).save(path, format="PNG")
    return Attachment(str(path), name, "image/png", group_safe)


@pytest.fixture
async def bot(telegram_api: TelegramApi, tmp_path: Path) -> AsyncIterator[Running]:
    """The bot serving 幸福小区居民群, whose owner 李书记 once pressed Start in private."""
    await telegram_api.add_group(XINGFU)
    await telegram_api.open_private(LI)
    running = await start_bot(telegram_api, tmp_path)
    yield running
    await running.stop()


def _bytes(file: Attachment) -> bytes:
    return Path(file.path).read_bytes()


async def _queue(bot: Running, *replies: Reply) -> None:
    await bot.app.queue(list(replies))
    bot.app.outbox.wake("telegram")


async def test_a_picture_goes_by_send_photo_with_its_text_as_caption(
        telegram_api: TelegramApi, bot: Running, tmp_path: Path) -> None:
    file = _png(tmp_path)
    await _queue(bot, Reply(OWNER, "本周工单走势"))
    await telegram_api.wait_sent(lambda s: s.chat_id == LI.id)
    await _queue(bot, Reply(OWNER, "本周图表 <1>", attachment=file))
    [sent] = await telegram_api.wait_files(1)
    assert (sent.method, sent.chat_id, sent.filename, sent.caption) == ("sendPhoto", LI.id, "走势.png", "本周图表 <1>")
    assert sent.data == _bytes(file)
    with Image.open(io.BytesIO(sent.data)) as image:
        assert image.size == (64, 48) and image.getpixel((10, 10)) == (200, 30, 30)
    [item] = [i for i in await bot.app.store.outbox.items(status="sent") if i.reply.attachment]
    assert item.platform_message_id == str(sent.message_id)


async def test_a_spreadsheet_goes_by_send_document(telegram_api: TelegramApi, bot: Running,
                                                   tmp_path: Path) -> None:
    file = _png(tmp_path, "名单.xlsx")  # any bytes: a document is not decoded
    await _queue(bot, Reply(OWNER, "名单", attachment=Attachment(file.path, "名单.xlsx", XLSX)))
    [sent] = await telegram_api.wait_files(1)
    assert (sent.method, sent.filename, sent.content_type, sent.caption) == ("sendDocument", "名单.xlsx", XLSX, "名单")
    assert sent.data == _bytes(file)


async def test_a_long_text_follows_the_picture_as_messages(telegram_api: TelegramApi, bot: Running,
                                                          tmp_path: Path) -> None:
    text = "说明：" + "各群工单情况。" * 200  # over a caption's 1,024 characters
    await _queue(bot, Reply(OWNER, text, attachment=_png(tmp_path)))
    [sent] = await telegram_api.wait_files(1)
    message = await telegram_api.wait_sent(lambda s: s.chat_id == LI.id)
    assert sent.caption == "" and message.text == text and message.seq > sent.seq


async def test_a_refused_upload_is_retried_and_sent_once(telegram_api: TelegramApi, bot: Running,
                                                        tmp_path: Path) -> None:
    await telegram_api.flood(1, retry_after=1, methods=("sendPhoto",))
    await _queue(bot, Reply(OWNER, "图表", attachment=_png(tmp_path)))
    await telegram_api.wait_files(1)
    assert len(telegram_api.calls("sendPhoto", ok=False)) == 1  # the 429, then one success
    await telegram_api.fetch(wait=1.5)
    assert len(telegram_api.files()) == 1


async def test_a_private_file_is_withheld_from_a_group(telegram_api: TelegramApi, bot: Running,
                                                      tmp_path: Path) -> None:
    await _queue(bot, Reply(GROUP, "名单", attachment=_png(tmp_path, "名单.png")),
                 Reply(GROUP, "走势", attachment=_png(tmp_path, "走势.png", group_safe=True)))
    note = await telegram_api.wait_sent(lambda s: s.chat_id == XINGFU.id)
    assert note.text == "名单\n" + FILE_WITHHELD.format(name="名单.png")
    [sent] = await telegram_api.wait_files(1)
    assert (sent.chat_id, sent.filename) == (XINGFU.id, "走势.png")
