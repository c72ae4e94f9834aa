"""Resolve firms, chains and links that a row names: by id, credit code or name (the firm matcher), and plan firm rows.

Decisions (see :mod:`chainmap.io.importing`): a row naming a library firm by
another name is **merged** into it and the name kept as an alias; a regional
entity (建滔（佛冈）积层板有限公司) is **added** as a new firm PART_OF its group;
uncertain matches go to **review**.
"""
from __future__ import annotations

import hashlib
import unicodedata

from ..matching import AUTO_METHODS
from ..names import core_key, validate_uscc
from ..schemas import INACTIVE_STATUS, SPECS
from .headers import norm
from .merging import Context, all_same, given as _given, put, same, sources, stored_record

__all__ = ["resolve_chain", "resolve_link", "firm_ref", "plan_firm", "Records"]


class Records:
    """Firm id → planned record, each held as (its keys, shared between records, and a tuple of its values).

    A dict per firm costs about 1.2 kB; a file of a million rows touches a quarter of a million firms. The
    mapping gives out a fresh dict (the keys in their own order) and takes one back, as a dict of dicts would.

    Examples
    --------
    >>> r = Records()
    >>> r["f1"] = {"id": "f1", "name_zh": "甲公司"}
    >>> "f1" in r, r.get("f1"), r.get("f2"), len(r)
    (True, {'id': 'f1', 'name_zh': '甲公司'}, None, 1)
    """

    def __init__(self):
        self._rows: dict[str, tuple[tuple, tuple]] = {}
        self._keys: dict[tuple, tuple] = {}

    def __setitem__(self, fid: str, record: dict) -> None:
        keys = tuple(record)
        self._rows[fid] = (self._keys.setdefault(keys, keys), tuple(record.values()))

    def __getitem__(self, fid: str) -> dict:
        keys, values = self._rows[fid]
        return dict(zip(keys, values))

    def get(self, fid: str, default=None):
        row = self._rows.get(fid)
        return default if row is None else dict(zip(*row))

    def __contains__(self, fid) -> bool:
        return fid in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self):
        return iter(self._rows)

    def items(self):
        for fid, (keys, values) in self._rows.items():
            yield fid, dict(zip(keys, values))

    def clear(self) -> None:
        self._rows.clear()


def resolve_chain(rec: dict, ctx: Context, col: str = "chain") -> str:
    v = rec.get(col, "")
    if not v:
        return ""
    cid = ctx.vocab.chains.get(norm(v))
    if cid is None:
        raise ctx.bad(col, "unknown_chain_known", value=v, known=list(ctx.vocab.chain_names.values()))
    return cid


def resolve_link(rec: dict, ctx: Context, chain: str, col: str) -> str:
    v = rec.get(col, "")
    if not v:
        return ""
    known = ctx.seen_links.get((v, chain))
    if known is not None:
        return known
    hits = ctx.vocab.links.get(norm(v), [])
    pick = [lid for lid, ch in hits if ch == chain] if chain else [lid for lid, _ in hits]
    if not pick:
        raise ctx.bad(col, "unknown_link", value=v, chain=ctx.vocab.chain_names.get(chain, chain) if chain and hits
                      else "")
    if len(ctx.seen_links) < 10_000:  # a column of a few values: each read once
        ctx.seen_links[(v, chain)] = pick[0]
    return pick[0]


def firm_ref(rec: dict, ctx: Context, id_col: str, name_col: str, code_col: str | None) -> tuple[str | None, dict]:
    """Resolve a firm named by id, credit code or name; ``(firm id, report fields)``.

    A firm id of ``None`` means the row goes to review (or is rejected, for a
    firm that is not in the library at all).
    """
    fid, name = rec.get(id_col, ""), rec.get(name_col, "")
    code = rec.get(code_col, "") if code_col else ""
    if fid:
        if fid in ctx.vocab.firm_ids or fid in ctx.firms:
            return fid, {"reason": (("by_firm_id", {"firm": fid}),)}
        code = code or (fid if validate_uscc(fid) else "")
        if not code:
            raise ctx.bad(id_col, "unknown_firm_id", value=fid)
    m = ctx.matcher.match(name, code or None)
    if m.method in AUTO_METHODS:
        how = m.method if m.method in ("credit_code", "group") else "name"
        return m.firm_id, {"reason": (("matched", {"name": name or code, "firm": m.firm_id, "how": how,
                                                   "note": m.notes}),)}
    if m.review:
        return None, {"action": "review", "candidates": "|".join(m.candidates),
                      "reason": (("uncertain", {"name": name, "note": m.notes, "candidates": m.candidates}),)}
    col = name_col if name else (code_col or id_col)
    raise ctx.bad(col, "firm_not_in_library", value=name or code)


