"""链条维护: survey (摸排) a link, record the local firms found, and add or correct links and
supply edges of the chosen chain.

Every change goes through the store with the same conflict check as other edits
(:func:`chainmap.app.state.save`; removing an edge through ``store.write`` with a
delete, handled the same way), lands in the audit trail under a readable action
(``app: maintain KIND NAMES``, worded by :func:`chainmap.i18n.action_text`) and can
be undone from this page or 变更记录. Bad input is refused before the store sees
it, with one message in the user's language. Only editors see the forms.

The page opens on the link named by the query parameter ``?link=ID`` (the chain
map's side panel can link here), and keeps that parameter in step with the choice.
"""
from __future__ import annotations

import re

import networkx as nx
import pandas as pd
import streamlit as st

from ..io.schemas import SLUG_PATTERN
from ..model import Stage
from ..i18n import STAGE_LABEL, action_text, label, local_time, with_reasons
from . import data
from .state import (T, can_edit, ctx, editor_notice, forget, loaded, nonce, save, source_markdown, stage_label,
                    status_label, sticky, today, translator, undo)

__all__ = ["page", "search_firms", "edge_problem", "link_problem", "split_list", "ACTION"]

#: The prefix of this page's actions in the audit trail.
ACTION = "app: maintain"
#: Ways a link is surveyed (stored as written here: officers' words).
METHODS = ("实地走访", "电话核实", "座谈调研", "桌面核查", "部门数据")
_METHOD_EN = {"实地走访": "site visit", "电话核实": "phone check", "座谈调研": "meeting with firms",
              "桌面核查": "desk review", "部门数据": "department records"}
VERIFIED = ("yes", "partial", "no")
STATUS_DOT = {"strong": ":green[●]", "strengthen": ":orange[●]", "fill": ":red[●]", "extend": ":blue[●]",
              "unassessed": ":gray[●]"}
_RANK = {s.value: s.rank for s in Stage}


# ------------------------------------------------------------------ pure checks
def split_list(text: str) -> str:
    """Words typed with any usual separator, as a ``|``-joined cell.

    >>> split_list("覆铜板、CCL, 层压板 ；  覆铜板")
    '覆铜板|CCL|层压板'
    """
    parts = [p.strip() for p in re.split(r"[|,，、;；\n]+", text or "")]
    return "|".join(dict.fromkeys(p for p in parts if p))


def search_firms(firms: pd.DataFrame, query: str, limit: int = 20) -> tuple[pd.DataFrame, int]:
    """Firms of the library whose name, alias, English name, stock code or id contains ``query``.

    Exact stock codes and names come first, then shorter names. Returns the first
    ``limit`` matches and how many matched in all.

    >>> lib = pd.DataFrame({"id": ["kingboard", "kblaminates", "haomei"],
    ...                     "name_zh": ["建滔集团", "建滔积层板", "豪美新材"], "name_en": ["Kingboard", "", ""],
    ...                     "aliases": ["建滔", "", "豪美"], "stock_code": ["0148.HK", "1888.HK", "002988"]})
    >>> hits, n = search_firms(lib, "建滔")
    >>> hits["id"].tolist(), n
    (['kingboard', 'kblaminates'], 2)
    >>> search_firms(lib, "002988")[0]["name_zh"].tolist()
    ['豪美新材']
    >>> search_firms(lib, "  ")[1]
    0
    """
    q = (query or "").strip().lower()
    if not q:
        return firms.head(0), 0
    cols = [c for c in ("name_zh", "aliases", "name_en", "stock_code", "id") if c in firms]
    text = {c: firms[c].astype(str).str.lower() for c in cols}
    hit = pd.Series(False, index=firms.index)
    for s in text.values():
        hit |= s.str.contains(q, regex=False)
    found = firms[hit]
    exact = (text["name_zh"][hit] == q) | (text.get("stock_code", text["name_zh"])[hit].str.split(".").str[0] == q)
    order = pd.DataFrame({"exact": ~exact, "len": found["name_zh"].str.len(), "id": found["id"]}, index=found.index)
    found = found.loc[order.sort_values(["exact", "len", "id"]).index]
    return found.head(limit), int(hit.sum())


