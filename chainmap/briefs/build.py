"""The three briefs as :class:`~chainmap.briefs.document.Brief` blocks, from the store's tables and the scorer.

* :func:`firm_brief`: 一企一策 for one target firm.
* :func:`chain_brief`: a chain report (map, gaps, top targets per team, 八个一).
* :func:`ledger_brief`: the monthly report (月报) of the project ledger against the year's target.

Amounts are in 亿元, dates are the caller's (Asia/Shanghai at the edge), and
no internal id or file path is printed: firms, links, chains and teams by
name, sources by their public address or title.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import shutil
import subprocess

import numpy as np
import pandas as pd

from ..analysis import gap_analysis
from ..analysis.ledger import signed_mask, stage_summary, time_share
from ..analysis.mechanism import completeness, mechanism_review
from ..i18n import (CHANNEL_LABEL, HONOUR_LABEL, MODE_LABEL, SLOT_STATUS_LABEL, STAGE_LABEL, STATUS_LABEL, label,
                    with_evidence, with_reasons)
from ..io.city import City
from ..model import Tables
from ..scoring.engine import UNASSIGNED
from ..scoring.report import REGION_ZH
from .document import Brief, Bullets, Heading, Para, Picture, Sources, Table, public_sources
from .text import tr

__all__ = ["firm_brief", "chain_brief", "ledger_brief", "find_firm", "best_chain", "chain_png", "parse_month",
           "parse_week"]


# --------------------------------------------------------------------------- helpers
def _yi(v, lang: str) -> str:
    """An amount in 亿元 for people: ``12.5亿元``; 未知 when blank.

    >>> _yi(12.46, "zh"), _yi(None, "zh"), _yi(1234.0, "zh")
    ('12.5亿元', '未知', '1,234亿元')
    """
    if v is None or pd.isna(v):
        return tr("unknown", lang)
    return tr("yi", lang, v=f"{v:,.1f}" if abs(v) < 100 else f"{v:,.0f}")


def _num(v) -> str:
    return "" if v is None or pd.isna(v) else (f"{v:,.1f}" if abs(v) < 100 else f"{v:,.0f}")


def _pct(v) -> str:
    return "—" if v is None or pd.isna(v) else f"{v:.1%}"


def _s(v) -> str:
    """A cell as text: blanks, NaN, NA and None are empty.

    >>> _s(pd.NA), _s(2025.0), _s(" 生益 ")
    ('', '2025', '生益')
    """
    if v is None or (not isinstance(v, (str, list, tuple)) and pd.isna(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


class _Book:
    """Numbered public sources: ``ref(cell)`` gives ``[1][3]`` and remembers them for the 数据来源 section."""

    def __init__(self):
        self.items: list[str] = []

    def ref(self, *cells) -> str:
        nums = []
        for s in public_sources(*cells):
            if s not in self.items:
                self.items.append(s)
            nums.append(self.items.index(s) + 1)
        return "".join(f"[{n}]" for n in dict.fromkeys(nums))

    def section(self, lang: str) -> Sources:
        return Sources(tr("sources", lang), self.items or [tr("sources_none", lang)])


def _chain_name(tables: Tables, chain: str, lang: str) -> str:
    row = tables.chains.set_index("id").loc[chain]
    return (row["name_en"] if lang == "en" and row["name_en"] else row["name_zh"]) or chain


def _link_names(tables: Tables, lang: str) -> dict:
    col = "name_en" if lang == "en" else "name_zh"
    return dict(zip(tables.links["id"], tables.links[col].where(tables.links[col] != "", tables.links["name_zh"])))


def _mode(mode, lang: str) -> str:
    return label(MODE_LABEL, mode, lang) if mode else "—"


REGION_EN = {"PRD": "Pearl River Delta", "YRD": "Yangtze River Delta", "BTH": "Beijing-Tianjin-Hebei",
             "other_cn": "elsewhere in China", "hmt": "Hong Kong, Macao, Taiwan", "overseas": "overseas"}
_VERB_EN = {"供货给": "supplies", "隶属于": "is part of"}


def _team(tables: Tables, name: str, lang: str) -> str:
    """A pioneer team's name in ``lang`` (the scorer names teams in Chinese)."""
    if not name or name == UNASSIGNED:
        return UNASSIGNED if lang == "zh" else f"City level ({UNASSIGNED})"
    if lang == "zh":
        return name
    en = dict(zip(tables.teams["name_zh"], tables.teams["name_en"]))
    return en.get(name) or name


