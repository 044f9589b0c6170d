from hypothesis import given
from hypothesis import strategies as st

from dualcirc.matching.text import normalise, stem, strip_diacritics, tokenize


def test_chinese_words_and_bigrams():
    toks = tokenize("黑色桑蚕丝睡衣")
    assert "睡衣" in toks  # jieba word
    assert "桑蚕丝" in toks
    assert "色桑" in toks  # character bigram across the word boundary


def test_single_cjk_character_kept():
    assert tokenize("床") == ["床"]


def test_number_and_unit_stay_together():
    assert "12oz" in tokenize("Denim 12 oz")
    assert "12oz" in tokenize("denim 12oz")
    assert "55inch" in tokenize("55 inch TV")
    assert "400gsm" in tokenize("400GSM fleece")


def test_chinese_units_fold_to_latin():
    toks = tokenize("全棉帆布 400克")
    assert "400克" in toks and "400g" in toks


def test_dimensions_are_one_token():
    assert tokenize("45x45 133×72") == ["45x45", "133x72"]


def test_vietnamese_with_and_without_diacritics():
    toks = tokenize("Vải denim co giãn")
    assert {"vải", "vai", "giãn", "gian", "co", "denim"} <= set(toks)
    assert "co_giãn" in toks and "co_gian" in toks
    assert strip_diacritics("đồng") == "dong"


def test_english_lowercase_stem_and_stopwords():
    toks = tokenize("Looking for Sofas wholesale")
    assert toks == ["sofa"]
    assert stem("boxes") == "box" and stem("ponies") == "pony" and stem("glass") == "glass"


def test_full_width_folds():
    assert normalise("ＬＥＤ　ＴＶ") == "led tv"
    assert "65inch" in tokenize("６５ inch")


@given(st.text(max_size=60))
def test_tokenize_never_fails_and_tokens_are_clean(text):
    for tok in tokenize(text):
        assert tok and tok == tok.lower() and " " not in tok


def test_a_latin_word_ends_where_a_chinese_run_starts():
    # buyers write TC连体服, PP牙刷, LED电视 without a space: the Chinese part is its own run
    assert tokenize("TC连体服")[:2] == ["tc", "连体"] and "连体服" in tokenize("TC连体服")
    assert "牙刷" in tokenize("PP牙刷") and "pp" in tokenize("PP牙刷")
    assert "tc连体服" not in tokenize("TC连体服")
    # and a number's unit before a Chinese run stays with the number
    assert tokenize("400g纯棉毛巾")[:2] == ["400g", "纯棉"]


def test_possessives_and_irregular_plurals_meet_their_singular():
    assert tokenize("Women's Shoes") == tokenize("womens shoes") == ["women", "shoe", "women_shoe"]
    # WordNet's exceptions (data/plurals_en.tsv) before the suffix rules
    assert tokenize("silk scarves") == tokenize("silk scarf")
    assert tokenize("kitchen knives") == tokenize("kitchen knife")
    assert stem("gloves") == "glove" and stem("caves") == "cave"  # regular ones stay regular


def test_a_hyphenated_word_meets_its_spaced_and_joined_spellings():
    listing = set(tokenize("Heavy Duty T-Shirt"))
    assert "t_shirt" in listing and "t_shirt" in tokenize("t shirt")
    assert "tshirt" in listing and tokenize("tshirts") == ["tshirt"]