def edge_problem(links: pd.DataFrame, edges: pd.DataFrame, src: str, dst: str, share: float | None,
                 feedback: bool, new: bool) -> tuple[str, dict] | None:
    """Why the supply edge ``src → dst`` cannot be saved, as ``(text key, values)``; None when it can.

    Checks, in order: a link supplying itself, an edge that exists already (when
    ``new``), a share outside 0–1, the known input shares of ``dst`` adding up to
    more than 1, an edge against the stage order inside one chain, and a loop
    among supply edges (recycling edges, ``feedback``, are exempt from the last two).

    >>> links = pd.DataFrame({"id": ["ccl", "pcb", "pcba"], "chain": ["e"] * 3, "name_zh": ["覆铜板", "PCB", "组装"],
    ...                       "stage": ["midstream"] * 3})
    >>> edges = pd.DataFrame({"src": ["ccl", "pcb"], "dst": ["pcb", "pcba"], "share": [0.3, float("nan")],
    ...                       "feedback": [False, False]})
    >>> edge_problem(links, edges, "pcba", "ccl", None, False, True)
    ('mt.err.cycle', {'path': 'ccl → pcb → pcba → ccl'})
    >>> edge_problem(links, edges, "ccl", "pcb", 1.5, False, False)
    ('mt.err.share', {'v': '1.5'})
    >>> edge_problem(links, edges, "ccl", "pcba", 0.2, False, True) is None
    True
    """
    if src == dst:
        return "mt.err.self", {}
    key = (edges["src"] == src) & (edges["dst"] == dst)
    if new and key.any():
        return "mt.err.edge_exists", {}
    if share is not None and not pd.isna(share):
        if not 0.0 <= share <= 1.0:
            return "mt.err.share", {"v": f"{share:g}"}
        others = edges.loc[(edges["dst"] == dst) & ~key, "share"].astype(float)
        total = float(others.fillna(0.0).sum()) + share
        if total > 1.0 + 1e-9:
            return "mt.err.share_sum", {"v": f"{total:.2f}"}
    if feedback:
        return None
    row = links.set_index("id")
    if row.at[src, "chain"] == row.at[dst, "chain"] and _RANK[row.at[src, "stage"]] > _RANK[row.at[dst, "stage"]]:
        return "mt.err.stage_order", {"a": row.at[src, "stage"], "b": row.at[dst, "stage"]}
    fwd = edges[~edges["feedback"].astype(bool) & ~key]
    g = nx.DiGraph(list(zip(fwd["src"], fwd["dst"])))
    if g.has_node(dst) and g.has_node(src) and nx.has_path(g, dst, src):
        path = nx.shortest_path(g, dst, src)
        return "mt.err.cycle", {"path": " → ".join([*path, dst])}
    return None