def plan_firm(rec: dict, ctx: Context) -> dict:
    name = rec.get("name_zh", "")
    if not name:
        raise ctx.bad("name_zh", "required")
    code, given = rec.get("credit_code", ""), rec.get("id", "")
    chain = resolve_chain(rec, ctx)
    link = resolve_link(rec, ctx, chain, "link")
    key = ctx.matcher.name_key(name)  # normalise_name(name), as the matcher made it
    known = bool(given) and (given in ctx.vocab.firm_ids or given in ctx.firms)
    # By name alone (a credit code is checked against it); not needed for a firm named by its id.
    m = ctx.matcher.match(name) if code or not known else None
    coded = ctx.matcher.firm_of_code(code) if code else None
    if code:
        first = ctx.codes.setdefault(code, (name, key, m.firm_id))
        if core_key(first[1]) != core_key(key) and (m.firm_id is None or m.firm_id != first[2]):
            raise ctx.bad("credit_code", "credit_code_reused", code=code, firm=first[0])
    parent, action = None, "added"
    shared = None  # the key under which a reason many rows give is held once (see Context.shared_reason)
    if known:
        fid, reason = given, (("by_firm_id", {"firm": given}),)
    elif coded is not None:
        if m.method in AUTO_METHODS and coded not in m.group_path and m.firm_id not in ctx.matcher.group_path(coded):
            return {"action": "review", "firm_id": None, "candidates": f"{coded}|{m.firm_id}",
                    "reason": (("code_name_conflict", {"code": code, "coded": coded, "firm": m.firm_id}),)}
        fid, reason = coded, (("by_credit_code", {"code": code}),)
    elif (code and code in ctx.firms) or (key in ctx.new_keys and not given):
        fid = code if code in ctx.firms else ctx.new_keys[key]
        action, reason = "merged", (("same_as_earlier_row", {"firm": fid}),)
    elif m.method == "group" and ctx.matcher.regions(name):
        fid, parent = None, m.firm_id
        shared = ("regional_entity", m.firm_id, m.group_path)
        reason = ctx.shared_reason(shared, (("regional_entity", {"parent": m.firm_id, "path": m.group_path}),))
    elif m.method in AUTO_METHODS and not rec.get("own_listing"):
        shared = ("method_match", m.method, m.notes)
        fid, reason = m.firm_id, ctx.shared_reason(shared, (("method_match", {"method": m.method, "note": m.notes}),))
    elif m.review and not rec.get("own_listing"):  # a listed firm whose own code no firm holds is no near-miss
        return {"action": "review", "firm_id": None, "candidates": "|".join(m.candidates),
                "reason": (("uncertain_or_new", {"note": m.notes, "candidates": m.candidates}),)}
    else:
        fid, reason = None, _NEW_FIRM
    fields = {c: rec[c] for c in _FIELDS if c in rec and _given(rec[c])}
    aliases = [a.strip() for a in rec.get("aliases", "").split("|") if a.strip()]
    if fid is None:
        fid = given or code or "F" + hashlib.sha1(key.encode()).hexdigest()[:12]
        ctx.new_keys[key] = fid
        record = fields | {"id": fid, "aliases": "|".join(aliases)}  # columns left out are blank in the frame
        record["source"] = record.get("source") or f"import: {ctx.file}"
        ctx.firms[fid] = record
        if parent:
            put(ctx, "relations", {"src": fid, "dst": parent, "type": "PART_OF", "product": "",
                                    "source": record["source"], "verified": "", "notes": f"import: {name}"})
        _link(ctx, fid, link, record["source"])
        return {"action": action, "firm_id": fid, "reason": reason}
    record = dict(ctx.firms.get(fid) or stored_record(ctx, "firms", (fid,)))
    before = dict(record)
    have = [a for a in (record.get("aliases") or "").split("|") if a]
    known = {_same_name(x) for x in (record.get("name_zh"), record.get("name_en"), *have) if x}
    fields.pop("name_zh", None)  # a known firm is never renamed by an import
    if _same_name(name) not in known:
        aliases.append(name)
        if action != "merged":
            action, reason = "merged", reason + (("alias_kept", {"name": name, "of": record.get("name_zh")}),)
    if code and code != fid:
        aliases.append(code)
    if rec.get("fill_only"):  # a recognised source fills what is blank: the library's sourced facts win
        if _given(fields.get("name_en")) and _given(record.get("name_en")) and \
                _same_name(fields["name_en"]) != _same_name(record["name_en"]):
            aliases.append(fields["name_en"])  # another English name: matched through the aliases
        old_status = record.get("status") or ""
        fields = {c: v for c, v in fields.items() if c in ("stock_code", "source", "notes") or not
                  _given(record.get(c)) or (c == "status" and not (old_status in INACTIVE_STATUS and
                                                                   v not in INACTIVE_STATUS))}
    if fields.get("stock_code"):  # codes add up too (A, B, H; an old and a new BSE code)
        fields["stock_code"] = "|".join(dict.fromkeys(x for x in (record.get("stock_code") or "").split("|") +
                                                      fields["stock_code"].split("|") if x))
    # Sources and notes add up: the file's own never push out what was known before.
    fields["source"] = sources(record.get("source"), fields.get("source"))
    fields["notes"] = sources(record.get("notes"), fields.get("notes"), " | ")
    record.update(fields)
    record["aliases"] = "|".join(dict.fromkeys(have + [a for a in aliases if _same_name(a) not in known]))
    ctx.firms[fid] = record
    linked = _link(ctx, fid, link, record.get("source") or f"import: {ctx.file}")
    if action == "merged":
        pass
    elif linked or not all_same(record, before):
        changed = [ctx.headers.get(c, c) for c in record if not same(record[c], before.get(c))]
        changed, linked = tuple(changed), bool(linked)
        part = (("changed", {"columns": changed, "link": linked}),)
        action, reason = "updated", reason + part if shared is None else \
            ctx.shared_reason((shared, "changed", changed, linked), reason + part)
    else:
        action = "unchanged"
    return {"action": action, "firm_id": fid, "reason": reason}


