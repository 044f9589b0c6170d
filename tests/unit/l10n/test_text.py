"""Names and listing text: the viewer's language when written, else the original, marked."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from dualcirc.core.models import User
from dualcirc.l10n.text import (
    LocalText,
    guess_language,
    language_name,
    listing_texts,
    local_name,
    local_text,
    other_text,
    person_name,
)

TRILINGUAL = SimpleNamespace(title_zh="牛仔布", title_en="Denim", title_vi="Vải denim co giãn")
CHINESE_ONLY = SimpleNamespace(title_zh="实木餐桌", title_en="", title_vi="")
ENGLISH_VIETNAMESE = SimpleNamespace(title_zh="", title_en="Oak table", title_vi="Bàn gỗ sồi")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", LocalText("zh", "牛仔布")),
        ("en", LocalText("en", "Denim")),
        ("vi", LocalText("vi", "Vải denim co giãn")),
    ],
)
def test_local_text_is_in_the_viewers_language_when_written(
    language: str, expected: LocalText
) -> None:
    assert local_text(TRILINGUAL, "title", language=language) == expected


@pytest.mark.parametrize("language", ["en", "vi"])
def test_local_text_of_a_chinese_only_listing_is_the_original_marked(language: str) -> None:
    assert local_text(CHINESE_ONLY, "title", language=language) == LocalText(
        "zh", "实木餐桌", original=True
    )


def test_local_text_for_a_chinese_viewer_of_an_english_and_vietnamese_listing() -> None:
    assert local_text(ENGLISH_VIETNAMESE, "title", language="zh-hans") == LocalText(
        "en", "Oak table", original=True
    )
    assert local_text(ENGLISH_VIETNAMESE, "title", language="vi") == LocalText("vi", "Bàn gỗ sồi")


def test_local_text_of_an_unlabelled_field_takes_the_language_its_script_shows() -> None:
    enterprise = SimpleNamespace(description="莱西橡木家具，出口二十年。")

    assert local_text(enterprise, "description", language="zh-hans") == LocalText(
        "zh", "莱西橡木家具，出口二十年。"
    )
    assert local_text(enterprise, "description", language="en") == LocalText(
        "zh", "莱西橡木家具，出口二十年。", original=True
    )
    assert local_text(SimpleNamespace(description=""), "description", language="en") is None


@pytest.mark.parametrize(
    ("text", "family"),
    [("实木餐桌", "zh"), ("Bàn ăn gỗ sồi", "vi"), ("Đèn LED", "vi"), ("Oak table", "en")],
)
def test_guess_language_by_script(text: str, family: str) -> None:
    assert guess_language(text) == family


def test_other_text_is_the_original_beside_a_translation_else_the_next_language() -> None:
    assert other_text(TRILINGUAL, "title", language="en") == LocalText("zh", "牛仔布")
    assert other_text(TRILINGUAL, "title", language="zh-hans") == LocalText("en", "Denim")
    assert other_text(TRILINGUAL, "title", language="vi") == LocalText("zh", "牛仔布")
    assert other_text(CHINESE_ONLY, "title", language="en") is None


def test_listing_texts_skip_blank_languages_in_zh_en_vi_order() -> None:
    blank_english = SimpleNamespace(title_zh="", title_en="  ", title_vi="Vải denim")

    assert [t.lang for t in listing_texts(TRILINGUAL, "title")] == ["zh", "en", "vi"]
    assert listing_texts(blank_english, "title") == [LocalText("vi", "Vải denim")]


@pytest.mark.parametrize(
    ("language", "both", "chinese_only"),
    [("zh-hans", "莱西市", "兰溪市"), ("en", "Laixi", "兰溪市"), ("vi", "莱西市", "兰溪市")],
)
def test_local_name_of_a_two_script_name(language: str, both: str, chinese_only: str) -> None:
    assert local_name(SimpleNamespace(name_zh="莱西市", name_en="Laixi"), language=language) == both
    assert (
        local_name(SimpleNamespace(name_zh="兰溪市", name_en=""), language=language) == chinese_only
    )


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("zh-hans", ["中文", "英语", "越南语"]),
        ("en", ["Chinese", "English", "Vietnamese"]),
        ("vi", ["Tiếng Trung", "Tiếng Anh", "Tiếng Việt"]),
    ],
)
def test_language_name_in_the_viewers_language(language: str, names: list[str]) -> None:
    assert [language_name(c, language=language) for c in ("zh", "en", "vi")] == names


# ---------------------------------------------------------------------- person names


def test_person_name_puts_a_chinese_family_name_first_without_a_space():
    assert person_name(given="建国", family="张") == "张建国"


def test_person_name_puts_a_western_given_name_first():
    assert person_name(given="Anna", family="Schmidt") == "Anna Schmidt"


def test_person_name_puts_a_vietnamese_family_name_first_with_a_space():
    assert person_name(given="Thị Lan", family="Nguyễn") == "Nguyễn Thị Lan"


def test_person_name_with_one_part_is_that_part():
    assert person_name(given=" Lan ", family="") == "Lan"
    assert person_name(given="", family="张") == "张"


def test_user_full_name_follows_the_language_order():
    chinese = User(username="zhang", first_name="建国", last_name="张")
    german = User(username="anna", first_name="Anna", last_name="Schmidt")

    assert (chinese.get_full_name(), german.get_full_name()) == ("张建国", "Anna Schmidt")


def test_local_name_of_a_plain_chinese_name_beside_an_english_one_follows_the_viewer():
    organisation = SimpleNamespace(name="杭州家居采购有限公司", name_en="Hangzhou Home Sourcing")

    assert local_name(organisation, language="zh-hans") == "杭州家居采购有限公司"
    assert local_name(organisation, language="en") == "Hangzhou Home Sourcing"