def link_problem(links: pd.DataFrame, edges: pd.DataFrame, row: dict, new: bool) -> tuple[str, dict] | None:
    """Why the link ``row`` cannot be saved, as ``(text key, values)``; None when it can.

    >>> links = pd.DataFrame({"id": ["ccl", "pcb"], "chain": ["e", "e"], "name_zh": ["覆铜板", "PCB"],
    ...                       "stage": ["midstream", "midstream"]})
    >>> edges = pd.DataFrame({"src": ["ccl"], "dst": ["pcb"], "feedback": [False]})
    >>> link_problem(links, edges, {"id": "ccl", "chain": "e", "name_zh": "覆铜板", "stage": "downstream",
    ...                             "importance": 0.8}, new=False)
    ('mt.err.link_stage', {'src': 'ccl', 'dst': 'pcb'})
    >>> link_problem(links, edges, {"id": "PCB-2", "chain": "e", "name_zh": "x", "stage": "upstream",
    ...                             "importance": 0.5}, new=True)
    ('mt.err.link_id', {'id': 'PCB-2'})
    """
    if not str(row.get("name_zh", "")).strip():
        return "mt.err.name", {}
    lid = row["id"]
    if new:
        if not lid:
            return "mt.err.link_id_blank", {}
        if not re.fullmatch(SLUG_PATTERN, lid):
            return "mt.err.link_id", {"id": lid}
        if lid in set(links["id"]):
            return "mt.err.link_exists", {"id": lid, "name": links.set_index("id").at[lid, "name_zh"]}
    imp = row.get("importance")
    if imp is None or pd.isna(imp) or not 0.0 <= float(imp) <= 1.0:
        return "mt.err.importance", {"v": "—" if imp is None or pd.isna(imp) else f"{imp:g}"}
    stage = dict(zip(links["id"], links["stage"])) | {lid: row["stage"]}
    chain = dict(zip(links["id"], links["chain"])) | {lid: row["chain"]}
    for s, d, fb in edges[["src", "dst", "feedback"]].itertuples(index=False):
        if fb or lid not in (s, d) or chain.get(s) != chain.get(d):
            continue
        if _RANK[stage[s]] > _RANK[stage[d]]:
            return "mt.err.link_stage", {"src": s, "dst": d}
    return None


def _slug(text: str) -> str:
    """An id made from an English name: ``"PCB drill bits"`` → ``pcb_drill_bits``."""
    return re.sub(r"[^a-z0-9]+", "_", (text or "").lower()).strip("_")[:40]


# ------------------------------------------------------------------ writing
def _action(kind: str, what: str) -> str:
    return f"{ACTION} {kind} {what}"


def _refuse(problem: tuple[str, dict] | None, where=None, **names) -> bool:
    """Show the one message of a refused input; True when there was one."""
    if problem is None:
        return False
    code, values = problem
    (where or st).error(T(code, **{**values, **names}), icon=":material/error:")
    return True


# ------------------------------------------------------------------ the page
def page() -> None:
    c = ctx()
    t = c.tables
    st.title(T("mt.title", chain=c.chain_name()))
    st.caption(T("mt.caption"))
    g = with_reasons(data.gaps(c.key, c.version, c.chain, t), c.lang)
    n_un = int((g["status"] == "unassessed").sum())
    a, b = st.columns(2)
    a.metric(f"{STATUS_DOT['unassessed']} {T('mt.unassessed')}", T("unit.links", n=n_un), border=True)
    b.metric(T("mt.surveyed"), T("unit.links", n=len(g) - n_un), border=True)

    if len(g):
        lid = _pick_link(c, g)
        _link_card(c, g.set_index("link_id").loc[lid], lid)
    else:
        lid = None
        st.info(T("mt.no_links"))
    editable = can_edit()
    if editable:
        tabs = st.tabs([T("mt.tab_survey"), T("mt.tab_firm"), T("mt.tab_link"), T("mt.tab_edge")])
        if lid is not None:
            with tabs[0]:
                survey_form(c, lid)
            with tabs[1]:
                firm_form(c, lid)
        with tabs[2]:
            link_form(c, lid)
        with tabs[3]:
            edge_form(c, lid)
    recent_changes(c, editable)


def _name(c, lid: str) -> str:
    return c.link_name(lid) or lid