#: The columns a row may set on a firm (its id and aliases are handled apart), in the table's order.
_FIELDS = tuple(c for c in SPECS["firms"].names if c not in ("id", "aliases"))
#: The reason of most rows of a large file, shared by all of them (reasons are codes, worded when shown).
_NEW_FIRM = (("new_firm", {}),)


def _same_name(name: str) -> str:
    """Names that differ only in width, brackets, spaces or case are the same name."""
    key = _SAME.get(name)
    if key is None:
        if len(_SAME) >= 200_000:  # a library's names and a file's: bounded, the next ones made again
            _SAME.clear()
        key = _SAME[name] = norm(unicodedata.normalize("NFKC", name))
    return key


_SAME: dict[str, str] = {}  # name → _same_name(name): a firm's names are compared on every row that names it


def _link(ctx: Context, fid: str, link: str, source: str) -> bool:
    """Plan an operation of the firm in the link (not local), unless it has one; whether one was planned."""
    if not link:
        return False
    if ctx.ops is None:
        ops = ctx.tables.operations
        ctx.ops = {}
        for f, lk in zip(ops["firm_id"], ops["link_id"]):
            ctx.ops.setdefault(lk, set()).add(f)
    firms = ctx.ops.get(link)
    if firms is None:
        firms = ctx.ops[link] = set()
    if fid in firms:
        return False
    firms.add(fid)
    # Always new (checked above); three columns of shared strings: a million operations cost 24 MB, not 80.
    new_firm, new_link, new_source = ctx.new_ops
    new_firm.append(fid)
    new_link.append(link)
    new_source.append(source)
    return True

