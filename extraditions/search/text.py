"""Folding, the query syntax and snippets: plain Python, so that both databases agree.

Text is *folded* before it is indexed and before a query is matched: lower case, no accents,
and the few Latin letters that Unicode does not decompose mapped by hand (Polish ł, Nordic ø,
German ß …). "Sąd Apelacyjny w Łodzi" and "sad apelacyjny w lodzi" are the same words.

Folded words are then *stemmed* — reduced to their stem by Snowball's English stemmer — in the
index and in a query alike: "tortured", "torturing" and "torture" are all "tortur", "assurances"
and "assurance" both "assur". The NGO's summaries are English; words of other languages mostly
pass through unchanged and match as written, which is why a legal provision lists the words courts
use for it in their own languages (``LegalProvision.vocabulary``). Both databases are given the
stems, never their own stemmer, so they find the same records.

The query syntax is the one people know from web search engines (PostgreSQL's
``websearch_to_tsquery``): words, ``"exact phrases"``, ``-excluded`` and ``or``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

# Letters without a Unicode decomposition to a base letter.
EXTRA_FOLDS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŀ": "l", "ŧ": "t", "ß": "ss",
                             "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})
WORD_RE = re.compile(r"[^\W_]+")  # letters and digits: what both databases' tokenizers call a word


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


_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A folded word's stem (Snowball English): what the index holds and a query looks for."""
    return _STEMMER.stemWord(word)


def stems(text: str) -> list[str]:
    return [stem(word) for word in words(text)]


def index_text(text: str) -> str:
    """``text`` as the index holds it: its stems, in order (phrases are matched on them)."""
    return " ".join(stems(text))


def stemmed(term: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(stem(word) for word in term)


# English words too common to look for on their own: "Article 3 of the Convention" looks for
# article, 3 and convention. A quoted phrase keeps them (they are indexed), and so does a query of
# nothing else. Names are searched elsewhere (extraditions/search/names.py): "He" stays a surname.
STOP_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "be", "by", "for", "from", "in", "is", "of", "on", "that", "the", "this", "to", "was", "with"]
)


def looked_for(clause: Clause) -> list[tuple[str, ...]]:
    """The clause's terms a full-text query looks for: without its lone stop words."""
    kept = [term for term in clause.terms if not (len(term) == 1 and term[0] in STOP_WORDS)]
    return kept or clause.terms


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


def fts5_query(query: str) -> str | None:
    """The same query in SQLite FTS5's syntax; None when there is nothing to look for."""
    alternatives = []
    for clause in parse_query(query):
        quoted = lambda term: '"' + " ".join(stemmed(term)) + '"'  # noqa: E731
        expression = " AND ".join(quoted(term) for term in looked_for(clause))
        for term in clause.excluded:
            expression = f"({expression}) NOT {quoted(term)}"
        alternatives.append(f"({expression})")
    return " OR ".join(alternatives) or None


def websearch_query(query: str) -> str:
    """The same query, stemmed, in PostgreSQL's ``websearch_to_tsquery`` syntax (which its parser
    splits into the same words: stems are letters and digits only)."""
    written = lambda term: " ".join(stemmed(term)) if len(term) == 1 else '"' + " ".join(stemmed(term)) + '"'  # noqa: E731
    return " or ".join(
        " ".join([*(written(term) for term in looked_for(clause)), *("-" + written(term) for term in clause.excluded)])
        for clause in parse_query(query)
    )


# --- snippets ------------------------------------------------------------------------------------

SNIPPET_WORDS = 30


def _tokens(text: str) -> list[tuple[int, int, str]]:
    """Each word of ``text``: where it starts and ends, and its stem."""
    if text.isascii():  # lower case keeps every offset: one pass over the text, not one per word
        return [(m.start(), m.end(), stem(m.group())) for m in WORD_RE.finditer(text.lower())]
    return [(m.start(), m.end(), stem(fold(m.group()))) for m in WORD_RE.finditer(text)]


def _hits(tokens: list[tuple[int, int, str]], query: str) -> set[int]:
    """The positions of the tokens that a positive term of the query matches (a phrase: in order)."""
    found = [token[2] for token in tokens]
    starts: dict[str, list[int]] = {}  # where each stem stands: a term is looked for only there
    for i, word in enumerate(found):
        starts.setdefault(word, []).append(i)
    hits: set[int] = set()
    for term in (term for clause in parse_query(query) for term in looked_for(clause)):
        term = stemmed(term)
        for i in starts.get(term[0], ()):
            if tuple(found[i : i + len(term)]) == term:
                hits.update(range(i, i + len(term)))
    return hits


@dataclass
class Found:
    """Where a query matches a text: its words (offsets and stems) and the positions of the
    matches. A text is read once for both its snippet and the words it matched."""

    text: str
    tokens: list[tuple[int, int, str]]
    hits: set[int]

    def words(self) -> list[str]:
        """The words the query matched, as first written, each once whatever its case, in order."""
        written = (self.text[self.tokens[i][0] : self.tokens[i][1]] for i in sorted(self.hits))
        first: dict[str, str] = {}
        for word in written:
            first.setdefault(fold(word), word)
        return list(first.values())

    def snippet(self, size: int = SNIPPET_WORDS) -> str:
        """The passage where the matches are densest, HTML-escaped, with the matches in ``<mark>``;
        empty when there is none."""
        tokens, hits, text = self.tokens, self.hits, self.text
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


def find(text: str, query: str) -> Found:
    tokens = _tokens(text or "")
    return Found(text or "", tokens, _hits(tokens, query))


# A line of a document's ``grounds`` part reads "reason — words": when the query matches the line,
# the reason says why the record matched (cases/search.py writes them for rulings).
REASON_SEPARATOR = " — "


def line_reasons(text: str, query: str) -> list[str]:
    """The reasons of the lines of ``text`` the query matches, with the words matched: the lines
    that hold every term of one of the query's alternatives if there are any ("ECHR art. 3" is
    ECHR art. 3's line, not also art. 2's), else every line that holds one."""
    matched = []
    for line in (text or "").splitlines():
        line_found = find(line, query)
        found = {line_found.tokens[i][2] for i in line_found.hits}
        if found:
            whole = any(all(set(stemmed(term)) <= found for term in looked_for(clause)) for clause in parse_query(query))
            matched.append((whole, line, line_found.words()))
    if any(whole for whole, _, _ in matched):
        matched = [item for item in matched if item[0]]
    return [f"{line.split(REASON_SEPARATOR, 1)[0]} — matched {quoted(words)}" for _, line, words in matched]


def quoted(words: list[str]) -> str:
    return ", ".join(f"“{word}”" for word in words)


def snippet(text: str, query: str, size: int = SNIPPET_WORDS) -> str:
    """The passage of ``text`` where the query's terms are densest (``Found.snippet``)."""
    return find(text, query).snippet(size)
