"""Comparing two analysed names: token similarity, one-to-one alignment, strictness rules.

The score is order-independent (tokens are aligned as sets), tolerates typos and
transliteration variants (tokens are compared on their folding keys), discounts omitted middle
names and omitted patronymics (an omitted patronymic costs less than a contradicting one), and
refuses matches that rest only on initials, numbers or generic organisation words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from corridor.names.analyze import AnalyzedName, Token, TokenKind
from corridor.names.fold import fold

TOKEN_CUTOFF = 0.87  # token similarities below this count as no match
SHORT_CUTOFF = 0.93  # the same for words of four letters or fewer
TYPO = 0.88  # similarity of words one typing error apart (two in words of 8+ letters)
VOWEL_VARIANT = 0.8601  # same consonants and first letter (Saleh/Salih): a weak pair
PATRONYMIC_AS_NAME = 0.85  # a surname meeting a patronymic (Petrovic / Petrovich) counts less
COMMON_WORD = 5.0  # index weight below which one agreeing word identifies no one

# share of an unmatched token's weight that still counts against the score
OMITTED_PATRONYMIC = 0.15  # one side gives a patronymic, the other gives none
OMITTED_MIDDLE = 0.45  # one side has more given/middle names than the other
UNMATCHED_GENERIC = 0.3  # "group", "trading", "international"...
UNMATCHED_INITIAL = 0.4
UNMATCHED_PARTICLE = 0.2  # al, de, bin, ould...
MANY_AGREE = 3  # when this many names agree, a differing extra name weighs half
JOINED = 0.95  # similarity of a word to the same letters written as two or three words

Weight = Callable[[Token], float]


def default_weight(token: Token) -> float:
    """Weight of a token without corpus statistics: by kind and length."""
    if token.kind in (TokenKind.GENERIC, TokenKind.PARTICLE):
        return 0.3
    if token.kind is TokenKind.INITIAL:
        return 0.4
    if token.kind is TokenKind.NUMBER:
        return 1.5
    return min(1.0, 0.4 + 0.15 * len(token.fold))


@lru_cache(maxsize=1_000_000)
def _fuzzy(a: str, b: str) -> float:
    # Jaro-Winkler rewards an agreeing start, Levenshtein counts the edits
    jw = JaroWinkler.normalized_similarity(a, b)
    lev = Levenshtein.normalized_similarity(a, b)
    return 0.6 * jw + 0.4 * lev


def token_similarity(a: Token, b: Token, abjad: bool = False) -> float:
    """Similarity of two tokens in [0, 1]; 0 below :data:`TOKEN_CUTOFF`."""
    if a.fold == b.fold:
        return 1.0
    if a.kind is TokenKind.NUMBER or b.kind is TokenKind.NUMBER:
        return 0.0
    if any(c.isdigit() for c in a.fold + b.fold):
        return 0.0  # a code written otherwise (YV1007 / YV1003, MiG-29 / MiG-23) is another one
    if a.kind is TokenKind.INITIAL or b.kind is TokenKind.INITIAL:
        if a.kind is b.kind:
            return 0.0
        return 0.85 if a.fold[0] == b.fold[0] else 0.0
    if abjad:
        # romanised Arabic/Hebrew writes no short vowels: compare vowel-free keys
        sa, sb = a.akey, b.akey
        if sa == sb or a.akey2 == b.akey2 or sa == b.akey2 or a.akey2 == sb:
            return 0.92 if len(sa) >= 2 else (0.85 if len(a.fold) + len(b.fold) >= 5 else 0.0)
        for x, y in ((sa, sb), (sb, sa)):  # the article al- is written joined
            if x.startswith("l") and len(x) >= 3 and x[1:] == y:
                return 0.9
        s = _fuzzy(sa, sb) if min(len(sa), len(sb)) >= 3 else 0.0
        return s * 0.95 if s >= TOKEN_CUTOFF else 0.0
    shortest = min(len(a.fold), len(b.fold))
    if shortest <= 2:
        return 0.0
    s = _fuzzy(a.fold, b.fold)
    if s < 0.93 and (shortest >= 5 or (shortest == 4 and max(len(a.fold), len(b.fold)) >= 5)):
        # one typing error (Deicy/Deisy, Makled/Wakled, Savo/Savko), or two in a long word
        # (Epimenio/Epinemio)
        edits = OSA.distance(a.fold, b.fold)
        if edits == 1 or (
            edits == 2 and shortest >= 8 and a.fold[:2] == b.fold[:2] and a.fold[-2:] == b.fold[-2:]
        ):
            return max(s, TYPO)
    if _vowel_dropped(a.fold, b.fold):
        return max(s, 0.9)  # Тілеуберді / Тлеуберди: a reduced vowel left out
    if shortest <= 4 and s < SHORT_CUTOFF:
        s = 0.0  # a short word one letter off is another word (sarv/sav, ivan/ivana)
    elif s < TOKEN_CUTOFF:
        s = 0.0
    if (
        s < 0.9
        and a.skel == b.skel
        and len(a.skel) >= 2
        and a.text[0] == b.text[0]
        and _fuzzy(a.fold, b.fold) >= 0.7
    ):
        return VOWEL_VARIANT  # Saleh / Salih, Hoon / Hun: a weak pair on its own
    return s


@lru_cache(maxsize=262144)
def _vowel_dropped(a: str, b: str) -> bool:
    """True when the longer word is the shorter with vowels inserted."""
    if len(a) < len(b):
        a, b = b, a
    if len(a) == len(b) or len(b) < 4:
        return False
    j = 0
    for ch in a:
        if j < len(b) and ch == b[j]:
            j += 1
        elif ch not in "aeiou":
            return False
    return j == len(b)


@dataclass(slots=True)
class TokenPair:
    query: Token
    candidate: Token
    similarity: float


@dataclass(slots=True)
class NameMatch:
    """The alignment of two names and its score, with the reasons for every discount."""

    score: float
    query: AnalyzedName
    candidate: AnalyzedName
    pairs: list[TokenPair] = field(default_factory=list)
    unmatched_query: list[tuple[Token, float]] = field(default_factory=list)
    unmatched_candidate: list[tuple[Token, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _unmatched_factor(
    tok: Token, own_names: int, other_names: int, other_has_patronymic: bool, agreeing: int
) -> float:
    if tok.kind is TokenKind.PATRONYMIC:
        return 1.0 if other_has_patronymic else OMITTED_PATRONYMIC
    if tok.kind is TokenKind.PARTICLE:
        return UNMATCHED_PARTICLE
    if tok.kind is TokenKind.GENERIC:
        return UNMATCHED_GENERIC
    if tok.kind is TokenKind.INITIAL:
        return UNMATCHED_INITIAL
    if tok.kind is TokenKind.NUMBER:
        return 1.0
    if own_names > other_names:
        return OMITTED_MIDDLE
    return 0.5 if agreeing >= MANY_AGREE else 1.0


def _initial_vs_word(a: Token, b: Token) -> bool:
    """An initial against a word: meaningful in persons' names (J. Smith), not in
    organisations' (A-ONE is not AIWEN)."""
    return (a.kind is TokenKind.INITIAL) != (b.kind is TokenKind.INITIAL)