def _made(city: City, today: dt.date, lang: str) -> str:
    return tr("made", lang, city=city.label(lang), date=today.isoformat())


def find_firm(tables: Tables, query: str, lang: str = "zh") -> str:
    """The id of the firm named ``query`` (its id, exact Chinese or English name, or an alias).

    Raises
    ------
    ValueError
        Naming the query, when no firm or more than one matches.

    Examples
    --------
    >>> from chainmap.store.memory import MemoryStore
    >>> find_firm(MemoryStore.open().tables(), "建滔积层板")
    'kblaminates'
    """
    f = tables.firms
    q = str(query).strip()
    for hit in (f["id"] == q, f["name_zh"] == q, f["name_en"].str.lower() == q.lower(),
                f["aliases"].map(lambda a: q in str(a).split("|"))):
        ids = f.loc[hit.to_numpy(dtype=bool), "id"].tolist()
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            names = "、".join(f.set_index("id").loc[ids, "name_zh"])
            raise ValueError(f"“{q}”对应多家企业：{names}；请写全称" if lang == "zh"
                             else f"{q!r} matches several firms: {names}; give the full name")
    raise ValueError(f"企业库中没有“{q}”：请写企业全称、简称或统一社会信用代码" if lang == "zh"
                     else f"no firm {q!r} in the library: give its full name or an alias")


def best_chain(scorer, firm_id: str) -> str:
    """The chain on which the firm scores highest (the first chain when it scores on none)."""
    chains = list(scorer.tables_.chains["id"])
    i = scorer.firm_index_.get_indexer([firm_id])[0]
    best, top = chains[0], -1.0
    for ch in chains:
        v = scorer.score(ch)[0][i]
        if pd.notna(v) and v > top:
            best, top = ch, float(v)
    return best