def _pick_link(c, g: pd.DataFrame) -> str:
    """The link to work on: from the address (``?link=ID``) when it names a new one, else the last choice.

    Options are the chain's links upstream first, labelled by name only, so that a save (which
    changes a status) leaves the widget as it was; the status is on the card below.
    """
    key = f"mt_link_{c.chain}"
    ids = g["link_id"].tolist()
    asked = st.query_params.get("link")
    if asked and asked != st.session_state.get("_mt_asked"):
        st.session_state["_mt_asked"] = asked
        if asked in ids:
            st.session_state[key] = asked
        elif asked in set(c.tables.links["id"]):
            chain = c.tables.links.set_index("id").at[asked, "chain"]
            st.info(T("mt.other_chain", link=_name(c, asked), chain=c.chain_name(chain)), icon=":material/info:")
    if st.session_state.get(key) not in ids:
        unassessed = g.loc[g["status"] == "unassessed", "link_id"].tolist()
        st.session_state[key] = asked if asked in ids else (unassessed or ids)[0]
    shown = {lid: f"{_name(c, lid)}（{stage_label(s)}）" for lid, s in zip(g["link_id"], g["stage"])}
    sticky(key)
    lid = st.selectbox(T("mt.pick"), ids, key=key, format_func=shown.get)
    if st.query_params.get("link") != lid:
        st.query_params["link"] = lid
        st.session_state["_mt_asked"] = lid
    return lid


def _link_card(c, row: pd.Series, lid: str) -> None:
    t = c.tables
    st.markdown(f"### {STATUS_DOT[row['status']]} {_name(c, lid)} · {status_label(row['status'])}"
                f" · {stage_label(row['stage'])}")
    st.info(row["reason"], icon=":material/lightbulb:")
    ass = t.assessments[t.assessments["link_id"] == lid]
    if len(ass):
        r = ass.iloc[0]
        who = r.get("assessed_by", "") or T("mt.who_unknown")
        st.markdown(T("mt.survey_last", d=r["assessed_on"], method=_method_label(r["method"]), who=who))
        if r["notes"]:
            st.markdown(f"> {r['notes']}")
        st.markdown(f"**{T('map.source')}**：" + (source_markdown(r["source"]) or T("map.none")))
    elif row["status"] == "unassessed":
        st.caption(T("mt.survey_none"))
    ops = t.operations[(t.operations["link_id"] == lid) & t.operations["local"]]
    st.markdown(f"**{T('mt.local_firms')}**")
    if not len(ops):
        st.caption(T("mt.no_local"))
        return
    names = t.firms.set_index("id")["name_zh"]
    lines = []
    for o in ops.itertuples():
        bits = [x for x in (o.entity, o.location, T("mt.since", d=o.since) if o.since else "") if x]
        leader = f" · {T('map.leader')}" if o.chain_leader else ""
        src = source_markdown(o.source)
        lines.append(f"- **{names.get(o.firm_id, o.firm_id)}**{leader}"
                     + (f"（{' · '.join(bits)}）" if bits else "") + (f" — {src}" if src else ""))
    st.markdown("\n".join(lines))


def _method_label(m: str) -> str:
    m = str(m or "")
    return _METHOD_EN.get(m, m) if ctx().lang == "en" else m


