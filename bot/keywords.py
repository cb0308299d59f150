"""Keyword tables for residents' messages, in Simplified Chinese (input is normalised first).

Kept as data in one place so community workers' IT volunteers can extend them; order matters
where noted.
"""

from __future__ import annotations

import re

# Each kind's keywords (bot.kinds declares which table is whose); the parser tries longer
# keywords first where one contains another (举报谣言 before 举报).
RUMOR_KEYWORDS = ("举报谣言", "谣言举报", "辟谣", "求证", "是不是谣言", "是谣言吗")
VERIFICATION_KEYWORDS = ("报备", "核实", "举报", "上报")
ERRAND_KEYWORDS = (
    "代买", "代购", "代办", "代取", "代收", "代领", "代送", "代缴", "代交", "代充", "跑腿",
    "求助", "求救", "救命", "帮帮我", "帮买", "帮忙买", "帮我买", "求购",
    "预约",  # the seeds use it: "预约 核酸上门 3栋501"
)
# Suggestions and complaints count only when the keyword leads the message ("专家建议…" is news).
FEEDBACK_KEYWORDS = ("建议", "投诉", "意见")
# "建议大家多通风" advises the group; it is no feedback to the community.
FEEDBACK_NOT_AFTER = ("大家", "各位", "你们", "您", "你")

# "核实" about a piece of news is a rumour check, not a home visit.
NEWS_WORDS = ("消息", "传言", "谣言", "网传", "听说", "有人说", "朋友圈", "视频", "是真的吗", "真的假的")
# Hearsay words run straight into a place name ("网传阳光花园今晚停水"); they are never part of
# it, so the address finder cuts the text at them. Words ending in 说 are cut there already.
HEARSAY_WORDS = ("网传", "传言", "传闻", "谣传", "盛传", "据悉", "据称", "消息称", "有消息", "朋友圈",
                 "听闻", "流传")
# "举报" is a rumour report only when it names a rumour ("举报 有人造谣说明天封城").
RUMOR_REPORT_WORDS = ("造谣", "谣言", "传谣", "网传", "朋友圈")

# Words that may stand before the keyword without making it part of a sentence.
LEAD_WORDS = (
    "你好", "您好", "大家好", "在吗", "请问", "麻烦", "麻烦您", "请", "老师", "书记", "主任",
    "社区", "网格员", "管家", "我", "我们", "我家", "家里", "想", "要", "需要", "想要", "申请",
    "紧急", "急", "急需", "帮忙", "帮我", "一下",
)
# A keyword followed by one of these is a noun or talk about a past errand, not a request:
# "代买的菜到了吗", "跑腿费多少钱", "代办员辛苦了", "求助电话是多少", "报备完了".
NOT_A_REQUEST_AFTER = (
    "的", "了", "过", "完", "费", "员", "群", "小哥", "电话", "热线", "号码", "服务", "成功",
    "功能", "平台", "渠道", "流程", "方式", "处", "者", "人员", "表", "码",
)
# ...except where the noun is a place: "举报 群里有人造谣".
STILL_A_REQUEST = ("群里", "群内")
# ...or preceded by one of these: "不用代买", "别举报".
NOT_A_REQUEST_BEFORE = ("不用", "不需要", "无需", "别", "不要")
PAST_MARKERS = ("的", "了", "过", "完")
THANKS = ("谢谢", "感谢", "多谢", "辛苦", "收到了", "已收到")
# A question about the service itself carries none of what a request needs.
QUESTION_WORDS = ("吗", "么", "?", "多少", "怎么", "怎样", "如何", "哪里", "哪儿", "在哪", "几点",
                  "什么时候", "是不是", "可不可以", "有没有")