# --------------------------------------------------------------------------- 一企一策
def firm_brief(tables: Tables, scorer, firm_id: str, chain: str, *, city: City, today: dt.date,
               lang: str = "zh", strategy=None) -> Brief:
    """一企一策 for one firm on one chain: facts with sources, why it fits, links, referrals, follow-ups.

    Parameters
    ----------
    tables : Tables
    scorer : TargetScorer
        Fitted on ``tables``.
    firm_id : str
    chain : str
    city : City
        The workspace's settings (its name is printed; the expansion line names it).
    today : datetime.date
        The date printed as 编制日期 (Beijing time at the edge).
    lang : {"zh", "en"}
    strategy : str or mapping, optional
        The scoring strategy (default: the scorer's default).

    Examples
    --------
    >>> import datetime as dt
    >>> from chainmap.store.memory import MemoryStore
    >>> from chainmap.scoring import TargetScorer
    >>> from chainmap.io.city import City
    >>> t = MemoryStore.open().tables()
    >>> b = firm_brief(t, TargetScorer().fit(t), "shengyi", "electronics", city=City("清远"), today=dt.date(2026, 11, 30))
    >>> b.title, "覆铜板" in b.text(), "shengyi" in b.text()
    ('一企一策：生益科技', True, False)
    """
    firm = tables.firms.set_index("id").loc[firm_id]
    info = scorer.explain(firm_id, chain, strategy)
    ranked = with_reasons(scorer.rank(chain, strategy, top=None), lang)
    row = ranked[ranked["firm_id"] == firm_id]
    links = _link_names(tables, lang)
    chain_label = _chain_name(tables, chain, lang)
    book = _Book()
    b = Brief(tr("f.title", lang, name=firm["name_zh"]),
              tr("f.sub", lang, chain=chain_label) + " · " + _made(city, today, lang), lang=lang,
              footer=tr("footer", lang))

    # 1. facts, each with its source
    b.add(Heading(tr("f.facts", lang)))
    region = REGION_ZH.get(firm["hq_region"], firm["hq_region"]) if lang == "zh" else \
        REGION_EN.get(firm["hq_region"], firm["hq_region"])
    hq = "·".join(x for x in (_s(firm["hq_province"]), _s(firm["hq_city"])) if x)
    if region:
        hq = (f"{hq}（{region}）" if lang == "zh" else f"{hq} ({region})") if hq else region
    revenue = ""
    if pd.notna(firm["revenue_yi"]):
        revenue = tr("f.revenue_v", lang, v=_yi(firm["revenue_yi"], lang), y=_s(firm["revenue_year"]) or "—")
    src = book.ref(firm["source"])
    facts = [("f.name", firm["name_zh"]), ("f.name_en", firm["name_en"]),
             ("f.aliases", str(firm["aliases"]).replace("|", "、")), ("f.credit", firm.get("credit_code", "")),
             ("f.hq", hq), ("f.revenue", revenue), ("f.products", firm["products"]),
             ("f.stock", firm["stock_code"]), ("f.status", firm.get("status", ""))]
    b.add(Table([tr("f.fact", lang), tr("f.value", lang)], [[tr(k, lang), _s(v)] for k, v in facts if _s(v)],
                widths=[1.2, 5]))
    if src:
        b.add(Para(tr("f.facts_src", lang, v=src), small=True))

    # 2. why it fits: the scorer's reasons
    b.add(Heading(tr("f.why", lang)))
    if info["score"] is None or row.empty:
        b.add(Para(tr("f.no_score", lang)))
    else:
        r = row.iloc[0]
        b.add(Para(tr("f.score", lang, score=f"{info['score']:.3f}", mode=_mode(info["mode"], lang),
                      rank=int(r["rank"]), n=int(ranked["score"].notna().sum())), bold=True))
        b.add(Para(tr("f.reason", lang, reason=r["reason"])))
    if info["expand"]:
        b.add(Para(tr("f.expand", lang, city=city.label(lang))))
    for key, text in (("f.relatedness", info.get("relatedness")), ("f.signal", info.get("signal"))):
        if text:
            b.add(Para(tr(key, lang, v=text)))
    comp_names = {"fill": "补链", "strengthen": "强链", "extend": "延链", "affinity": "产业链亲和", "relatedness": "产业关联",
                  "tier": "企业层级", "propensity": "扩张意愿", "reach": "先锋队可达"}
    b.add(Table([tr("f.c_name", lang), tr("f.c_value", lang), tr("f.c_weight", lang)],
                [[comp_names[k] if lang == "zh" and k in comp_names else k, f"{c['value']:.3f}", f"{c['weight']:g}"]
                 for k, c in info["components"].items()], widths=[2, 1, 1]))

    # 3. links it would fill
    b.add(Heading(tr("f.links", lang)))
    rows = []
    for mode, items in info["links"].items():
        for d in items:
            basis = tr(f"f.basis.{d['basis']}", lang) if d["basis"] in ("known", "local", "inferred") else \
                (d.get("basis_zh") or d["basis"])
            rows.append([_mode(mode, lang), links.get(d["link_id"], d["name_zh"]), label(STATUS_LABEL, d["status"], lang),
                         f"{d['severity']:.2f}", basis])
    b.add(Table([tr(k, lang) for k in ("f.l_mode", "f.l_link", "f.l_status", "f.l_severity", "f.l_basis")], rows,
                widths=[1, 2.2, 1, 1, 2.2]) if rows else Para(tr("f.no_links", lang)))

    # 4. referral paths and channels
    b.add(Heading(tr("f.refer", lang)))
    if info["partners"]:
        b.add(Para(tr("f.partners", lang, v=info["partners"])))
    if info["referrals"]:
        b.add(Bullets([" → ".join(f"{a} {_VERB_EN.get(verb, verb) if lang == 'en' else verb} {c}" for a, verb, c in path)
                       for path in info["referrals"]]))
    if not info["partners"] and not info["referrals"]:
        b.add(Para(tr("f.no_refer", lang)))
    ch = tables.channels[tables.channels["firm_id"] == firm_id]
    if len(ch):
        b.add(Table([tr("f.channel", lang), tr("f.detail", lang), tr("f.since", lang), tr("f.src", lang)],
                    [[label(CHANNEL_LABEL, c.channel, lang), _s(c.detail), _s(c.since),
                      book.ref(c.source)] for c in ch.itertuples()], widths=[1, 5, 1, 0.8]))

    # 5. contacts and follow-ups
    b.add(Heading(tr("f.follow", lang)))
    b.add(Para(tr("f.team", lang, v=_team(tables, info["team"], lang))))
    fu = tables.followups[tables.followups["firm_id"] == firm_id]
    if len(fu):
        b.add(Table([tr(k, lang) for k in ("f.fu_chain", "f.fu_status", "f.fu_person", "f.fu_team", "f.fu_date",
                                           "f.fu_notes")],
                    [[_chain_name(tables, r.chain, lang) if r.chain in set(tables.chains["id"]) else _s(r.chain),
                      _s(r.status), _s(r.person), _s(r.team), _s(r.contact_date), _s(r.notes)]
                     for r in fu.itertuples()], widths=[1, 1, 1, 1.3, 1.1, 3]))
    else:
        b.add(Para(tr("f.no_follow", lang)))

    # 6. honours and events
    b.add(Heading(tr("f.honours", lang)))
    h = tables.honours[tables.honours["firm_id"] == firm_id]
    if len(h):
        b.add(Table([tr("f.h_list", lang), tr("f.h_year", lang), tr("f.h_detail", lang), tr("f.src", lang)],
                    [[label(HONOUR_LABEL, r.list, lang), _s(r.year), _s(r.detail),
                      book.ref(r.source)] for r in h.itertuples()], widths=[1.6, 0.8, 3, 0.8]))
    else:
        b.add(Para(tr("f.no_honours", lang)))
    ev = []
    for r in tables.signals[tables.signals["firm_id"] == firm_id].itertuples():
        ev.append((_s(r.date), _s(r.detail), _s(r.place), _num(r.amount_yi), book.ref(r.source)))
    for r in tables.events[tables.events["firm_id"] == firm_id].itertuples():
        ev.append((_s(r.date), _s(r.project), _s(r.place), _num(r.amount_yi), book.ref(r.source)))
    ev = sorted(dict.fromkeys(ev), key=lambda e: e[0], reverse=True)[:12]
    if ev:
        b.add(Table([tr(k, lang) for k in ("f.e_date", "f.e_what", "f.e_place", "f.e_amount", "f.src")],
                    [list(e) for e in ev], widths=[1, 4, 1.5, 1, 0.8]))
    else:
        b.add(Para(tr("f.no_events", lang)))

    # 7. next steps, from the same facts
    acts = []
    fill_links = [links.get(d["link_id"], d["name_zh"]) for items in info["links"].values() for d in items][:3]
    if fill_links:
        acts.append(tr("f.act_visit", lang, team=_team(tables, info["team"], lang), links="、".join(f"【{x}】" for x in fill_links)))
    if info["referrals"]:
        acts.append(tr("f.act_refer", lang, v="、".join(dict.fromkeys(p[0][0] for p in info["referrals"]))))
    if info["expand"]:
        acts.append(tr("f.act_expand", lang, city=city.label(lang)))
    if acts:
        b.add(Heading(tr("f.actions", lang)), Bullets(acts))
    b.add(book.section(lang))
    return b