def _join_pairs(
    q: AnalyzedName, c: AnalyzedName, used_q: set[int], used_c: set[int]
) -> list[tuple[list[int], list[int]]]:
    """Words written joined on one side and apart on the other (SYRIANAIR / SYRIAN AIR)."""
    joins: list[tuple[list[int], list[int]]] = []
    for one, many, used_one, used_many, flip in (
        (q, c, used_q, used_c, False),
        (c, q, used_c, used_q, True),
    ):
        if len(many.tokens) < 2:
            continue
        lengths = [len(t.text) for t in many.tokens]
        for i, tok in enumerate(one.tokens):
            n = len(tok.text)
            if i in used_one or n < 2:
                continue
            for size in (2, 3):
                for start in range(len(lengths) - size + 1):
                    if abs(sum(lengths[start : start + size]) - n) > 1:
                        continue  # the letters cannot add up
                    run = list(range(start, start + size))
                    if any(k in used_many for k in run):
                        continue
                    # short words only as acronyms written apart (M D S / MDS)
                    if n < 5 and not all(many.tokens[k].kind is TokenKind.INITIAL for k in run):
                        continue
                    joined = "".join(many.tokens[k].fold for k in run)
                    if (
                        joined == tok.fold
                        or fold("".join(many.tokens[k].text for k in run)) == tok.fold
                    ):
                        used_one.add(i)
                        used_many.update(run)
                        joins.append(([i], run) if not flip else (run, [i]))
                        break
                if i in used_one:
                    break
    return joins


