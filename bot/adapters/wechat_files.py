"""Files the outbox asks WeChat to send, as Wechaty file boxes over the puppet-service gRPC.

A file box travels as JSON inside ``MessageSendFile``: ``{"boxType": 1, "name": ...,
"base64": ..., "mediaType": ...}`` (type 1 is Base64, the one serialisable form that carries
the bytes; the gateway rebuilds a FileBox from it). The whole file rides in one gRPC message
and the gateway (grpc-js) accepts at most 4 MB of it, so a file over ``MAX_FILE_BYTES`` (after
base64, a third larger) is not attempted: the person gets a note instead of a send that
would fail the same way on every retry.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

from bot.message import Attachment

#: The largest file sent as a file box: 4 MB per gRPC message, less base64's third and room.
MAX_FILE_BYTES = 2_900_000
#: Said instead of a file too large for the gateway.
TOO_LARGE = "（文件「{name}」有 {mb:.1f} MB，超过微信机器人能发送的 {limit:.1f} MB，请联系工作人员另行获取。）"


#: FileBoxType.Base64 in Wechaty's file-box (Python and JavaScript alike).
BASE64_BOX = 1


@dataclass(frozen=True, slots=True)
class FileBoxJson:
    """A Base64 file box as ``PuppetService.message_send_file`` sends it (it calls ``to_json_str``).

    Written here rather than with python-wechaty's ``FileBox``, whose serialiser reads a
    deprecated property and logs a warning on every send.
    """

    name: str
    mime: str
    data: bytes

    def to_json_str(self) -> str:
        """The JSON the gateway's ``FileBox.fromJSON`` reads (``boxType`` for older gateways)."""
        return json.dumps({"type": BASE64_BOX, "boxType": BASE64_BOX, "name": self.name,
                           "mediaType": self.mime, "metadata": {},
                           "base64": base64.b64encode(self.data).decode("ascii")}, ensure_ascii=False)


def file_box(file: Attachment) -> FileBoxJson | str:
    """The file as a Base64 file box, or the note to send instead when it is too large.

    Blocking (reads the file): call it in a worker thread. Raises OSError when the file
    cannot be read.
    """
    data = Path(file.path).read_bytes()
    if len(data) > MAX_FILE_BYTES:
        return TOO_LARGE.format(name=file.name, mb=len(data) / 1e6, limit=MAX_FILE_BYTES / 1e6)
    return FileBoxJson(file.name, file.mime, data)