# Errand categories, checked in this order: a health need outranks shopping in one message.
CATEGORY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("medicine", (
        "药", "胰岛素", "降压", "降糖", "发烧", "发热", "高烧", "高热", "烧到", "胸口疼", "胸口痛",
        "胸闷", "胸痛", "心脏", "心梗", "脑梗", "血压", "血糖", "呼吸困难", "喘不上气", "喘不过气",
        "晕倒", "晕了", "昏迷", "抽搐", "出血", "流血", "就医", "看病", "透析", "化疗", "急救",
        "医院", "产检", "孕妇", "羊水", "摔倒", "骨折", "吸氧", "制氧", "体温计", "口罩", "中风",
        "过敏", "布洛芬", "对乙酰氨基酚", "感冒灵", "连花清瘟", "硝苯地平", "阿司匹林", "二甲双胍",
        "速效救心丸", "退烧贴", "血压计", "血糖仪", "试纸", "抗原", "胶囊", "颗粒", "冲剂",
        "口服液", "糖浆", "注射液", "喷剂", "救命", "求救", "自杀", "轻生",
    )),
    ("utilities", (
        "购电", "电费", "水费", "燃气", "煤气", "天然气", "气费", "电卡", "气卡", "水卡", "充电费",
        "停电", "停水", "暖气", "供暖", "缴费", "交费",
    )),
    ("trash", ("垃圾", "清运", "厨余")),
    ("printing", ("打印", "复印", "扫描", "通行证", "出入证", "证明")),
    ("groceries", (
        "菜", "米", "面粉", "面条", "挂面", "米面", "食用油", "油盐", "蛋", "肉", "奶粉", "牛奶",
        "酸奶", "尿不湿", "纸尿裤", "卫生纸", "纸巾", "生活用品", "日用品", "水果", "食品", "面包",
        "盐", "酱油", "醋", "方便面", "饮用水", "矿泉水", "桶装水", "粮", "馒头", "豆腐", "猫粮",
        "狗粮", "卫生巾", "洗衣", "肥皂", "香皂", "煤", "液化气罐", "西红柿", "番茄", "土豆",
        "黄瓜", "萝卜", "茄子", "辣椒", "洋葱", "葱", "姜", "蒜", "冬瓜", "南瓜", "玉米", "红薯",
        "蘑菇", "鸡", "鸭", "鱼", "虾", "排骨", "饺子", "汤圆", "苹果", "香蕉", "橘子",
    )),
)

URGENT_WORDS = ("急", "紧急", "急需", "急用", "马上", "立刻", "立即", "尽快", "救命", "赶紧", "快点",
                "求救")
# Words that contain 急 without meaning it: "不急", the cough syrup "急支糖浆".
NOT_URGENT = ("不急", "不着急", "不是很急", "不用急", "不太急", "不紧急", "急支")
# Acute health problems are urgent however calmly they are written.
ACUTE_WORDS = (
    "发烧", "发热", "高烧", "高热", "烧到", "胸口疼", "胸口痛", "胸痛", "胸闷", "呼吸困难",
    "喘不上气", "喘不过气", "昏迷", "晕倒", "晕了", "晕过去", "抽搐", "出血", "流血", "吐血",
    "休克", "中风", "心梗", "脑梗", "心脏病", "说不出话", "不省人事", "羊水", "早产", "急救",
    "胰岛素", "摔倒", "骨折", "吸氧", "血糖低", "低血糖", "自杀", "轻生", "走丢", "联系不上",
    "失联", "触电", "中毒", "溺水", "烫伤",
)
# "120" only as a number of its own: "打120", not "5栋1201" or a phone number.
AMBULANCE = re.compile(r"(?<!\d)120(?!\d)")
# Life in danger now: the reply tells them to call 120 as well.
EMERGENCY_WORDS = (
    "呼吸困难", "喘不上气", "喘不过气", "昏迷", "晕倒", "晕过去", "不省人事", "抽搐", "吐血",
    "大出血", "休克", "中风", "心梗", "脑梗", "说不出话", "羊水", "早产", "自杀", "轻生", "触电",
    "中毒", "溺水", "救命", "求救", "胸口疼", "胸口痛", "胸痛", "起不来",
)
# Written without any keyword, these are still a call for help when a place or a plea comes
# with them ("老伴晕倒了 5栋302 快来人").
PLEA_WORDS = ("快来", "快来人", "救救", "帮帮", "怎么办", "急", "快")
# More ways of asking for someone to come, for health emergencies written without a keyword
# ("我妈发烧39度了，能不能派人来").
HEALTH_PLEA_WORDS = ("派人", "派个人", "来人", "谁能", "谁可以", "有没有人", "能不能", "帮忙", "救护车",
                     "送医", "送医院", "咋办", "如何是好")
