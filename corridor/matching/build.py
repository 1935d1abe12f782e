"""Compiling a name index: entities in, typed arrays out (see :mod:`corridor.matching.layout`).

The builder takes entities one at a time, so a list of millions is read from the store as a
stream; what it keeps meanwhile are flat arrays and two dictionaries (distinct name forms and
distinct words). Names are analysed once per distinct written name.
"""

from __future__ import annotations

import io
import json
import math
from array import array
from collections.abc import Iterable
from typing import IO, Any

import numpy as np

from corridor.matching.features import normalise_identifier
from corridor.matching.layout import Section, key_hash, write_sections
from corridor.model.entity import Entity, EntityKind, NameStrength, NameType
from corridor.names.analyze import AnalyzedName, Token, TokenKind, name_variants

NAME_TYPES = tuple(NameType)
SEP = "\x1f"  # between the fields of a record in a blob
SUB = "\x1e"  # between the items of a field


def deletes(key: str) -> list[str]:
    """Every deletion of one letter of ``key`` (SymSpell blocking keys)."""
    return [key[:i] + key[i + 1 :] for i in range(len(key))]


LONG_WORD = 8  # words this long are also found two edits away (their typos score high)


def deletes2(key: str) -> set[str]:
    """``key`` itself, and every deletion of one or two of its letters."""
    once = set(deletes(key))
    return {key} | once | {d for k in once for d in deletes(k)}


def token_keys(tok: Token, two_edits: bool = True) -> list[str]:
    """The blocking keys of a listed word: its consonant skeleton, its vowel-free keys, every
    one-letter deletion of words of four letters or more, and for words of eight letters or
    more the word and its deletions of one or two letters (a long word two edits away, such as
    Blondalsen / Blondaensen, still scores above the cut-off)."""
    if tok.kind is TokenKind.NUMBER:
        return []
    keys = ["s:" + tok.skel, "a:" + tok.akey]
    if tok.akey2 != tok.akey:
        keys.append("a:" + tok.akey2)
    if len(tok.fold) >= 4:
        keys.extend("d:" + d for d in deletes(tok.fold))
    if two_edits and len(tok.fold) >= LONG_WORD:
        keys.extend("e:" + d for d in sorted(deletes2(tok.fold)))
    return keys


def joined_keys(folds: list[str]) -> list[str]:
    """Runs of two or three adjacent words written as one (SYRIAN AIR / SYRIANAIR)."""
    out = []
    for size in (2, 3):
        for start in range(len(folds) - size + 1):
            key = "".join(folds[start : start + size])
            acronym = all(len(f) == 1 for f in folds[start : start + size])
            if key.isalpha() and (len(key) >= 5 or acronym):
                out.append(key)
    return out


