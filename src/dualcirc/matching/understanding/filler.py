"""Buyer filler ("where to buy", ``求购``, ``giá sỉ`` …) and the clean product terms."""

from __future__ import annotations

import re

# ------------------------------------------------------------------ filler
_FILLER = [
    # English
    r"where (?:can i|to|do i) (?:buy|find|source|get)",
    r"looking for",
    r"look(?:ing)? to (?:buy|source|import)",
    r"searching for",
    r"in bulk",
    r"bulk (?:order|purchase|buy)",
    r"(?:we|i) (?:need|want|are looking for|am looking for)",
    r"need(?:ed)?",
    r"wanted",
    r"want to buy",
    r"rfq",
    r"request for quotation",
    r"quote for",
    r"price for",
    r"(?:reliable |trusted |verified )?(?:suppliers?|manufacturers?|factor(?:y|ies)|vendors?|"
    r"makers?|producers?|exporters?|wholesalers?)",
    r"wholesale",
    r"must (?:have|be|ship|hold)",
    r"(?:is |be )?certified",
    r"certificat(?:e|ion)s?",
    r"registered",
    r"target price",
    r"(?:with )?(?:experience )?exporting",
    r"export(?:ed|s)?",
    r"ship(?:ping)?",
    r"delivery",
    r"lead time",
    r"ready",
    r"price",
    r"please",
    r"or less",
    r"must",
    # Chinese
    r"求购",
    r"采购",
    r"批发",
    r"找",
    r"寻找",
    r"需要",
    r"要求",
    r"厂家直销",
    r"厂家",
    r"工厂",
    r"供应商",
    r"生产商",
    r"源头",
    r"认证",
    r"资质",
    r"有出口",
    r"出口",
    r"经验",
    r"能做",
    r"市场",
    r"产品",
    r"预算",
    r"价格",
    r"单价",
    r"交期",
    r"货期",
    r"交货",
    r"哪里有",
    r"哪家",
    r"的",
    r"有",
    # Vietnamese
    r"cần tìm nhà cung cấp",
    r"tìm nhà cung cấp",
    r"nhà cung cấp",
    r"tìm xưởng sản xuất",
    r"xưởng sản xuất",
    r"nhà sản xuất",
    r"tìm xưởng",
    r"xưởng",
    r"cần tìm",
    r"cần mua",
    r"muốn mua",
    r"tìm mua",
    r"báo giá",
    r"giá sỉ",
    r"giá buôn",
    r"bán sỉ",
    r"số lượng lớn",
    r"đơn giá",
    r"giá",
    r"đạt chuẩn",
    r"chứng nhận",
    r"chứng chỉ",
    r"có xuất khẩu",
    r"đã xuất đi",
    r"xuất khẩu sang",
    r"xuất khẩu",
    r"giao hàng",
    r"thời gian sản xuất",
    r"mua",
    r"cần",
    r"tìm",
]
FILLER_RE = re.compile(
    r"(?<![\w])(?:" + "|".join(f"(?:{f})" for f in _FILLER) + r")(?![\w])"
    r"|(?:求购|采购|批发|厂家|工厂|供应商|认证|有出口|出口|经验|能做|市场|预算|价格|单价|交期|货期|"
    r"交货|找|需要|的)",
    re.I,
)


def clean_terms(text: str, removed: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in removed:
        for i in range(max(0, s), min(len(chars), e)):
            chars[i] = " "
    rest = "".join(chars)
    rest = FILLER_RE.sub(" ", rest)
    rest = re.sub(r"[,;:，；：。、!?！？()（）\[\]【】|/]+", " ", rest)
    rest = re.sub(r"(?<!\w)[-–—](?!\w)", " ", rest)
    rest = re.sub(r"\s+", " ", rest).strip(" -–—.")
    return rest


def mask_filler(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(max(0, s), min(len(chars), e)):
            chars[i] = " "
    masked = "".join(chars)
    return FILLER_RE.sub(lambda m: " " * len(m.group()), masked)
