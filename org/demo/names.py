"""The demo branch's fixed data: codes, sizes, ranks, place names and the name lists people's
names, ID numbers and mobiles are drawn from (see org/demo/planning.py)."""

from org.models import Education, UnitKind

BRANCH_CODE = "HZ"
BRANCH_NAME = "华东人寿 杭州分公司"
DEFAULT_AGENTS = 400
MIN_AGENTS = 80
AGENTS_PER_DISTRICT = 2500
BATCH = 500

HIRED = "入司"
CONFIRMED = "转正"
PROMOTED = "晋升"
TRANSFERRED = "调动"
REORGANISED = "组织调整"
RESIGNED = "离职"

# (code, name, level, leads a team): 试用业务员 → … → 高级业务经理
RANKS = [
    ("PROB", "试用业务员", 1, False),
    ("FORMAL", "正式业务员", 2, False),
    ("SUP", "业务主任", 3, True),
    ("SSUP", "高级业务主任", 4, True),
    ("MGR", "业务经理", 5, True),
    ("SMGR", "高级业务经理", 6, True),
]
PROB, FORMAL, SUP, SSUP, MGR, SMGR = range(len(RANKS))

# Districts are named after Hangzhou's districts; the region code seeds most local ID numbers.
DISTRICTS = [
    ("西湖", "330106"),
    ("拱墅", "330105"),
    ("上城", "330102"),
    ("滨江", "330108"),
    ("萧山", "330109"),
    ("余杭", "330110"),
    ("临平", "330113"),
    ("钱塘", "330114"),
    ("富阳", "330111"),
    ("临安", "330112"),
    ("桐庐", "330122"),
    ("淳安", "330127"),
    ("建德", "330182"),
]
# Other Zhejiang counties, for agents born elsewhere in the province.
ZHEJIANG_REGIONS = [
    "330106",
    "330105",
    "330102",
    "330108",
    "330109",
    "330110",
    "330111",
    "330112",
    "330122",
    "330127",
    "330182",
    "330203",
    "330205",
    "330212",
    "330281",
    "330302",
    "330304",
    "330381",
    "330402",
    "330411",
    "330481",
    "330502",
    "330503",
    "330521",
    "330602",
    "330603",
    "330681",
    "330702",
    "330703",
    "330782",
    "330802",
    "330881",
    "330902",
    "331002",
    "331082",
    "331102",
    "331121",
]
GROUP_NAMES = [
    "雄鹰",
    "飞翔",
    "精英",
    "卓越",
    "腾飞",
    "启航",
    "先锋",
    "超越",
    "星火",
    "金牛",
    "展翅",
    "鼎盛",
    "领航",
    "蓝海",
    "旭日",
    "恒信",
    "凌云",
    "锦程",
    "宏图",
    "诚信",
    "聚力",
    "远航",
    "天骄",
    "奋进",
    "火炬",
    "立信",
    "同心",
    "骏马",
    "朝阳",
    "长青",
]
CN_DIGITS = "零一二三四五六七八九"

# Surnames with rough weights (common ones first, so searches such as "王" find many).
SURNAMES = [
    ("王", 72),
    ("李", 70),
    ("张", 68),
    ("刘", 53),
    ("陈", 55),
    ("杨", 33),
    ("黄", 25),
    ("赵", 22),
    ("吴", 22),
    ("周", 21),
    ("徐", 19),
    ("孙", 16),
    ("马", 13),
    ("朱", 14),
    ("胡", 13),
    ("郭", 12),
    ("何", 11),
    ("林", 11),
    ("高", 10),
    ("罗", 9),
    ("郑", 10),
    ("梁", 7),
    ("谢", 7),
    ("宋", 6),
    ("唐", 6),
    ("许", 7),
    ("韩", 5),
    ("冯", 5),
    ("邓", 5),
    ("曹", 5),
    ("彭", 4),
    ("曾", 4),
    ("肖", 4),
    ("田", 4),
    ("董", 4),
    ("袁", 4),
    ("潘", 4),
    ("蒋", 5),
    ("蔡", 4),
    ("余", 4),
    ("杜", 3),
    ("叶", 5),
    ("程", 3),
    ("苏", 3),
    ("魏", 3),
    ("吕", 3),
    ("丁", 3),
    ("任", 3),
    ("沈", 5),
    ("姚", 3),
    ("卢", 3),
    ("姜", 2),
    ("崔", 2),
    ("钟", 2),
    ("谭", 2),
    ("陆", 3),
    ("汪", 3),
    ("范", 2),
    ("金", 3),
    ("石", 2),
    ("方", 3),
    ("邵", 2),
    ("钱", 3),
    ("俞", 3),
    ("应", 2),
    ("楼", 2),
    ("章", 2),
    ("严", 2),
    ("戴", 2),
    ("傅", 2),
    ("夏", 2),
    ("施", 2),
]
MALE_CHARS = (
    "伟强磊军勇杰涛斌超明辉刚健鹏飞俊峰波宇浩然志建国华平东文博旭晨阳海亮昊天宏卫兵亚兴"
    "成康凯林森鑫洋锋毅翔瑞泽宁"
)
FEMALE_CHARS = (
    "芳娜敏静丽艳娟霞秀英玲燕红梅洁琳婷雪慧莉萍颖倩琴云佳欣怡蓉晶楠月萌莹璐瑶媛丹露蕾菲婕薇彤晓雯青"
)
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
]
EDUCATION_WEIGHTS = [
    (Education.JUNIOR_HIGH, 7),
    (Education.HIGH_SCHOOL, 35),
    (Education.COLLEGE, 33),
    (Education.BACHELOR, 22),
    (Education.MASTER, 3),
]

FUNCTIONAL_UNITS = [
    (UnitKind.MARKETING, "营销部", f"{BRANCH_CODE}-MKT"),
    (UnitKind.FINANCE, "财务部", f"{BRANCH_CODE}-FIN"),
    (UnitKind.CUSTOMER_SERVICE, "客服部", f"{BRANCH_CODE}-CS"),
]
