"""Table tests for the resident keyword parser: both scripts, noise, and messages that must stay chat."""

from __future__ import annotations

import pytest

from bot.classify import EmptyRequest, classify, extract_address
from bot.tickets import NewTicket

# (message, kind, category, priority, address)
TICKETS = [
    ("代买 两斤鸡蛋 3栋2单元501", "errand", "groceries", "normal", "3栋2单元501"),
    ("代買胰島素兩盒，急！幸福小區5棟301", "errand", "medicine", "urgent", "幸福小区5栋301"),
    ("你好，代买大米一袋", "errand", "groceries", "normal", ""),
    ("代买 米面油 3-2-501", "errand", "groceries", "normal", "3-2-501"),
    ("代购奶粉两罐 阳光花园9-3-1101", "errand", "groceries", "normal", "阳光花园9-3-1101"),
    ("代購嬰兒奶粉 12棟1單元202", "errand", "groceries", "normal", "12栋1单元202"),
    ("跑腿 倒垃圾 2栋", "errand", "trash", "normal", "2栋"),
    ("跑腿　幫忙倒一下垃圾　７棟", "errand", "trash", "normal", "7栋"),
    ("代办 打印通行证 7-1-202", "errand", "printing", "normal", "7-1-202"),
    ("/errand 复印身份证 5号楼3单元", "errand", "printing", "normal", "5号楼3单元"),
    ("/errand@GridBot 买菜 8栋", "errand", "groceries", "normal", "8栋"),
    ("家里停电了 代缴电费 5号楼3单元", "errand", "utilities", "normal", "5号楼3单元"),
    ("代办 购电 电卡没钱了 3-1-101", "errand", "utilities", "normal", "3-1-101"),
    ("代辦 燃氣費 11棟", "errand", "utilities", "normal", "11栋"),
    ("求助 老人胸口疼 12栋", "errand", "medicine", "urgent", "12栋"),
    ("求助！！孩子发烧39度 阳光花园2幢1单元302", "errand", "medicine", "urgent", "阳光花园2幢1单元302"),
    ("求助 我家在李家村5组 老人发烧", "errand", "medicine", "urgent", "李家村5组"),
    ("緊急求助 外婆呼吸困難 4-2-602", "errand", "medicine", "urgent", "4-2-602"),
    ("紧急求助，家里没有米了", "errand", "groceries", "urgent", ""),
    ("代买降压药 不急 6栋", "errand", "medicine", "normal", "6栋"),
    ("代买 胰岛素", "errand", "medicine", "urgent", ""),
    ("@网格助手 代购 奶粉 不急", "errand", "groceries", "normal", ""),
    ("@网格助手\u2005代买 酱油 醋", "errand", "groceries", "normal", ""),
    ("麻烦帮忙代买 卫生纸 3栋", "errand", "groceries", "normal", "3栋"),
    ("代买 急需尿不湿 10-1-1001", "errand", "groceries", "urgent", "10-1-1001"),
    ("代买 送到建设路12号 面条", "errand", "groceries", "normal", "建设路12号"),
    ("代取快递 9栋", "errand", "other", "normal", "9栋"),
    ("跑腿 帮忙取个快递 马上要 5栋", "errand", "other", "urgent", "5栋"),
    ("【代买】猫粮　１栋", "errand", "groceries", "normal", "1栋"),
    ("代买：蔬菜一份；地址：幸福小区3栋2单元501", "errand", "groceries", "normal", "幸福小区3栋2单元501"),
    ("报备 3-2-501 一家三口 从外地返回 居家隔离", "verification", "report", "normal", "3-2-501"),
    ("報備 住在陽光花園2幢1單元302 一家三口從外地返回", "verification", "report", "normal", "阳光花园2幢1单元302"),
    ("报备 张家湾村2组 王大爷 从县城回来", "verification", "report", "normal", "张家湾村2组"),
    ("报备：5栋601 两人 体温正常", "verification", "report", "normal", "5栋601"),
    ("/verify 7栋 邻居从外地回来没报备", "verification", "check", "normal", "7栋"),
    ("举报 有外地车辆进村 李家村3组", "verification", "check", "normal", "李家村3组"),
    ("舉報 3棟有陌生人進出", "verification", "check", "normal", "3栋"),
    ("核实 6栋有人从外地回来没报备", "verification", "check", "normal", "6栋"),
    ("举报 隔壁11-2-301的人天天出门", "verification", "check", "normal", "11-2-301"),
    ("举报谣言 听说明天封城", "rumor", "claim", "normal", ""),
    ("核实一下 网传超市关门是真的吗", "rumor", "claim", "normal", ""),
    ("求证：喝酒能防病毒？", "rumor", "claim", "normal", ""),
    ("求證 聽說明天全區停水是真的嗎", "rumor", "claim", "normal", ""),
    ("辟谣 朋友圈说小区有确诊", "rumor", "claim", "normal", ""),
    ("闢謠：網傳菜市場關閉", "rumor", "claim", "normal", ""),
    ("/rumor 听说要全员隔离", "rumor", "claim", "normal", ""),
    ("请问 求证一下 明天还发菜吗", "rumor", "claim", "normal", ""),
    # Requests inside a sentence, as residents type them on the phone.
    ("李书记你好我是5栋301的张阿姨我想代买点菜", "errand", "groceries", "normal", "5栋301"),
    ("我家老伴降压药吃完了能不能帮忙代买一下 3号楼2单元501", "errand", "medicine", "normal", "3号楼2单元501"),
    ("麻烦李书记代买大米 5栋302", "errand", "groceries", "normal", "5栋302"),
    ("能帮我代买大米吗", "errand", "groceries", "normal", ""),
    ("🙏代买 大米 5栋301", "errand", "groceries", "normal", "5栋301"),
    ("家里老人需要代买降压药", "errand", "medicine", "normal", ""),
    ("5栋302代买鸡蛋", "errand", "groceries", "normal", "5栋302"),
    ("家里米没了求助一下", "errand", "groceries", "normal", ""),
    ("代 买 鸡蛋", "errand", "groceries", "normal", ""),
    ("帮忙代收快递 3栋", "errand", "other", "normal", "3栋"),
    # Emergencies, with and without a keyword.
    ("求救 老人晕倒了 5栋", "errand", "medicine", "urgent", "5栋"),
    ("救命 5栋有人晕倒", "errand", "medicine", "urgent", "5栋"),
    ("老伴晕倒了 5栋302 快来人", "errand", "medicine", "urgent", "5栋302"),
    ("我爸脑梗了说不出话 快来人", "errand", "medicine", "urgent", ""),
    ("求助 老人烧到39度了", "errand", "medicine", "urgent", ""),
    ("老人走丢了 求助 李家村3组", "errand", "other", "urgent", "李家村3组"),
    # Priority and category pitfalls.
    ("代买 大米 5栋1201", "errand", "groceries", "normal", "5栋1201"),
    ("代买 大米 电话13912012345", "errand", "groceries", "normal", ""),
    ("代买 急支糖浆 3栋", "errand", "medicine", "normal", "3栋"),
    ("代买 布洛芬 感冒灵", "errand", "medicine", "normal", ""),
    ("代买 西红柿 土豆 黄瓜", "errand", "groceries", "normal", ""),
    ("举报 群里有人造谣说明天封城", "rumor", "claim", "normal", ""),
]

