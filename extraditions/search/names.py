"""The forms a person's name is found by.

A researcher may type a name in Chinese characters (simplified or traditional), in pinyin with
or without tone marks or spaces, in another romanisation, or misspelt. Each name a person has
(primary, original script, aliases) is indexed under every form below; misspellings are left to
trigram similarity at query time. Script conversion uses OpenCC and pinyin uses pypinyin, not
hand-made tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .text import fold

HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
NOT_LETTERS_RE = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class NameForm:
    text: str  # as shown in a reason: "伊德里斯·哈桑", "yi de li si"
    kind: str  # a NameKind value
    key: str  # what is compared: folded, without spaces or punctuation


class NameKind:
    """How a form derives from the name a researcher entered, for the reasons given to users."""

    AS_ENTERED = "as_entered"
    SIMPLIFIED = "simplified"
    TRADITIONAL = "traditional"
    PINYIN = "pinyin"

    LABELS = {
        AS_ENTERED: "{name}",
        SIMPLIFIED: "{name} in simplified characters",
        TRADITIONAL: "{name} in traditional characters",
        PINYIN: "{name} in pinyin",
    }


def key(text: str) -> str:
    """Folded, without spaces or punctuation: "Yīdélǐsī", "yi de li si" and "Yidelisi" agree."""
    return NOT_LETTERS_RE.sub("", fold(text))


def has_han(text: str) -> bool:
    return bool(HAN_RE.search(text or ""))


@lru_cache(maxsize=2)
def converter(direction: str):
    import opencc

    return opencc.OpenCC(direction)


def to_simplified(text: str) -> str:
    return converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    return converter("s2t").convert(text)


def pinyin(text: str) -> str:
    """Toneless pinyin, a syllable per character: "yi de li si ha sang"."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(syllable for syllable in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if syllable.strip())


def name_forms(name: str) -> list[NameForm]:
    """Every form ``name`` is found by, without repeats."""
    forms = [NameForm(name, NameKind.AS_ENTERED, key(name))]
    if has_han(name):
        forms += [
            NameForm(to_simplified(name), NameKind.SIMPLIFIED, key(to_simplified(name))),
            NameForm(to_traditional(name), NameKind.TRADITIONAL, key(to_traditional(name))),
            NameForm(pinyin(name), NameKind.PINYIN, key(pinyin(name))),
        ]
    unique = {}
    for form in forms:
        if form.key and form.key not in unique:
            unique[form.key] = form
    return list(unique.values())


def query_keys(query: str) -> set[str]:
    """The keys a typed name is compared by: itself, and its other script if in Chinese."""
    keys = {key(query)}
    if has_han(query):
        keys |= {key(to_simplified(query)), key(to_traditional(query))}
    return {k for k in keys if k}


# --- trigram similarity, as PostgreSQL's pg_trgm computes it -------------------------------------


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    grams = set()
    for word in re.findall(r"\w+", fold(text)):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str) -> float:
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)
