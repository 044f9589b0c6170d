"""Where the demo happens: regions, industrial belts, the operator, governments, buyers and the
demo logins.

Region codes are the real administrative division codes (GB/T 2260); the companies, people,
e-mail domains and phone numbers are invented.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualcirc.core.enums import BuyerType, OrganisationKind, RegionLevel, Role
from dualcirc.demo.types import BeltSpec, LoginSpec, OrganisationSpec, RegionSpec, Text

P, C, X = RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY

# Parents before children.
REGIONS: tuple[RegionSpec, ...] = (
    RegionSpec("37", Text("山东省", "Shandong"), P),
    RegionSpec("3702", Text("青岛市", "Qingdao"), C, "37"),
    RegionSpec("370211", Text("黄岛区", "Huangdao"), X, "3702"),
    RegionSpec("370212", Text("崂山区", "Laoshan"), X, "3702"),
    RegionSpec("370215", Text("即墨区", "Jimo"), X, "3702"),
    RegionSpec("370281", Text("胶州市", "Jiaozhou"), X, "3702"),
    RegionSpec("370285", Text("莱西市", "Laixi"), X, "3702"),
    RegionSpec("33", Text("浙江省", "Zhejiang"), P),
    RegionSpec("3301", Text("杭州市", "Hangzhou"), C, "33"),
    RegionSpec("3302", Text("宁波市", "Ningbo"), C, "33"),
    RegionSpec("330212", Text("鄞州区", "Yinzhou"), X, "3302"),
    RegionSpec("3307", Text("金华市", "Jinhua"), C, "33"),
    RegionSpec("330781", Text("兰溪市", "Lanxi"), X, "3307"),
    RegionSpec("330784", Text("永康市", "Yongkang"), X, "3307"),
    RegionSpec("32", Text("江苏省", "Jiangsu"), P),
    RegionSpec("3205", Text("苏州市", "Suzhou"), C, "32"),
    RegionSpec("320509", Text("吴江区", "Wujiang"), X, "3205"),
    RegionSpec("3206", Text("南通市", "Nantong"), C, "32"),
    RegionSpec("320614", Text("海门区", "Haimen"), X, "3206"),
    RegionSpec("3207", Text("连云港市", "Lianyungang"), C, "32"),
    RegionSpec("320707", Text("赣榆区", "Ganyu"), X, "3207"),
    RegionSpec("3210", Text("扬州市", "Yangzhou"), C, "32"),
    RegionSpec("321003", Text("邗江区", "Hanjiang"), X, "3210"),
    RegionSpec("31", Text("上海市", "Shanghai"), P),
)

_TEXTILE_CERTS = ("OEKO-TEX Standard 100", "GOTS", "GRS", "BSCI", "ISO 9001")

BELTS: tuple[BeltSpec, ...] = (
    BeltSpec(
        slug="laixi-furniture",
        name=Text("莱西家具产业带", "Laixi furniture belt"),
        industry=Text("家具制造", "Furniture manufacturing"),
        region="370285",
        phone_area="0532",
        domestic_markets=("山东", "北京", "天津", "江苏", "上海", "河北"),
        export_markets=("US", "JP", "KR", "AU", "DE", "GB", "CA"),
        certifications=("FSC", "CARB P2", "ISO 9001", "ISO 14001", "BSCI"),
    ),
    BeltSpec(
        slug="lanxi-textiles",
        name=Text("兰溪牛仔布与坯布产业带", "Lanxi denim and grey cloth belt"),
        industry=Text("棉纺织", "Cotton textiles"),
        region="330781",
        phone_area="0579",
        domestic_markets=("浙江", "广东", "江苏", "福建", "河北"),
        export_markets=("VN", "BD", "PK", "TR", "IT", "US", "KH"),
        certifications=("OEKO-TEX Standard 100", "BCI", "GOTS", "GRS", "ISO 9001"),
    ),
    BeltSpec(
        slug="wujiang-silk",
        name=Text("苏州吴江丝绸产业带", "Suzhou Wujiang silk belt"),
        industry=Text("丝绸", "Silk"),
        region="320509",
        phone_area="0512",
        domestic_markets=("江苏", "上海", "浙江", "北京", "广东"),
        export_markets=("IT", "FR", "JP", "US", "GB", "KR", "AE"),
        certifications=_TEXTILE_CERTS,
    ),
    BeltSpec(
        slug="haimen-home-textiles",
        name=Text("海门叠石桥家纺产业带", "Haimen home textiles belt"),
        industry=Text("家用纺织品", "Home textiles"),
        region="320614",
        phone_area="0513",
        domestic_markets=("江苏", "上海", "浙江", "安徽", "山东"),
        export_markets=("US", "VN", "AU", "AE", "RU", "GB", "DE"),
        certifications=_TEXTILE_CERTS,
    ),
    BeltSpec(
        slug="hanjiang-toothbrushes",
        name=Text("邗江杭集牙刷产业带", "Hanjiang (Hangji) toothbrush belt"),
        industry=Text("口腔护理与旅游用品", "Oral care and hotel amenities"),
        region="321003",
        phone_area="0514",
        domestic_markets=("江苏", "上海", "广东", "浙江", "北京"),
        export_markets=("US", "VN", "TH", "MY", "DE", "FR", "AE"),
        certifications=("FDA registration", "CE", "ISO 9001", "ISO 13485", "BSCI", "FSC"),
    ),
    BeltSpec(
        slug="lianyungang-seafood",
        name=Text("连云港海产休闲食品产业带", "Lianyungang seafood snacks belt"),
        industry=Text("水产品加工", "Seafood processing"),
        region="3207",
        phone_area="0518",
        domestic_markets=("江苏", "上海", "山东", "北京", "广东"),
        export_markets=("JP", "KR", "US", "VN", "MY", "SG"),
        certifications=("HACCP", "BRCGS", "ISO 22000", "FDA registration", "MSC"),
    ),
    BeltSpec(
        slug="qingdao-appliances",
        name=Text("青岛家电电子产业带", "Qingdao appliances and TV belt"),
        industry=Text("家用电器", "Household appliances"),
        region="3702",
        phone_area="0532",
        domestic_markets=("山东", "北京", "广东", "上海", "四川", "河南"),
        export_markets=("US", "DE", "GB", "AU", "RU", "SA", "NG", "VN"),
        certifications=("CCC", "CE", "UL", "ETL", "CB", "ENERGY STAR", "RoHS"),
    ),
    BeltSpec(
        slug="ningbo-workwear",
        name=Text("宁波鄞州工装产业带", "Ningbo workwear belt"),
        industry=Text("职业装与劳保用品", "Workwear and protective clothing"),
        region="330212",
        phone_area="0574",
        domestic_markets=("浙江", "上海", "江苏", "广东"),
        export_markets=("DE", "GB", "US", "FR", "AU", "CA", "NL"),
        certifications=("EN ISO 20471", "ANSI/ISEA 107", "OEKO-TEX Standard 100", "ISO 9001"),
    ),
    BeltSpec(
        slug="yongkang-hardware",
        name=Text("永康五金产业带", "Yongkang hardware belt"),
        industry=Text("五金制品", "Hardware"),
        region="330784",
        phone_area="0579",
        domestic_markets=("浙江", "广东", "江苏", "河南", "湖北"),
        export_markets=("US", "DE", "RU", "BR", "IN", "AU", "GB"),
        certifications=("CE", "GS", "LFGB", "FDA", "ETL", "ISO 9001"),
    ),
    BeltSpec(
        slug="jimo-knitwear",
        name=Text("即墨针织服装产业带", "Jimo knitwear belt"),
        industry=Text("针织服装", "Knitwear"),
        region="370215",
        phone_area="0532",
        domestic_markets=("山东", "北京", "上海", "江苏", "辽宁"),
        export_markets=("JP", "KR", "US", "GB", "DE", "AU"),
        certifications=("OEKO-TEX Standard 100", "GOTS", "BSCI", "WRAP", "ISO 9001"),
    ),
)

ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    OrganisationSpec(
        "operator",
        OrganisationKind.OPERATOR,
        "dualcirc 平台运营中心",
        "dualcirc Platform Operations",
    ),
    OrganisationSpec(
        "gov-qingdao",
        OrganisationKind.GOVERNMENT,
        "青岛市商务局",
        "Qingdao Municipal Bureau of Commerce",
        region="3702",
    ),
    OrganisationSpec(
        "gov-laixi",
        OrganisationKind.GOVERNMENT,
        "莱西市商务局",
        "Laixi Municipal Bureau of Commerce",
        region="370285",
    ),
    OrganisationSpec(
        "gov-lanxi",
        OrganisationKind.GOVERNMENT,
        "兰溪市经济商务局",
        "Lanxi Bureau of Economy and Commerce",
        region="330781",
    ),
    OrganisationSpec(
        "buyer-hangzhou",
        OrganisationKind.BUYER,
        "杭州云选电子商务有限公司",
        "Hangzhou Yunxuan E-commerce Co., Ltd.",
        region="3301",
        buyer_type=BuyerType.ECOMMERCE_SELLER,
    ),
    OrganisationSpec(
        "buyer-shanghai",
        OrganisationKind.BUYER,
        "上海百汇生活连锁超市有限公司",
        "Shanghai Baihui Life Supermarkets Co., Ltd.",
        region="31",
        buyer_type=BuyerType.DOMESTIC_RETAILER,
    ),
    OrganisationSpec(
        "buyer-saigon",
        OrganisationKind.BUYER,
        "Công ty TNHH Xuất Nhập Khẩu Phát Đạt Sài Gòn",
        "Saigon Phat Dat Import Export Co., Ltd.",
        country="VN",
        buyer_type=BuyerType.IMPORTER,
    ),
    OrganisationSpec(
        "buyer-newyork",
        OrganisationKind.BUYER,
        "Hudson Home Goods Inc.",
        "Hudson Home Goods Inc. (New York)",
        country="US",
        buyer_type=BuyerType.IMPORTER,
    ),
    OrganisationSpec(
        "buyer-hamburg",
        OrganisationKind.BUYER,
        "Nordhandel Import GmbH",
        "Nordhandel Import GmbH (Hamburg)",
        country="DE",
        buyer_type=BuyerType.IMPORTER,
    ),
)

ROLE_LABELS = {
    "operator": _("operator"),
    "government": _("government"),
    "enterprise-admin": _("enterprise admin"),
    "enterprise-member": _("enterprise member"),
    "buyer": _("buyer"),
    "organiser": _("fair organiser"),
}

# The demo logins and their passwords are published (here and in the `dualcirc demo` output):
# demo data is for development machines only, which is why `dualcirc demo` refuses to run with
# DEBUG off unless forced. ``staff`` makes the operator a superuser, for the admin site.
LOGINS: tuple[LoginSpec, ...] = (
    LoginSpec(
        "operator", "operator", "operator-demo", "operator", Role.ADMIN, "敏", "王", staff=True
    ),
    LoginSpec(
        "government", "qingdao-gov", "government-demo", "gov-qingdao", Role.MEMBER, "伟", "刘"
    ),
    LoginSpec("enterprise-admin", "laixi-admin", "admin-demo", "LXF01", Role.ADMIN, "建国", "张"),
    LoginSpec("enterprise-member", "laixi-member", "member-demo", "LXF01", Role.MEMBER, "丽", "孙"),
    LoginSpec("buyer", "hangzhou-buyer", "buyer-demo", "buyer-hangzhou", Role.ADMIN, "婷", "陈"),
    # More of the same roles, to see the rules from other sides.
    LoginSpec("government", "lanxi-gov", "government-demo", "gov-lanxi", Role.MEMBER, "磊", "周"),
    LoginSpec(
        "buyer",
        "saigon-buyer",
        "buyer-demo",
        "buyer-saigon",
        Role.ADMIN,
        "Lan",
        "Nguyễn Thị",
        language="vi",
        time_zone="Asia/Ho_Chi_Minh",
    ),
    LoginSpec(
        "buyer",
        "hamburg-buyer",
        "buyer-demo",
        "buyer-hamburg",
        Role.ADMIN,
        "Jonas",
        "Becker",
        language="en",
        time_zone="Europe/Berlin",
    ),
    LoginSpec(
        "buyer",
        "newyork-buyer",
        "buyer-demo",
        "buyer-newyork",
        Role.ADMIN,
        "Maria",
        "Alvarez",
        language="en",
        time_zone="America/New_York",
    ),
    # The Laixi bureau runs the live online fair (halls, sessions, the meeting scheduler).
    LoginSpec(
        "organiser", "laixi-organiser", "organiser-demo", "gov-laixi", Role.ADMIN, "芳", "高"
    ),
)