def compare_names(
    q: AnalyzedName,
    c: AnalyzedName,
    weight: Weight = default_weight,
    q_weights: tuple[float, ...] | None = None,
    c_weights: tuple[float, ...] | None = None,
    q_similar: list[dict[str, float]] | None = None,
) -> NameMatch:
    """Score how well name ``c`` matches name ``q`` (symmetric up to the weights).

    Token weights come from ``weight`` unless precomputed in ``q_weights``/``c_weights``.
    ``q_similar`` gives, for each query token, the similarity of every listed token (by
    folding key) it resembles, as the index found them; tokens absent there count as 0.
    """
    result = NameMatch(0.0, q, c)
    if not q.tokens or not c.tokens:
        result.notes.append("a name without words never matches")
        return result
    wq = q_weights if q_weights is not None else tuple(weight(t) for t in q.tokens)
    wc = c_weights if c_weights is not None else tuple(weight(t) for t in c.tokens)
    abjad = q.abjad or c.abjad
    org = q.organization or c.organization
    sims: list[tuple[float, float, int, int]] = []
    if q_similar is not None:
        for i, found in enumerate(q_similar):
            if not found:
                continue
            for j, b in enumerate(c.tokens):
                s = found.get(b.fold, 0.0)
                if s > 0 and not (org and _initial_vs_word(q.tokens[i], b)):
                    sims.append((s, wq[i] + wc[j], i, j))
    else:
        for i, a in enumerate(q.tokens):
            for j, b in enumerate(c.tokens):
                s = 1.0 if a.fold == b.fold else token_similarity(a, b, abjad)
                if s > 0 and not (org and _initial_vs_word(a, b)):
                    sims.append((s, wq[i] + wc[j], i, j))
    sims.sort(reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    matched = 0.0
    total = 0.0
    if len(q.tokens) != len(c.tokens):
        for qi, cj in _join_pairs(q, c, used_q, used_c):
            w = (sum(wq[i] for i in qi) + sum(wc[j] for j in cj)) / 2
            matched += w * JOINED
            total += w
            for i in qi:
                for j in cj:
                    result.pairs.append(TokenPair(q.tokens[i], c.tokens[j], JOINED))
    for s, w2, i, j in sims:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        if (q.tokens[i].kind is TokenKind.PATRONYMIC) != (c.tokens[j].kind is TokenKind.PATRONYMIC):
            s *= PATRONYMIC_AS_NAME
        result.pairs.append(TokenPair(q.tokens[i], c.tokens[j], s))
        matched += w2 / 2 * s
        total += w2 / 2
    q_left = [(t, wq[i]) for i, t in enumerate(q.tokens) if i not in used_q]
    c_left = [(t, wc[j]) for j, t in enumerate(c.tokens) if j not in used_c]
    q_names = sum(1 for t in q.tokens if t.kind is TokenKind.NAME)
    c_names = sum(1 for t in c.tokens if t.kind is TokenKind.NAME)
    q_pat = any(t.kind is TokenKind.PATRONYMIC for t, _w in q_left)
    c_pat = any(t.kind is TokenKind.PATRONYMIC for t, _w in c_left)
    agreeing = sum(1 for p in result.pairs if p.query.kind is TokenKind.NAME)
    for tok, w in q_left:
        f = _unmatched_factor(tok, q_names, c_names, c_pat, agreeing)
        result.unmatched_query.append((tok, f))
        total += w * f
    for tok, w in c_left:
        f = _unmatched_factor(tok, c_names, q_names, q_pat, agreeing)
        result.unmatched_candidate.append((tok, f))
        total += w * f
    if q_pat and c_pat:
        result.notes.append("the patronymics contradict each other")
    score = matched / total if total else 0.0
    # strictness: what a match may never rest on
    meaningful = [
        p
        for p in result.pairs
        if p.query.kind in (TokenKind.NAME, TokenKind.PATRONYMIC)
        and p.candidate.kind in (TokenKind.NAME, TokenKind.PATRONYMIC)
        and p.similarity != VOWEL_VARIANT
        and (
            min(len(p.query.text), len(p.candidate.text)) >= 3
            or (p.similarity == 1.0 and not q.organization and not c.organization)
        )
    ]
    weak = sum(1 for p in result.pairs if p.similarity == VOWEL_VARIANT)
    if not meaningful:
        score = min(score, 0.5)
        result.notes.append("only initials, numbers or generic words agree")
    elif sum(len(p.query.text) for p in meaningful) < 4 and (
        len(q.tokens) > 1 or len(c.tokens) > 1
    ):
        score = min(score, 0.6)
        result.notes.append("the agreeing words are too short to identify anyone")
    name_pairs = len([p for p in meaningful if p.query.kind is TokenKind.NAME]) + weak / 2
    if name_pairs < 1.5 and (
        (q_names >= 2 and c_names >= 2)
        or (q_names >= 2 and not q.organization and not c.organization)
    ):
        score = min(score, 0.7)
        result.notes.append("only one of several names agrees")
    elif len(meaningful) == 1 and q_weights is not None and c_weights is not None:
        i = q.tokens.index(meaningful[0].query)
        if wq[i] < COMMON_WORD:
            score = min(score, 0.7)
            result.notes.append(f"'{meaningful[0].query.text}' alone is too common a name")
    result.score = round(min(1.0, max(0.0, score)), 4)
    return result