def survey_form(c, lid: str) -> None:
    """Record a survey (摸排) of link ``lid``: date, method, who, source, findings."""
    t = c.tables
    current = t.assessments[t.assessments["link_id"] == lid]
    key = f"maintain:survey:{lid}"
    wk = f"{key}:{nonce(key)}"
    expected = loaded(key, current, fresh=f"{wk}:who" not in st.session_state)
    old = current.iloc[0].to_dict() if len(current) else {}
    st.caption(T("mt.survey_help"))
    methods = list(METHODS) + ([old["method"]] if old.get("method") and old["method"] not in METHODS else [])
    sticky(f"{wk}:method")
    with st.form(f"form:{wk}"):
        a, b, d = st.columns([2, 2, 3])
        on = a.date_input(T("mt.date"), value=today(), key=f"{wk}:date", format="YYYY-MM-DD")
        method = b.selectbox(T("mt.method"), methods, key=f"{wk}:method",
                             index=methods.index(old["method"]) if old.get("method") in methods else 0,
                             format_func={m: _method_label(m) for m in methods}.get)
        who = d.text_input(T("mt.who"), value=old.get("assessed_by", ""), key=f"{wk}:who",
                           placeholder=T("mt.who_ph"))
        source = st.text_input(T("mt.source"), value=old.get("source", ""), key=f"{wk}:source",
                               placeholder=T("mt.source_ph"))
        notes = st.text_area(T("mt.notes"), value=old.get("notes", ""), key=f"{wk}:notes",
                             placeholder=T("mt.notes_ph"))
        submitted = st.form_submit_button(T("mt.save_survey"), type="primary", icon=":material/fact_check:",
                                          key=f"{wk}:submit")
    if submitted:
        on = on or today()
        if not who.strip():
            _refuse(("mt.err.who", {}))
        elif not source.strip():
            _refuse(("mt.err.source", {}))
        elif on > today():
            _refuse(("mt.err.future", {"d": on.isoformat()}))
        else:
            row = {"link_id": lid, "assessed_on": on.isoformat(), "method": method, "source": source.strip(),
                   "notes": notes.strip(), "assessed_by": who.strip()}
            save("assessments", pd.DataFrame([row]), expected, key,
                 action=_action("survey", c.tables.links.set_index("id").at[lid, "name_zh"]))
    editor_notice(key)


def firm_form(c, lid: str) -> None:
    """Record a local firm on link ``lid``: a firm of the library, its local entity and plant place."""
    t = c.tables
    k0 = f"maintain:firm:{lid}"
    q = st.text_input(T("mt.search"), key=f"{k0}:q", placeholder=T("mt.search_ph"))
    hits, n = search_firms(t.firms, q, limit=20)
    if q.strip() and not n:
        st.warning(T("mt.search_none", q=q.strip()), icon=":material/search_off:")
    elif n > len(hits):
        st.caption(T("mt.search_many", n=n, k=len(hits)))
    shown = {r.id: f"{r.name_zh}" + (f"（{r.stock_code}）" if r.stock_code else "") + (f" · {r.hq_city}" if r.hq_city else "")
             for r in hits.itertuples()}
    if st.session_state.get(f"{k0}:pick") not in shown:
        st.session_state.pop(f"{k0}:pick", None)  # a new search: its first match
    fid = st.selectbox(T("mt.firm"), list(shown), key=f"{k0}:pick", format_func=shown.get, index=0 if shown else None)
    ops = t.operations
    places = [""] + list(c.city.counties) + list(c.city.parks)
    key = f"{k0}:{fid or ''}"
    wk = f"{key}:{nonce(key)}"
    sticky(f"{wk}:verified")
    with st.form(f"form:{wk}"):
        a, b = st.columns(2)
        entity = a.text_input(T("mt.entity"), key=f"{wk}:entity", placeholder=T("mt.entity_ph"))
        place = b.selectbox(T("mt.location"), places, key=f"{wk}:place")
        other = b.text_input(T("mt.location_other"), key=f"{wk}:other")
        d, e, f = st.columns(3)
        since = d.date_input(T("mt.firm_since"), value=None, key=f"{wk}:since", format="YYYY-MM-DD")
        output = e.number_input(T("mt.output"), value=None, key=f"{wk}:output", step=1.0)
        verified = f.selectbox(T("mt.verified"), VERIFIED, key=f"{wk}:verified",
                               format_func=lambda v, _t=translator(): _t(f"mt.v.{v}"))
        leader = st.checkbox(T("mt.leader"), key=f"{wk}:leader")
        source = st.text_input(T("mt.source"), key=f"{wk}:source", placeholder=T("mt.source_ph"))
        notes = st.text_input(T("mt.notes"), key=f"{wk}:notes")
        submitted = st.form_submit_button(T("mt.save_firm"), type="primary", icon=":material/add_business:",
                                          key=f"{wk}:submit")
    if submitted:
        if not fid:
            _refuse(("mt.err.firm", {}))
        elif fid not in set(t.firms["id"]):
            _refuse(("mt.err.unknown_firm", {"firm": fid}))
        elif output is not None and output < 0:
            _refuse(("mt.err.output", {"v": f"{output:g}"}))
        elif not source.strip():
            _refuse(("mt.err.source", {}))
        else:
            where = " ".join(x for x in (place, other.strip()) if x)
            row = {"firm_id": fid, "link_id": lid, "local": True, "entity": entity.strip(), "location": where,
                   "output_yi": output, "chain_leader": leader, "since": since.isoformat() if since else "",
                   "source": source.strip(), "verified": verified, "notes": notes.strip()}
            current = ops[(ops["firm_id"] == fid) & (ops["link_id"] == lid) & (ops["entity"] == row["entity"])]
            # The record as this form first saw it: one saved by someone else in between is a conflict.
            expected = loaded(key, current, fresh=False)
            name = t.firms.set_index("id").at[fid, "name_zh"]
            save("operations", pd.DataFrame([row]), expected, key,
                 action=_action("firm", f"{name}（{t.links.set_index('id').at[lid, 'name_zh']}）"))
    else:
        current = ops[(ops["firm_id"] == (fid or "")) & (ops["link_id"] == lid)]
        loaded(key, current, fresh=f"{wk}:entity" not in st.session_state)
    editor_notice(key)