# --------------------------------------------------------------------------- chain report
def chain_png(tables: Tables, chain: str, gaps: pd.DataFrame, lang: str = "zh",
              targets: dict[str, list[str]] | None = None) -> bytes | None:
    """The chain map as a PNG, drawn by Graphviz ``dot`` from :func:`chainmap.viz.to_dot`; None without Graphviz.

    Graphviz (Debian ``graphviz``) lays chains out left to right by stage, the
    same picture ``chainmap graph`` exports; Chinese labels use Noto Sans CJK
    (Debian ``fonts-noto-cjk``), both installed by ``tools/start``.
    """
    from ..viz import gap_graph, to_dot

    dot = shutil.which("dot")
    if not dot:
        return None
    g = gap_graph(tables, chain, gaps, lang)
    names = dict(zip(tables.chains["id"], tables.chains["name_en" if lang == "en" else "name_zh"]))
    for _, d in g.nodes(data=True):        # cross-chain neighbours: the chain's name, not its id
        if d.get("external"):
            d["chain"] = names.get(d.get("chain"), d.get("chain"))
    text = to_dot(g, "", lang, targets=targets)
    out = subprocess.run([dot, "-Tpng", "-Gdpi=110"], input=text.encode("utf-8"), capture_output=True, timeout=120)
    return out.stdout if out.returncode == 0 and out.stdout.startswith(b"\x89PNG") else None