EMPTY = [
    ("代买", "errand"),
    ("代买。", "errand"),
    ("代買！！", "errand"),
    ("求助", "errand"),
    ("报备", "verification"),
    ("求证", "rumor"),
    ("/errand", "errand"),
    ("代买 麻烦一下", "errand"),
    ("代買，謝謝", "errand"),
    ("代买 紧急", "errand"),
    ("代买 在吗", "errand"),
    ("要报备吗？", "verification"),
    ("报备是在这里报吗？", "verification"),
    ("代买需要自己出钱吗？", "errand"),
]

CHAT = [
    "谢谢大家",
    "收到",
    "收到！",
    "好的",
    "辛苦了 👍",
    "[图片]",
    "请问明天几点发菜",
    "代买的菜收到了，谢谢",
    "昨天代买的药已收到，感谢社区",
    "今天几点做核酸？",
    "大家注意安全",
    "哈哈哈",
    "",
    "   ",
    "/start",
    "/unknown 代买",
    "好的我知道了",
    "隔壁单元的人说要封楼",
    # A keyword used as a noun, or about an errand that is over.
    "代买的菜到了吗",
    "求助成功了吗",
    "上报了没有？",
    "跑腿小哥很辛苦",
    "举报的那个车已经走了",
    "报备完了",
    "辟谣了没",
    "求助电话是多少",
    "举报电话多少",
    "跑腿费多少钱",
    "代购群在哪里",
    "代办员辛苦了",
    "核实了，是假的",
    "举报谣言的功能不错",
    "代买 的 菜 什么时候 到",
    "不用代买了，谢谢",
    # Offers, hearsay, thanks and recoveries.
    "大家有需要代买菜的可以私信我",
    "听说代买要收费",
    "感谢志愿者帮忙代买",
    "昨天5栋有人晕倒了，现在没事了",
    "「张阿姨：代买 胰岛素两盒 急 5栋301」- - - - - - - - 收到",
]