def link_form(c, lid: str | None) -> None:
    """Add a link to the chain, or correct one: names, stage, importance, keywords and industry classes."""
    t = c.tables
    links = t.links[t.links["chain"] == c.chain]
    options = ["__new__"] + links["id"].tolist()
    pick_key = f"maintain:link_pick:{c.chain}"
    followed = st.session_state.get(f"{pick_key}:follows")
    if st.session_state.get(pick_key) not in options or followed != lid:
        st.session_state[pick_key] = lid if lid in options else "__new__"  # the link chosen above
    st.session_state[f"{pick_key}:follows"] = lid
    shown = {"__new__": T("mt.link_new")} | {x: _name(c, x) for x in options[1:]}
    sticky(pick_key)
    pick = st.selectbox(T("mt.link_pick"), options, key=pick_key, format_func=shown.get)
    new = pick == "__new__"
    current = t.links[t.links["id"] == pick]
    old = current.iloc[0].to_dict() if len(current) else {"chain": c.chain, "scope": "core", "importance": 0.5,
                                                          "stage": "midstream"}
    key = f"maintain:link:{pick}"
    wk = f"{key}:{nonce(key)}"
    expected = loaded(key, current, fresh=f"{wk}:name_zh" not in st.session_state)
    stages = [s.value for s in Stage]
    sticky(f"{wk}:stage")
    with st.form(f"form:{wk}"):
        link_id = st.text_input(T("mt.link_id"), key=f"{wk}:id", placeholder=T("mt.link_id_ph")) if new else pick
        a, b = st.columns(2)
        name_zh = a.text_input(T("mt.name_zh"), value=old.get("name_zh", ""), key=f"{wk}:name_zh")
        name_en = b.text_input(T("mt.name_en"), value=old.get("name_en", ""), key=f"{wk}:name_en")
        d, e = st.columns(2)
        stage = d.selectbox(T("mt.stage"), stages, index=stages.index(old["stage"]), key=f"{wk}:stage",
                            format_func=lambda s, _l=c.lang: label(STAGE_LABEL, s, _l))
        importance = e.number_input(T("mt.importance"), value=float(old["importance"]), step=0.05,
                                    key=f"{wk}:importance")
        keywords = st.text_input(T("mt.keywords"), value="、".join(split_list(old.get("keywords", "")).split("|")),
                                 key=f"{wk}:keywords")
        f, h = st.columns(2)
        gb = f.text_input(T("mt.gb_codes"), value="、".join(split_list(old.get("gb_codes", "")).split("|")),
                          key=f"{wk}:gb")
        sw = h.text_input(T("mt.sw_l3"), value="、".join(split_list(old.get("sw_l3", "")).split("|")), key=f"{wk}:sw")
        class_source = st.text_input(T("mt.class_source"), value=old.get("class_source", ""), key=f"{wk}:cls")
        submitted = st.form_submit_button(T("mt.save_link"), type="primary", icon=":material/save:",
                                          key=f"{wk}:submit")
    if submitted:
        lid_new = (link_id.strip() or _slug(name_en)) if new else pick
        row = dict(old, id=lid_new, chain=c.chain, name_zh=name_zh.strip(), name_en=name_en.strip(), stage=stage,
                   importance=importance, keywords=split_list(keywords), gb_codes=split_list(gb),
                   sw_l3=split_list(sw), class_source=class_source.strip())
        problem = link_problem(t.links, t.edges, row, new)
        if problem and problem[0] == "mt.err.link_stage":
            problem = (problem[0], {"edge": _edge_label(c, problem[1]["src"], problem[1]["dst"]),
                                    "stage": stage_label(stage)})
        if not _refuse(problem):
            save("links", pd.DataFrame([row]), expected, key, action=_action("link", row["name_zh"]))
    editor_notice(key)