def chain_brief(tables: Tables, scorer, chain: str, *, city: City, today: dt.date, lang: str = "zh",
                strategy=None, per_team: int = 5, picture: bool = True) -> Brief:
    """A chain report: the map, its gaps, the top targets of each pioneer team and the 八个一.

    Examples
    --------
    >>> import datetime as dt
    >>> from chainmap.store.memory import MemoryStore
    >>> from chainmap.scoring import TargetScorer
    >>> from chainmap.io.city import City
    >>> t = MemoryStore.open().tables()
    >>> b = chain_brief(t, TargetScorer().fit(t), "electronics", city=City("清远"), today=dt.date(2026, 11, 30),
    ...                 picture=False)
    >>> b.title, "市招商先锋队（深圳）" in b.text()
    ('电子信息产业链招商报告', True)
    """
    gaps = with_reasons(gap_analysis(tables, chain), lang)
    links = _link_names(tables, lang)
    book = _Book()
    counts = gaps["status"].value_counts()
    b = Brief(tr("c.title", lang, chain=_chain_name(tables, chain, lang)),
              tr("c.sub", lang, n=len(gaps), **{s: int(counts.get(s, 0)) for s in
                                                ("strong", "strengthen", "fill", "extend", "unassessed")})
              + " · " + _made(city, today, lang), lang=lang, footer=tr("footer", lang))
    ranked = scorer.rank(chain, strategy, top=None)

    b.add(Heading(tr("c.map", lang)))
    if picture:
        open_links = gaps.loc[gaps["status"].isin(["fill", "extend", "strengthen"]), "name_zh"]
        targets = {}
        for lid, name in zip(gaps.loc[open_links.index, "link_id"], open_links):
            hit = ranked[ranked["links"].map(lambda ls: name in ls)]
            if len(hit):
                targets[lid] = hit["name_zh"].head(1).tolist()
        png = chain_png(tables, chain, gaps, lang, targets)
        b.add(Picture(png, tr("c.map_cap", lang)) if png else Para(tr("c.no_map", lang)))

    b.add(Heading(tr("c.gaps", lang)))
    open_ = gaps[gaps["status"].isin(["fill", "extend", "strengthen"])].sort_values("severity", ascending=False)
    if len(open_):
        b.add(Table([tr(k, lang) for k in ("c.g_link", "c.g_stage", "c.g_status", "c.g_severity", "c.g_local",
                                           "c.g_reason")],
                    [[links.get(r.link_id, r.name_zh), label(STAGE_LABEL, r.stage, lang),
                      label(STATUS_LABEL, r.status, lang), f"{r.severity:.2f}", "、".join(r.incumbents) or "—",
                      r.reason + book.ref(r.source)] for r in open_.itertuples()], widths=[1.6, 0.7, 0.7, 0.8, 1.6, 4.5]))
    else:
        b.add(Para(tr("c.no_gaps", lang)))
    un = gaps[gaps["status"] == "unassessed"]
    if len(un):
        b.add(Para(tr("c.unassessed", lang, n=len(un), links="、".join(links.get(x, x) for x in un["link_id"]))))
    for s in gaps.loc[gaps["status"] == "strong", "source"]:
        book.ref(s)

    b.add(Heading(tr("c.targets", lang)))
    teams = list(zip(tables.teams["id"], tables.teams["name_zh" if lang == "zh" else "name_en"])) + \
        [(UNASSIGNED, UNASSIGNED if lang == "zh" else f"City level ({UNASSIGNED})")]
    for tid, tname in teams:
        r = with_reasons(scorer.rank(chain, strategy, top=per_team, team=tid), lang)
        b.add(Heading(tname or tid, level=2))
        if r.empty:
            b.add(Para(tr("c.no_targets", lang), small=True))
            continue
        b.add(Table([tr(k, lang) for k in ("c.t_rank", "c.t_firm", "c.t_mode", "c.t_score", "c.t_reason")],
                    [[str(int(x.rank)), x.name_zh, _mode(x.mode, lang), f"{x.score:.3f}", x.reason]
                     for x in r.itertuples()], widths=[0.6, 1.8, 0.7, 0.7, 6]))

    b.add(Heading(tr("c.mech", lang)))
    scores = pd.Series(scorer.score(chain, strategy)[0], index=scorer.firm_index_)
    review = mechanism_review(tables, chain, gaps, scores, today)
    if len(review):
        b.add(Para(tr("c.m_done", lang, v=_pct(completeness(review)))))
        status = SLOT_STATUS_LABEL["en" if lang == "en" else "zh"]
        review = with_evidence(review, lang)   # a derived slot's evidence is computed: its words come from here
        b.add(Table([tr(k, lang) for k in ("c.m_slot", "c.m_status", "c.m_owner", "c.m_evidence", "c.m_date")],
                    [[f"{int(r.slot)}. {r.name_zh}", status.get(r.status, _s(r.status)), _s(r.owner) or "—",
                      _s(r.evidence) + book.ref(r.source), _s(r.updated_on)] for r in review.itertuples()],
                    widths=[2.2, 0.8, 1, 4.5, 1]))
    else:
        b.add(Para(tr("c.no_mech", lang)))
    b.add(book.section(lang))
    return b


