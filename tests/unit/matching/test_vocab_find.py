"""Glossary.find tries only the name lengths that exist for a character or word: it must still
find the longest name, shorter names sharing its first character, and respect word edges."""

from dualcirc.matching.vocab import Concept, Glossary


def _g() -> Glossary:
    rows = [
        ("product", {"en": ("sofa",), "zh": ("沙发",)}),
        ("product", {"en": ("sofa cover",), "zh": ("沙发套",)}),
        ("product", {"en": ("sofa cover set",), "zh": ("沙发套装组合",)}),
        ("product", {"en": ("led tv",), "zh": ("led电视",)}),
        ("product", {"en": ("t-shirt",), "zh": ("t恤",)}),
        ("material", {"en": ("cover",), "zh": ("套",)}),
    ]
    return Glossary(Concept(kind=k, names=n) for k, n in rows)


def keys(g: Glossary, text: str, lang: str = "") -> list[str]:
    return [m.concept.key for m in g.find(text, lang)]


def test_longest_chinese_name_wins_and_shorter_ones_still_match():
    g = _g()
    assert keys(g, "买沙发套装组合和沙发套，还有沙发") == ["sofa cover set", "sofa cover", "sofa"]
    assert keys(g, "沙发") == ["sofa"]  # the text ends before the longer names could fit
    assert keys(g, "外套") == ["cover"]


def test_mixed_latin_chinese_names_do_not_start_or_end_inside_a_latin_word():
    g = _g()
    assert keys(g, "led电视 and t恤") == ["led tv", "t-shirt"]
    assert keys(g, "sled电视 shirt恤") == []


def test_latin_phrases_longest_first_and_unknown_first_words_skipped():
    g = _g()
    assert keys(g, "a sofa cover set, a sofa cover and a sofa", "en") == [
        "sofa cover set",
        "sofa cover",
        "sofa",
    ]
    assert keys(g, "zebra cover", "en") == ["cover"]
    assert keys(g, "sofas covers", "en") == ["sofa cover"]