RECOVERED = ("好了", "没事了", "没事", "已经送医", "已送医", "已经好", "不用了")
# ...and ways of saying it is over: "昨天摔倒了，现在好多了", "已经退烧了".
HEALTH_RECOVERED = ("好多了", "退烧了", "已退烧", "烧退了", "止住了", "已经止血", "不疼了", "缓过来了",
                    "去年", "上个月", "上周")
# Health emergencies that are serious without being life-threatening this minute; with a high
# fever, a supply running out (HEALTH_SUPPLY_OUT) and the words of EMERGENCY_WORDS they make an
# urgent medical ticket even without a keyword, and the answer starts with 120.
HEALTH_EMERGENCY_WORDS = ("摔倒", "跌倒", "摔了一跤", "摔伤", "出血", "流血不止", "大量出血", "见红",
                          "破水", "要生了", "肚子疼得", "疼得受不了", "痛得受不了", "昏过去", "晕厥",
                          "意识不清", "叫不醒", "嘴唇发紫", "脸色发紫", "惊厥")
# A temperature of 38.5 °C or more next to a fever word, either way round: "发烧39度", "烧到39.5",
# "39度高烧", "体温40℃".
_NOT_DEGREES = r"(?:天|岁|个|小时|次|号|分钟|年|月|日|元|块|栋|楼)"
HIGH_FEVER = re.compile(
    rf"(?:发烧|发热|高烧|高热|烧到|烧了|体温)[^，。！？,!?]{{0,4}}?(?<!\d)(?:38\.[5-9]|39|40|41|42)(?:\.\d)?(?!\d|\s*{_NOT_DEGREES})"
    r"|(?<!\d)(?:38\.[5-9]|39|40|41|42)(?:\.\d)?\s*(?:度|℃|°)[^，。！？,!?]{0,3}(?:发烧|发热|高烧|高热|烧)"
)
# What a life may depend on, running out: "宝宝奶粉没了", "胰岛素用完了", "家里没有降压药了".
_LIFELINE = r"(?:奶粉|胰岛素|降压药|降糖药|救心丸|心脏病药|透析|氧气|制氧机|哮喘药|癫痫药|抗癫痫|药)"
_RUN_OUT = r"(?:没了|没有了|断了|用完|吃完|喝完|快没|只剩|见底|断顿|断药|不够了|吃光)"
HEALTH_SUPPLY_OUT = re.compile(
    rf"{_LIFELINE}[^，。！？,!?]{{0,6}}?{_RUN_OUT}|没有?(?:[^，。！？,!?]{{0,4}}){_LIFELINE}了|断(?:奶|药)了?"
)

# Verification: a household's own status report versus a request to go and check.
CHECK_WORDS = ("未报备", "没报备", "没有报备", "不报备", "陌生", "外来", "外地车", "车辆", "可疑")
# What a verification request is about, when the keyword is not at the start.
VERIFICATION_SIGNALS = ("返回", "回来", "返乡", "外地", "车辆", "陌生", "隔离", "体温", "核酸",
                        "出门", "进出", "聚集", "人员", "一家", "口人")


def is_emergency(text: str) -> bool:
    """Someone's life or health may be in danger now: the answer tells them to call 120."""
    return (any(w in text for w in EMERGENCY_WORDS) or AMBULANCE.search(text) is not None
            or is_health_emergency(text))


def is_health_emergency(text: str) -> bool:
    """A high fever with a number, a fall, bleeding, a pregnancy in trouble, a lifeline running out."""
    return (any(w in text for w in HEALTH_EMERGENCY_WORDS) or HIGH_FEVER.search(text) is not None
            or HEALTH_SUPPLY_OUT.search(text) is not None)