class _Blob:
    """Variable-length records: one byte buffer and the offsets of its records."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.offsets = array("q", [0])

    def add(self, record: bytes) -> None:
        self.data += record
        self.offsets.append(len(self.data))

    def sections(self, name: str) -> list[Section]:
        return [(name + "_off", np.frombuffer(self.offsets, dtype=np.int64)), (name, self.data)]


class IndexBuilder:
    """Accumulates entities; :meth:`write` produces the compiled index."""

    def __init__(self, two_edits: bool = True, profiles: dict[str, str] | None = None) -> None:
        """``two_edits=False`` leaves out the keys that find long words two edits away (the
        index as it was before them, which tests compare with). ``profiles`` maps entity ids
        to the profile (one party on several lists) each belongs to; an entity it does not
        name is a profile of its own."""
        self.two_edits = two_edits
        self.profiles = profiles or {}
        self.entities = _Blob()
        self.entity_ids: list[str] = []
        self.name_entity = array("i")
        self.name_type = array("B")
        self.name_weak = array("B")
        self.name_form = array("i")
        self.name_text = _Blob()
        self.form_of: dict[str, int] = {}
        self.form_tok = array("i")
        self.form_tok_off = array("q", [0])
        self.form_flags = array("B")
        self.form_meta = _Blob()
        self.tok_of: dict[Token, int] = {}
        self.tok_text = _Blob()
        self.tok_kind = array("B")
        self.tok_vid = array("i")
        self.vocab: dict[str, int] = {}
        self.v_rep = array("i")
        self.post_v = array("i")
        self.post_f = array("i")
        self.joined_h = array("Q")
        self.joined_f = array("i")

    def __len__(self) -> int:
        return len(self.entities.offsets) - 1

    def add_all(self, entities: Iterable[Entity]) -> IndexBuilder:
        for ent in entities:
            self.add(ent)
        return self

    def add(self, ent: Entity) -> None:
        eidx = len(self)
        org = ent.kind is not EntityKind.PERSON
        ids = sorted(
            {k for k in (normalise_identifier(i.value) for i in ent.identifiers) if len(k) >= 4}
        )
        countries = sorted(set(ent.nationalities + ent.citizenships + ent.countries))
        record = [
            ent.id,
            ent.caption,
            ent.source,
            ent.kind.value,
            list(ent.programs),
            list(ent.birth_dates),
            countries,
            ids,
            ent.gender,
            list(ent.lists),
            ent.listed_on,
        ]
        self.entities.add(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode())
        self.entity_ids.append(ent.id)
        seen: set[str] = set()
        for name in ent.names:
            weak = name.strength is NameStrength.WEAK
            for variant in name_variants(name.full, organization=org):
                if not variant.tokens or variant.key in seen:
                    continue
                seen.add(variant.key)
                self._add_name(eidx, name.full, name.type, weak, variant)

    def _add_name(
        self, eidx: int, text: str, ntype: NameType, weak: bool, variant: AnalyzedName
    ) -> None:
        self.name_entity.append(eidx)
        self.name_type.append(NAME_TYPES.index(ntype))
        self.name_weak.append(weak)
        self.name_text.add(text.encode())
        fkey = SEP.join(sorted(f"{t.fold}{SUB}{int(t.kind)}" for t in variant.tokens))
        fidx = self.form_of.get(fkey)
        if fidx is None:
            fidx = self.form_of[fkey] = len(self.form_of)
            self._add_form(fidx, variant)
        self.name_form.append(fidx)

    def _add_form(self, fidx: int, variant: AnalyzedName) -> None:
        for tok in variant.tokens:
            self.form_tok.append(self._intern(tok))
        self.form_tok_off.append(len(self.form_tok))
        self.form_flags.append(int(variant.abjad) | int(variant.organization) << 1)
        meta = SEP.join((variant.original, variant.script or "", SUB.join(variant.legal_forms)))
        self.form_meta.add(meta.encode())
        # each distinct word of the form points at it (a word written twice with two kinds
        # points twice, as it always has)
        for tok in dict.fromkeys(variant.tokens):
            self.post_v.append(self.tok_vid[self.tok_of[tok]])
            self.post_f.append(fidx)
        for key in joined_keys([t.fold for t in variant.tokens]):
            self.joined_h.append(key_hash(key))
            self.joined_f.append(fidx)

    def _intern(self, tok: Token) -> int:
        tid = self.tok_of.get(tok)
        if tid is None:
            tid = self.tok_of[tok] = len(self.tok_kind)
            self.tok_text.add(
                SEP.join((tok.text, tok.fold, tok.skel, tok.akey, tok.akey2)).encode()
            )
            self.tok_kind.append(int(tok.kind))
            vid = self.vocab.get(tok.fold)
            if vid is None:
                vid = self.vocab[tok.fold] = len(self.v_rep)
                self.v_rep.append(tid)
            self.tok_vid.append(vid)
        return tid

    def write(
        self, out: IO[bytes], meta: dict[str, Any], notes: dict[str, Any] | None = None
    ) -> int:
        """Write the compiled index to ``out``; return its size in bytes."""
        sections = self._sections(notes or {})
        counts = {
            "entities": len(self),
            "names": len(self.name_entity),
            "forms": len(self.form_of),
            "words": len(self.v_rep),
        }
        return write_sections(out, sections, {**meta, "counts": counts})

    def to_bytes(self, meta: dict[str, Any], notes: dict[str, Any] | None = None) -> bytes:
        buf = io.BytesIO()
        self.write(buf, meta, notes)
        return buf.getvalue()

    def _sections(self, notes: dict[str, Any]) -> list[Section]:
        n_forms = len(self.form_of)
        n_words = len(self.v_rep)
        post_v = np.frombuffer(self.post_v, dtype=np.int32)
        post_f = np.frombuffer(self.post_f, dtype=np.int32)
        order = np.argsort(post_v, kind="stable")
        post_val = post_f[order]
        sizes = np.bincount(post_v, minlength=n_words)
        post_off = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        forms_total = max(1, n_forms)
        idf = np.array(
            [math.log((forms_total + 1) / (int(c) + 0.5)) for c in sizes], dtype=np.float64
        )
        max_idf = math.log((forms_total + 1) / 0.5)
        # the weight of every word of every form, and of every form
        form_tok = np.frombuffer(self.form_tok, dtype=np.int32)
        kinds = np.frombuffer(self.tok_kind, dtype=np.uint8)[form_tok]
        tok_idf = idf[np.frombuffer(self.tok_vid, dtype=np.int32)[form_tok]]
        weights = tok_idf.copy()
        damped = (kinds == TokenKind.GENERIC) | (kinds == TokenKind.PARTICLE)
        weights[damped] = tok_idf[damped] * 0.3
        initial = kinds == TokenKind.INITIAL
        weights[initial] = np.minimum(tok_idf[initial], 2.0) * 0.5
        weights[kinds == TokenKind.NUMBER] = max_idf
        tw = weights.tolist()
        offs = self.form_tok_off.tolist()
        form_weight = np.array(
            [sum(tw[offs[i] : offs[i + 1]]) for i in range(n_forms)], dtype=np.float64
        )
        name_form = np.frombuffer(self.name_form, dtype=np.int32)
        mem_val = np.argsort(name_form, kind="stable").astype(np.int32)
        mem_off = np.concatenate(
            ([0], np.cumsum(np.bincount(name_form, minlength=n_forms)))
        ).astype(np.int64)
        vocab_h = array("Q", (key_hash(f) for f in self.vocab))
        vocab_v = array("i", self.vocab.values())
        keys_h = array("Q")
        keys_v = array("i")
        texts = self.tok_text
        for vid, tid in enumerate(self.v_rep):
            fields = bytes(texts.data[texts.offsets[tid] : texts.offsets[tid + 1]]).decode()
            text, fold, skel, akey, akey2 = fields.split(SEP)
            tok = Token(text, fold, skel, TokenKind(self.tok_kind[tid]), akey, akey2)
            for key in token_keys(tok, self.two_edits):
                keys_h.append(key_hash(key))
                keys_v.append(vid)
        # each entity's place in the order of entity ids (ties in score are broken by id)
        ids = self.entity_ids
        by_id = sorted(range(len(ids)), key=ids.__getitem__)
        rank = np.zeros(len(ids), dtype=np.int32)
        previous: str | None = None
        place = -1
        for i in by_id:
            if ids[i] != previous:
                place += 1
                previous = ids[i]
            rank[i] = place
        out: list[Section] = []
        out += self.entities.sections("entity")
        out.append(("entity_rank", rank))
        out += [
            ("name_entity", np.frombuffer(self.name_entity, dtype=np.int32)),
            ("name_type", np.frombuffer(self.name_type, dtype=np.uint8)),
            ("name_weak", np.frombuffer(self.name_weak, dtype=np.uint8)),
        ]
        out += self.name_text.sections("name_text")
        out += [
            ("form_tok_off", np.frombuffer(self.form_tok_off, dtype=np.int64)),
            ("form_tok", form_tok),
            ("form_tw", weights),
            ("form_weight", form_weight),
            ("form_flags", np.frombuffer(self.form_flags, dtype=np.uint8)),
            ("mem_off", mem_off),
            ("mem_val", mem_val),
        ]
        out += self.form_meta.sections("form_meta")
        out += self.tok_text.sections("tok_text")
        out += [
            ("tok_kind", np.frombuffer(self.tok_kind, dtype=np.uint8)),
            ("v_rep", np.frombuffer(self.v_rep, dtype=np.int32)),
            ("idf", idf),
            ("max_idf", np.array([max_idf], dtype=np.float64)),
            ("post_off", post_off),
            ("post_val", post_val.astype(np.int32)),
        ]
        out += _multimap("vocab", vocab_h, vocab_v)
        out += _multimap("keys", keys_h, keys_v)
        out += _multimap("joined", self.joined_h, self.joined_f)
        out.append(("notes", json.dumps(notes, ensure_ascii=False).encode()))
        out += self._profile_sections()
        return out

    def _profile_sections(self) -> list[Section]:
        """Each entity's profile number, each profile's id and its entities."""
        numbers: dict[str, int] = {}
        ids = _Blob()
        of = np.zeros(len(self.entity_ids), dtype=np.int32)
        for eidx, eid in enumerate(self.entity_ids):
            pid = self.profiles.get(eid, "")
            number = numbers.get(pid) if pid else None
            if number is None:
                number = len(ids.offsets) - 1
                ids.add(pid.encode())
                if pid:
                    numbers[pid] = number
            of[eidx] = number
        members = np.argsort(of, kind="stable").astype(np.int32)
        off = np.concatenate(([0], np.cumsum(np.bincount(of, minlength=len(ids.offsets) - 1))))
        return [
            ("ent_profile", of),
            *ids.sections("profile_id"),
            ("profile_off", off.astype(np.int64)),
            ("profile_val", members),
        ]


def _multimap(name: str, hashes: array[int], values: array[int]) -> list[Section]:
    """A hash → values table: sorted distinct hashes, offsets, values (in their first order)."""
    h = np.frombuffer(hashes, dtype=np.uint64) if len(hashes) else np.zeros(0, np.uint64)
    v = np.frombuffer(values, dtype=np.int32) if len(values) else np.zeros(0, np.int32)
    order = np.argsort(h, kind="stable")
    hs = h[order]
    uniq, starts = np.unique(hs, return_index=True)
    off = np.concatenate((starts, [len(hs)])).astype(np.int64)
    return [(name + "_h", uniq), (name + "_o", off), (name + "_v", v[order])]