# --------------------------------------------------------------------------- monthly ledger report
def parse_month(text: str, lang: str = "zh") -> tuple[int, int]:
    """``"2026-11"`` → ``(2026, 11)``.

    >>> parse_month("2026-11"), parse_month("2026年3月")
    ((2026, 11), (2026, 3))
    """
    m = re.fullmatch(r"\s*(\d{4})\s*(?:-|/|年)\s*(\d{1,2})\s*月?\s*", str(text))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"月份“{text}”无法识别：请写成 2026-11" if lang == "zh"
                         else f"cannot read the month {text!r}: write it as 2026-11")
    return int(m.group(1)), int(m.group(2))


def _md(d: dt.date, lang: str) -> str:
    return f"{d.month}月{d.day}日" if lang == "zh" else d.strftime("%d %b")


def _month_of(s: pd.Series) -> pd.Series:
    """The month of a date cell (``2026-05-03`` or ``2026-05``); NaN when only the year is known."""
    return pd.to_numeric(s.astype(str).str.extract(r"^\d{4}[-/.](\d{1,2})")[0], errors="coerce")


def parse_week(text: str, lang: str = "zh") -> tuple[dt.date, dt.date] | None:
    """An ISO week ``"2026-W48"`` → its Monday and Sunday; None when ``text`` is not a week.

    >>> parse_week("2026-W48")
    (datetime.date(2026, 11, 23), datetime.date(2026, 11, 29))
    >>> parse_week("2026-11") is None
    True
    """
    m = re.fullmatch(r"\s*(\d{4})\s*-?\s*[Ww]\s*(\d{1,2})\s*", str(text))
    if not m:
        return None
    try:
        start = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        raise ValueError(f"周次“{text}”不存在：请写成 2026-W48" if lang == "zh"
                         else f"no such week {text!r}: write it as 2026-W48") from None
    return start, start + dt.timedelta(days=6)


