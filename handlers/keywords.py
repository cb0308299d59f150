"""Keyword tables for residents' messages, in Simplified Chinese (input is normalised first).

Kept as data in one place so community workers' IT volunteers can extend them; order matters
where noted.
"""

from __future__ import annotations

# Longer keywords first where one contains another (举报谣言 before 举报).
RUMOR_KEYWORDS = ("举报谣言", "谣言举报", "辟谣", "求证", "是不是谣言", "是谣言吗")
VERIFICATION_KEYWORDS = ("报备", "核实", "举报", "上报")
ERRAND_KEYWORDS = (
    "代买", "代购", "代办", "代取", "代送", "代缴", "代交", "代充", "跑腿",
    "求助", "帮买", "帮忙买", "帮忙代", "帮我买", "求购",
)
SLASH_KINDS = {"/errand": "errand", "/verify": "verification", "/rumor": "rumor"}

# "核实" about a piece of news is a rumour check, not a home visit.
NEWS_WORDS = ("消息", "传言", "谣言", "网传", "听说", "有人说", "朋友圈", "视频", "是真的吗", "真的假的")

# Words that may stand before the keyword without making it part of a sentence.
LEAD_WORDS = (
    "你好", "您好", "大家好", "在吗", "请问", "麻烦", "麻烦您", "请", "老师", "书记", "主任",
    "社区", "网格员", "管家", "我", "我们", "我家", "家里", "想", "要", "需要", "想要", "申请",
    "紧急", "急", "急需", "帮忙", "帮我", "一下",
)
# A keyword followed by one of these reads as talk about a past errand ("代买的菜收到了").
PAST_MARKERS = ("的", "了", "过", "完")
THANKS = ("谢谢", "感谢", "多谢", "辛苦", "收到了", "已收到")

# Errand categories, checked in this order: a health need outranks shopping in one message.
CATEGORY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("medicine", (
        "药", "胰岛素", "降压", "降糖", "发烧", "发热", "高烧", "胸口疼", "胸口痛", "胸闷", "胸痛",
        "心脏", "血压", "呼吸困难", "喘不上气", "晕倒", "昏迷", "抽搐", "出血", "就医", "看病",
        "透析", "化疗", "急救", "医院", "产检", "孕妇", "羊水", "摔倒", "骨折", "吸氧", "制氧",
        "体温计", "口罩", "中风", "过敏",
    )),
    ("utilities", (
        "购电", "电费", "水费", "燃气", "煤气", "天然气", "气费", "电卡", "气卡", "水卡", "充电费",
        "停电", "停水", "暖气", "供暖", "缴费", "交费",
    )),
    ("trash", ("垃圾", "清运", "厨余")),
    ("printing", ("打印", "复印", "扫描", "通行证", "出入证", "证明")),
    ("groceries", (
        "菜", "米", "面粉", "面条", "挂面", "米面", "食用油", "油盐", "蛋", "肉", "奶粉", "牛奶",
        "尿不湿", "纸尿裤", "卫生纸", "纸巾", "生活用品", "日用品", "水果", "食品", "面包", "盐",
        "酱油", "醋", "方便面", "饮用水", "矿泉水", "桶装水", "粮", "馒头", "豆腐", "猫粮", "狗粮",
        "卫生巾", "洗衣", "肥皂", "香皂", "煤", "液化气罐",
    )),
)

URGENT_WORDS = ("急", "紧急", "急需", "急用", "马上", "立刻", "立即", "尽快", "救命", "赶紧", "快点")
NOT_URGENT = ("不急", "不着急", "不是很急", "不用急", "不太急", "不紧急")
# Acute health problems are urgent however calmly they are written.
ACUTE_WORDS = (
    "发烧", "发热", "高烧", "胸口疼", "胸口痛", "胸痛", "胸闷", "呼吸困难", "喘不上气", "昏迷",
    "晕倒", "抽搐", "出血", "休克", "中风", "心脏病", "羊水", "早产", "急救", "120", "胰岛素",
    "摔倒", "骨折", "吸氧",
)

# Verification: a household's own status report versus a request to go and check.
CHECK_WORDS = ("未报备", "没报备", "没有报备", "不报备", "陌生", "外来", "外地车", "车辆", "可疑")