@pytest.mark.parametrize(("text", "kind", "category", "priority", "address"), TICKETS)
def test_ticket_messages(text: str, kind: str, category: str, priority: str, address: str) -> None:
    found = classify(text)
    assert isinstance(found, NewTicket), f"{text!r} -> {found!r}"
    assert (found.kind, found.category, found.priority, found.address) == (
        kind, category, priority, address
    )
    assert found.text  # something to act on


@pytest.mark.parametrize(("text", "kind"), EMPTY)
def test_keyword_without_content(text: str, kind: str) -> None:
    assert classify(text) == EmptyRequest(kind, classify(text).keyword)  # type: ignore[union-attr]
    assert classify(text).kind == kind  # type: ignore[union-attr]


@pytest.mark.parametrize("text", CHAT)
def test_ordinary_chat_creates_nothing(text: str) -> None:
    assert classify(text) is None


def test_table_is_large_and_varied() -> None:
    assert len(TICKETS) + len(EMPTY) + len(CHAT) >= 60
    assert any(any("\u4e00" <= c <= "\u9fff" and c in "買報舉證闢" for c in t[0]) for t in TICKETS)


def test_body_keeps_chinese_punctuation() -> None:
    found = classify("代买胰岛素两盒，急！5栋301")
    assert isinstance(found, NewTicket)
    assert found.text == "胰岛素两盒，急！5栋301"


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("3栋2单元501", "3栋2单元501"),
        ("住在幸福小区", "幸福小区"),
        ("有车辆进村", ""),
        ("明天12号送", ""),
        ("李家村3组", "李家村3组"),
        ("16栋2单元1602 电话 139-1234-5678", "16栋2单元1602"),
        ("电话 138-1234-5678 地址3栋201", "3栋201"),
        ("2026-12-01之前送到 5栋", "5栋"),
        ("0571-88886666 5栋2单元", "5栋2单元"),
        ("口罩 2-3包", ""),
        ("酸奶 6-8盒", ""),
        ("5栋 302", "5栋 302"),
        ("五栋二单元五零一", "五栋二单元五零一"),
        ("人民路12号院3号楼", "人民路12号院3号楼"),
        ("幸福小区北区7号楼", "幸福小区北区7号楼"),
        ("12栋东单元301", "12栋东单元301"),
        ("李家村5组12号", "李家村5组12号"),
        ("5#楼302", "5#楼302"),
        ("B座1203", "B座1203"),
        ("听说明天全村封控", ""),
        ("隔壁村", ""),
    ],
)
def test_extract_address(text: str, address: str) -> None:
    assert extract_address(text) == address
