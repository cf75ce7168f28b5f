"""Folding, the query syntax and snippets: plain Python, so that both databases agree.

Text is *folded* before it is indexed and before a query is matched: lower case, no accents,
and the few Latin letters that Unicode does not decompose mapped by hand (Polish ł, Nordic ø,
German ß …). "Sąd Apelacyjny w Łodzi" and "sad apelacyjny w lodzi" are the same words.

The query syntax is the one people know from web search engines (PostgreSQL's
``websearch_to_tsquery``): words, ``"exact phrases"``, ``-excluded`` and ``or``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

# Letters without a Unicode decomposition to a base letter.
EXTRA_FOLDS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŀ": "l", "ŧ": "t", "ß": "ss",
                             "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})
WORD_RE = re.compile(r"\w+")


def fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(EXTRA_FOLDS)


class _FoldTable(dict):
    """Each character's fold, computed the first time it is met: ``str.translate`` then folds a
    ruling's full text in C rather than one Python call per character."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower case, without accents: what is indexed and what is matched."""
    if not text:
        return ""
    return text.lower() if text.isascii() else text.translate(FOLD_TABLE)


def words(text: str) -> list[str]:
    return WORD_RE.findall(fold(text))


@dataclass
class Clause:
    """One alternative of a query: all its terms must appear, none of its excluded ones."""

    terms: list[tuple[str, ...]] = field(default_factory=list)  # a term is one word or a phrase
    excluded: list[tuple[str, ...]] = field(default_factory=list)


def parse_query(query: str) -> list[Clause]:
    """``consular "fair trial" -death or torture`` → [(consular, fair trial, not death), (torture)]."""
    clauses = [Clause()]
    for match in re.finditer(r'(-?)"([^"]*)"?|(\S+)', query or ""):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None and word.lower() == "or":
            if clauses[-1].terms:
                clauses.append(Clause())
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            negated, word = "-", word[1:]
        term = tuple(words(phrase if phrase is not None else word))
        if not term:
            continue
        (clauses[-1].excluded if negated else clauses[-1].terms).append(term)
    return [clause for clause in clauses if clause.terms]


def positive_terms(query: str) -> list[tuple[str, ...]]:
    return [term for clause in parse_query(query) for term in clause.terms]


def fts5_query(query: str) -> str | None:
    """The same query in SQLite FTS5's syntax; None when there is nothing to look for."""
    alternatives = []
    for clause in parse_query(query):
        quoted = lambda term: '"' + " ".join(term) + '"'  # noqa: E731
        expression = " AND ".join(quoted(term) for term in clause.terms)
        for term in clause.excluded:
            expression = f"({expression}) NOT {quoted(term)}"
        alternatives.append(f"({expression})")
    return " OR ".join(alternatives) or None


# --- snippets ------------------------------------------------------------------------------------

SNIPPET_WORDS = 30


def snippet(text: str, query: str, size: int = SNIPPET_WORDS) -> str:
    """The passage of ``text`` where the query's terms are densest, HTML-escaped, with the
    matches in ``<mark>``. Empty when the text has none of them."""
    if not text:
        return ""
    tokens = [(m.start(), m.end(), fold(m.group())) for m in WORD_RE.finditer(text)]
    folded = [token[2] for token in tokens]
    hits: set[int] = set()
    for term in positive_terms(query):
        for i in range(len(folded) - len(term) + 1):
            if tuple(folded[i : i + len(term)]) == term:
                hits.update(range(i, i + len(term)))
    if not hits:
        return ""
    # The window of `size` words holding the most matches.
    best_start = max(range(max(1, len(tokens) - size + 1)), key=lambda s: (sum(1 for h in hits if s <= h < s + size), -s))
    window = range(best_start, min(len(tokens), best_start + size))
    parts, position = [], tokens[window[0]][0]
    for i in window:
        start, end, _ = tokens[i]
        parts.append(html.escape(re.sub(r"\s+", " ", text[position:start])))
        word = html.escape(text[start:end])
        parts.append(f"<mark>{word}</mark>" if i in hits else word)
        position = end
    prefix = "… " if window[0] > 0 else ""
    suffix = " …" if window[-1] < len(tokens) - 1 else ""
    return prefix + "".join(parts).strip() + suffix