def _edge_label(c, s: str, d: str) -> str:
    return f"{_name(c, s)} → {_name(c, d)}"


def _link_option(c, l: str) -> str:
    chain = c.tables.links.set_index("id").at[l, "chain"]
    return _name(c, l) if chain == c.chain else T("mt.other_chain_link", link=_name(c, l), chain=c.chain_name(chain))


def edge_form(c, lid: str | None) -> None:
    """Add a supply edge, correct one's share, note or recycling flag, or remove it."""
    t = c.tables
    mine = set(t.links.loc[t.links["chain"] == c.chain, "id"])
    e = t.edges[t.edges["src"].isin(mine) | t.edges["dst"].isin(mine)]
    if lid is not None:  # the chosen link's edges first
        e = e.assign(_f=~((e["src"] == lid) | (e["dst"] == lid))).sort_values("_f", kind="stable").drop(columns="_f")
    options = ["__new__"] + [f"{s}>{d}" for s, d in zip(e["src"], e["dst"])]
    pick_key = f"maintain:edge_pick:{c.chain}"
    if st.session_state.get(pick_key) not in options:
        st.session_state[pick_key] = "__new__"
    shown = {"__new__": T("mt.edge_new")} | {o: _edge_label(c, *o.split(">")) for o in options[1:]}
    sticky(pick_key)
    pick = st.selectbox(T("mt.edge_pick"), options, key=pick_key, format_func=shown.get)
    new = pick == "__new__"
    all_ids = [x for x in t.links["id"] if x in mine] + [x for x in t.links["id"] if x not in mine]
    link_shown = {x: _link_option(c, x) for x in all_ids}
    key = f"maintain:edge:{pick}" + (f":{lid}" if new else "")
    wk = f"{key}:{nonce(key)}"
    if new:
        current = t.edges.head(0)
        old = {"src": "", "dst": lid or "", "share": float("nan"), "feedback": False, "note": ""}
    else:
        s0, d0 = pick.split(">")
        current = t.edges[(t.edges["src"] == s0) & (t.edges["dst"] == d0)]
        old = current.iloc[0].to_dict()
    expected = loaded(key, current, fresh=f"{wk}:note" not in st.session_state)
    with st.form(f"form:{wk}"):
        if new:
            a, b = st.columns(2)
            sticky(f"{wk}:src", f"{wk}:dst")
            src = a.selectbox(T("mt.src"), all_ids, key=f"{wk}:src", index=None, format_func=link_shown.get)
            dst = b.selectbox(T("mt.dst"), all_ids, key=f"{wk}:dst",
                              index=all_ids.index(old["dst"]) if old["dst"] in all_ids else None,
                              format_func=link_shown.get)
        else:
            src, dst = old["src"], old["dst"]
            st.markdown(f"**{_edge_label(c, src, dst)}**")
        share = st.number_input(T("mt.share"), value=None if pd.isna(old["share"]) else float(old["share"]),
                                step=0.05, key=f"{wk}:share", help=T("mt.share_help"))
        feedback = st.checkbox(T("mt.feedback"), value=bool(old["feedback"]), key=f"{wk}:feedback")
        note = st.text_input(T("mt.edge_note"), value=old["note"], key=f"{wk}:note")
        submitted = st.form_submit_button(T("mt.save_edge"), type="primary", icon=":material/save:",
                                          key=f"{wk}:submit")
    if submitted:
        if not src or not dst:
            _refuse(("mt.err.edge_chain", {"chain": c.chain_name()}))
        elif src not in mine and dst not in mine:
            _refuse(("mt.err.edge_chain", {"chain": c.chain_name()}))
        else:
            problem = edge_problem(t.links, t.edges, src, dst, share, feedback, new)
            if problem and problem[0] == "mt.err.stage_order":
                problem = (problem[0], {"a": stage_label(problem[1]["a"]), "b": stage_label(problem[1]["b"])})
            if problem and problem[0] == "mt.err.cycle":
                problem = (problem[0], {"path": " → ".join(_name(c, x) for x in problem[1]["path"].split(" → "))})
            if problem and problem[0] == "mt.err.share_sum":
                problem = (problem[0], {**problem[1], "dst": _name(c, dst)})
            if not _refuse(problem, edge=_edge_label(c, src, dst)):
                row = {"src": src, "dst": dst, "share": share, "feedback": feedback, "note": note.strip()}
                save("edges", pd.DataFrame([row]), expected, key,
                     action=_action("edge", _edge_label_zh(t, src, dst)))
    if not new:
        confirm = st.checkbox(T("mt.remove_confirm", edge=_edge_label(c, src, dst)), key=f"{wk}:confirm")
        if st.button(T("mt.remove_edge"), key=f"{wk}:remove", icon=":material/delete:", disabled=not confirm):
            save("edges", None, expected, key, delete=current[["src", "dst"]],
                 action=_action("unedge", _edge_label_zh(t, src, dst)))
    editor_notice(key)