def _day_of(s: pd.Series) -> pd.Series:
    """The date of a cell written to the day (``2026-05-03``); NaT when only the month or year is known."""
    full = s.astype(str).str.extract(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})")[0].str.replace(r"[/.]", "-", regex=True)
    return pd.to_datetime(full, errors="coerce", format="mixed")


def ledger_brief(tables: Tables, period: str, *, city: City, today: dt.date, lang: str = "zh") -> Brief:
    """The monthly (招商月报, ``period="2026-11"``) or weekly (招商周报, ``period="2026-W48"``) report of the
    project ledger: the period's signings, the year so far against the target, and the year's signings by
    stage, chain, team and county.

    Counting follows :mod:`chainmap.analysis.ledger` (a project counts once, at
    its signing; stages 签约 and later). A signing dated only to the year (or,
    for a week, only to the month) cannot be placed in the period: it is
    counted in the year so far only when the period ends the year (or when its
    month has ended) and the report says how many were left out.

    Examples
    --------
    >>> import datetime as dt
    >>> from chainmap.store.memory import MemoryStore
    >>> from chainmap.io.city import City, Target
    >>> t = MemoryStore.open().tables()
    >>> b = ledger_brief(t, "2025-12", city=City("清远", targets=(Target(2025, 700.0),)), today=dt.date(2026, 1, 5))
    >>> b.title, "700亿元" in b.text()
    ('招商引资月报（2025年12月）', True)
    >>> ledger_brief(t, "2026-W48", city=City("清远"), today=dt.date(2026, 11, 30)).title
    '招商引资周报（2026年第48周，11月23日至11月29日）'
    """
    p = tables.projects
    week = parse_week(period, lang)
    months = _month_of(p["signed_on"]).to_numpy()
    if week:
        start, end = week
        year = end.year
        signed = signed_mask(p, year).to_numpy()
        days = _day_of(p["signed_on"])
        in_period = signed & ((days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))).to_numpy()
        ytd = signed & ((days <= pd.Timestamp(end)).to_numpy() | (days.isna().to_numpy() & (months < end.month)))
        title = tr("l.title_w", lang, y=start.isocalendar()[0], w=start.isocalendar()[1], a=_md(start, lang),
                   b=_md(end, lang))
        unit = "w"
        loose = days.isna().to_numpy() & (np.isnan(months) | (months == end.month))
    else:
        year, mon = parse_month(period, lang)
        end = dt.date(year, mon, calendar.monthrange(year, mon)[1])
        signed = signed_mask(p, year).to_numpy()
        in_period = signed & (months == mon)
        ytd = signed & (months <= mon)
        if mon == 12:   # a signing known by its year only is in the year's total
            ytd |= signed & np.isnan(months)
        title = tr("l.title", lang, y=year, m=mon)
        unit = "m"
        loose = np.isnan(months)
    left_out = signed & ~ytd & loose      # signed this year, dated too loosely to place in the period
    planned = pd.to_numeric(p["planned_yi"], errors="coerce")
    target = city.target(year)
    book = _Book()
    chain_names = {c: _chain_name(tables, c, lang) for c in tables.chains["id"]}
    b = Brief(title, tr("l.sub", lang, city=city.label(lang), end=end.isoformat())
              + " · " + _made(city, today, lang), lang=lang, footer=tr("footer", lang))

    b.add(Heading(tr("l.head", lang)))
    b.add(Para(tr(f"l.new_{unit}", lang, n=int(in_period.sum()), yi=_yi(float(planned[in_period].sum()), lang)),
               bold=True))
    ytd_yi = float(planned[ytd].sum())
    line = tr("l.ytd", lang, y=year, end=_md(end, lang), n=int(ytd.sum()), yi=_yi(ytd_yi, lang))
    if target:
        line += tr("l.vs", lang, target=_yi(target, lang), p=_pct(ytd_yi / target), t=_pct(time_share(end)))
        book.ref(city.target_source(year))
    else:
        line += tr("l.no_target", lang)
    b.add(Para(line))
    if left_out.any():
        b.add(Para(tr("l.loose", lang, n=int(left_out.sum()))))
    missing = int((ytd & planned.isna().to_numpy()).sum())
    if missing:
        b.add(Para(tr("l.missing", lang, n=missing)))
    if not signed.any():
        b.add(Para(tr("l.empty", lang, y=year), bold=True))
    base = city.baseline(year - 1)
    if base is not None and base.n_signed is not None:
        b.add(Para(tr("l.base", lang, y=base.year, n=base.n_signed, yi=_yi(base.planned_yi, lang))))
        book.ref(base.source)
    b.add(Heading(tr(f"l.list_{unit}", lang)))
    rows = p[in_period].assign(p_yi=planned[in_period]).sort_values("p_yi", ascending=False)
    if len(rows):
        b.add(Table([tr(k, lang) for k in ("l.p_name", "l.p_investor", "l.p_chain", "l.p_amount", "l.p_stage",
                                           "l.p_county", "l.p_date")],
                    [[r.name + book.ref(r.source), _s(r.investor_name), chain_names.get(r.chain, _s(r.chain)),
                      _num(r.p_yi) or tr("unknown", lang), _s(r.stage), _s(r.county) or _s(r.park), _s(r.signed_on)]
                     for r in rows.itertuples()], widths=[3, 2, 1, 1.1, 0.8, 1.2, 1.2]))
    else:
        b.add(Para(tr(f"l.none_{unit}", lang)))

    b.add(Heading(tr("l.stage", lang)))
    ss = stage_summary(p)
    b.add(Table([tr("l.s_stage", lang), tr("l.s_n", lang), tr("l.s_yi", lang)],
                [[r.stage, str(r.n), _num(r.planned_yi) or "0"] for r in ss.itertuples()], widths=[1, 1, 1.5]))

    year_rows = p[signed].assign(p_yi=planned[signed])
    blank = tr("l.blank_unit", lang)
    for key, keys in (("l.by_chain", year_rows["chain"].map(lambda c: chain_names.get(c, c))),
                      ("l.by_team", year_rows["lead_unit"].where(year_rows["lead_unit"] != "",
                                                                 year_rows["responsible_unit"])),
                      ("l.by_county", year_rows["county"].where(year_rows["county"] != "", year_rows["park"]))):
        b.add(Heading(tr(key, lang)))
        if year_rows.empty:
            b.add(Para(tr("l.none_year", lang)))
            continue
        g = year_rows.assign(_k=keys.replace("", blank).fillna(blank)).groupby("_k")
        agg = pd.DataFrame({"n": g.size(), "yi": g["p_yi"].sum()}).sort_values("yi", ascending=False)
        b.add(Table([tr("l.k_name", lang), tr("l.k_n", lang), tr("l.k_yi", lang), tr("l.k_share", lang)],
                    [[str(k), str(int(r.n)), _num(r.yi) or "0", _pct(r.yi / target) if target else "—"]
                     for k, r in agg.iterrows()], widths=[2, 1, 1.4, 1.2]))
    for s in p.loc[signed, "source"]:
        book.ref(s)
    b.add(book.section(lang))
    return b