def _edge_label_zh(t, s: str, d: str) -> str:
    names = t.links.set_index("id")["name_zh"]
    return f"{names.get(s, s)} → {names.get(d, d)}"


def recent_changes(c, editable: bool) -> None:
    """This page's latest change sets (and undos of them), newest first, each with an undo button."""
    h = c.store.history()
    if not len(h):
        return
    mine = h["action"].str.startswith(ACTION)
    sets = set(h.loc[mine, "change_set"])
    undone = h["action"].str.fullmatch(r"undo \w+") & h["action"].str[5:].isin(sets)
    h = h[mine | undone]
    st.subheader(T("mt.recent"))
    if not len(h):
        st.caption(T("mt.recent_none"))
        return
    first = h.drop_duplicates("change_set").head(5)
    did = dict(zip(h["change_set"], h["action"]))
    for r in first.itertuples():
        what = action_text(r.action, c.lang)
        if r.action.startswith("undo ") and r.action[5:] in did:  # name what was undone, not its id
            what = T("mt.undid", what=action_text(did[r.action[5:]], c.lang))
        a, b = st.columns([6, 1], vertical_alignment="center")
        a.markdown(f"{local_time(r.at)} · {r.author} · {what}")
        if editable and b.button(T("mt.undo"), key=f"mt_undo:{r.change_set}", icon=":material/undo:",
                                 help=T("mt.undo_help")):
            # The forms start again from what the store holds after the undo (their snapshots would be stale).
            for k in [k for k in st.session_state.get("_loaded", {}) if k.startswith("maintain:")]:
                forget(k)
            undo(r.change_set)
