"""服务已落地企业: the firms already in the home city, and the leads they bring.

The plan asks the city to serve the firms already here (lifetime service, help
to expand in place) and to encourage local listed firms to reinvest locally
(鼓励本地上市公司在清再投资), and to court their partners (以商引商). This
module finds, from the tables only (no name is written in code):

* :func:`home_firms`: the firms registered in the home city (``hq_city``) and
  those with a plant there (``operations.local``);
* :func:`expansion_leads`: their recent capital raises, expansions and
  investments elsewhere (``signals``, ``events``), each an 增资扩产 lead with a
  reason code;
* :func:`partner_leads`: their suppliers and customers outside the city, known
  (``relations``) or inferred from the chain's edges (a firm operating on the
  link upstream or downstream of the incumbent's local link), 以商引商 leads.

Pure functions over tables: they emit codes and values; the app words them.
The home city is a parameter (``seeds/city.toml``).
"""
from __future__ import annotations

import pandas as pd

__all__ = ["home_firms", "expansion_leads", "partner_leads", "LEAD_KINDS"]

#: Signal and event kinds that are an expansion lead (a firm with money to place or a plant to build).
LEAD_KINDS: tuple[str, ...] = ("capital_raise", "expansion", "new_plant", "subsidiary", "signing", "relocation",
                               "acquisition")


def _text(s: pd.Series) -> pd.Series:
    return s.astype(object).where(s.notna(), "").astype(str).str.strip()


def _is_home(place: pd.Series, city: str) -> pd.Series:
    return _text(place).str.contains(city, regex=False) if city else pd.Series(False, index=place.index)


def home_firms(firms: pd.DataFrame, operations: pd.DataFrame, city: str) -> pd.DataFrame:
    """The firms already in ``city``: registered there, or with a plant there.

    Parameters
    ----------
    firms, operations : DataFrame
        The ``firms`` and ``operations`` tables.
    city : str
        The home city's short name (``清远``), as ``hq_city`` writes it.

    Returns
    -------
    DataFrame
        ``firm_id``, ``name_zh``, ``stock_code``, ``registered`` (its
        ``hq_city`` is the home city), ``listed`` (it has a stock code),
        ``kind`` (``local_listed``: registered here and listed;
        ``registered``: registered here; ``plant``: a plant here, registered
        elsewhere), ``local_links`` (the links of its local plants, ``|``-joined),
        ``entity`` (its local legal entities), ``location``; local listed firms first.

    Examples
    --------
    >>> firms = pd.DataFrame({"id": ["hm", "kb", "ya"], "name_zh": ["甲新材", "乙集团", "丙科技"],
    ...     "hq_city": ["清远", "香港", "深圳"], "stock_code": ["002988.SZ", "0148.HK", ""]})
    >>> ops = pd.DataFrame({"firm_id": ["hm", "kb", "ya"], "link_id": ["aluminium_extrusion", "ccl", "pcb"],
    ...     "local": [True, True, False], "entity": ["甲新材", "乙(佛冈)积层板", ""],
    ...     "location": ["清远高新区", "佛冈县", "深圳"]})
    >>> home_firms(firms, ops, "清远")[["firm_id", "kind", "local_links"]]
      firm_id          kind          local_links
    0      hm  local_listed  aluminium_extrusion
    1      kb         plant                  ccl
    """
    f = firms.copy()
    f["registered"] = _text(f["hq_city"]).str.startswith(city) if city else False
    f["listed"] = _text(f["stock_code"]) != ""
    local = operations[operations["local"].astype(bool)]
    g = local.groupby("firm_id")
    links = g["link_id"].agg(lambda s: "|".join(dict.fromkeys(s)))
    entity = g["entity"].agg(lambda s: "、".join(dict.fromkeys(x for x in _text(s) if x)))
    where = g["location"].agg(lambda s: "、".join(dict.fromkeys(x for x in _text(s) if x)))
    f = f[f["registered"] | f["id"].isin(links.index)]
    kind = pd.Series("plant", index=f.index, dtype=object)
    kind[f["registered"]] = "registered"
    kind[f["registered"] & f["listed"]] = "local_listed"
    out = pd.DataFrame({"firm_id": f["id"], "name_zh": f["name_zh"], "stock_code": _text(f["stock_code"]),
                        "registered": f["registered"].astype(bool), "listed": f["listed"].astype(bool), "kind": kind,
                        "local_links": f["id"].map(links).fillna(""), "entity": f["id"].map(entity).fillna(""),
                        "location": f["id"].map(where).fillna("")})
    order = out["kind"].map({"local_listed": 0, "registered": 1, "plant": 2})
    return out.assign(_o=order).sort_values(["_o", "firm_id"], kind="stable").drop(columns="_o").reset_index(drop=True)


LEAD_COLUMNS = ["firm_id", "date", "kind", "reason", "detail", "amount_yi", "place", "source", "origin"]


def expansion_leads(home: pd.DataFrame, signals: pd.DataFrame, events: pd.DataFrame, city: str,
                    since_year: int) -> pd.DataFrame:
    """The home firms' recent capital raises, expansions and investments: each an 增资扩产 lead.

    Parameters
    ----------
    home : DataFrame
        :func:`home_firms`.
    signals, events : DataFrame
        The ``signals`` and ``events`` tables.
    city : str
        The home city's short name, to tell an investment here from one elsewhere.
    since_year : int
        Only signals and events dated in this year or later (recent ones).

    Returns
    -------
    DataFrame
        ``firm_id``, ``date``, ``kind`` (the signal's or event's kind),
        ``reason`` (a code: ``raise``: capital raised, part of it may be placed
        here; ``elsewhere``: building outside the city, the next phase could
        come here; ``here``: expanding here, to serve and speed up),
        ``detail``, ``amount_yi``, ``place``, ``source``, ``origin``
        (``signal``/``event``); newest first. An event that repeats a signal
        (same firm, date and place) is kept once.

    Examples
    --------
    >>> home = pd.DataFrame({"firm_id": ["hm"]})
    >>> sig = pd.DataFrame({"firm_id": ["hm", "hm", "zz"], "date": ["2026-02-05", "2019-01", "2025"],
    ...     "kind": ["capital_raise", "expansion", "new_plant"], "detail": ["定增募资", "老扩产", "x"],
    ...     "amount_yi": [17.51, 1.0, 3.0], "place": ["清远/江苏", "清远", "y"], "source": ["http://a"] * 3})
    >>> ev = pd.DataFrame({"firm_id": ["hm"], "date": ["2024-03"], "kind": ["new_plant"], "project": ["华东基地"],
    ...     "place": ["江苏苏州"], "in_qingyuan": [False], "amount_yi": [5.0], "source": ["http://b"]})
    >>> expansion_leads(home, sig, ev, "清远", 2023)[["date", "kind", "reason", "amount_yi"]]
             date           kind     reason  amount_yi
    0  2026-02-05  capital_raise      raise      17.51
    1     2024-03      new_plant  elsewhere       5.00
    """
    ids = set(home["firm_id"])
    s = signals[signals["firm_id"].isin(ids)]
    rows = pd.DataFrame({"firm_id": s["firm_id"], "date": _text(s["date"]), "kind": s["kind"],
                         "detail": s["detail"], "amount_yi": pd.to_numeric(s["amount_yi"], errors="coerce"),
                         "place": _text(s["place"]), "source": s["source"], "origin": "signal",
                         "here": _is_home(s["place"], city)})
    e = events[events["firm_id"].isin(ids)]
    ev = pd.DataFrame({"firm_id": e["firm_id"], "date": _text(e["date"]), "kind": e["kind"], "detail": e["project"],
                       "amount_yi": pd.to_numeric(e["amount_yi"], errors="coerce"), "place": _text(e["place"]),
                       "source": e["source"], "origin": "event",
                       "here": e["in_qingyuan"].astype(bool) | _is_home(e["place"], city)})
    seen = set(zip(rows["firm_id"], rows["date"], rows["place"]))
    ev = ev[[k not in seen for k in zip(ev["firm_id"], ev["date"], ev["place"])]]
    # one event per chain it serves: the same investment once
    ev = ev.drop_duplicates(["firm_id", "date", "place", "detail"])
    out = pd.concat([rows, ev], ignore_index=True)
    year = pd.to_numeric(out["date"].str[:4], errors="coerce")
    out = out[(year >= since_year) & out["kind"].isin(LEAD_KINDS)]
    reason = pd.Series("elsewhere", index=out.index, dtype=object)
    reason[out["here"]] = "here"
    reason[out["kind"] == "capital_raise"] = "raise"
    out = out.assign(reason=reason)[LEAD_COLUMNS]
    return out.sort_values(["date", "firm_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


PARTNER_COLUMNS = ["home_id", "partner_id", "role", "basis", "home_link", "partner_link", "product", "source"]


def partner_leads(home: pd.DataFrame, relations: pd.DataFrame, operations: pd.DataFrame, edges: pd.DataFrame,
                  firms: pd.DataFrame, per_link: int = 5) -> pd.DataFrame:
    """The home firms' suppliers and customers outside the city: 以商引商 leads.

    Parameters
    ----------
    home : DataFrame
        :func:`home_firms`.
    relations, operations, edges, firms : DataFrame
        The ``relations``, ``operations``, chain ``edges`` (``src`` link
        supplies ``dst`` link) and ``firms`` tables.
    per_link : int
        For inferred partners, at most this many per (home firm, partner's
        link), the largest by revenue first.

    Returns
    -------
    DataFrame
        ``home_id``, ``partner_id``, ``role`` (``supplier``/``customer`` of the
        home firm, ``group``: the group it belongs to), ``basis`` (``known``: a
        sourced relation; ``inferred``: the partner operates on the link
        upstream (supplier) or downstream (customer) of the home firm's local
        link), ``home_link``, ``partner_link``, ``product``, ``source``. Partners
        that are themselves home firms are left out (they are here already);
        known relations come first.

    Examples
    --------
    >>> home = pd.DataFrame({"firm_id": ["kb"], "local_links": ["e_glass_yarn"]})
    >>> rel = pd.DataFrame({"src": ["kb"], "dst": ["sy"], "type": ["SUPPLIES_TO"], "product": ["电子布"],
    ...                     "source": ["http://a"]})
    >>> ops = pd.DataFrame({"firm_id": ["sy", "nn"], "link_id": ["ccl", "ccl"], "local": [False, False]})
    >>> edges = pd.DataFrame({"src": ["e_glass_yarn"], "dst": ["ccl"]})
    >>> firms = pd.DataFrame({"id": ["kb", "sy", "nn"], "revenue_yi": [400.0, 200.0, 100.0]})
    >>> partner_leads(home, rel, ops, edges, firms)[["home_id", "partner_id", "role", "basis", "partner_link"]]
      home_id partner_id      role     basis partner_link
    0      kb         sy  customer     known             
    1      kb         nn  customer  inferred          ccl
    """
    ids = set(home["firm_id"])
    rows = []
    for r in relations.itertuples(index=False):
        if r.type == "SUPPLIES_TO":
            if r.src in ids and r.dst not in ids:
                rows.append((r.src, r.dst, "customer", "known", "", "", r.product, r.source))
            if r.dst in ids and r.src not in ids:
                rows.append((r.dst, r.src, "supplier", "known", "", "", r.product, r.source))
        elif r.type == "PART_OF" and r.src in ids and r.dst not in ids:
            rows.append((r.src, r.dst, "group", "known", "", "", "", r.source))
    known = {(h, p) for h, p, *_ in rows}
    # firms present on a link somewhere outside the city, largest first
    revenue = dict(zip(firms["id"], pd.to_numeric(firms["revenue_yi"], errors="coerce").fillna(0.0)))
    away = operations[~operations["local"].astype(bool) & ~operations["firm_id"].isin(ids)]
    on_link: dict[str, list[str]] = {}
    for link, g in away.groupby("link_id"):
        on_link[link] = sorted(dict.fromkeys(g["firm_id"]), key=lambda f: (-revenue.get(f, 0.0), f))
    up = edges.groupby("dst")["src"].agg(list).to_dict()
    down = edges.groupby("src")["dst"].agg(list).to_dict()
    for h, links in zip(home["firm_id"], home["local_links"]):
        for link in [x for x in str(links).split("|") if x]:
            for role, nxt in (("supplier", up.get(link, [])), ("customer", down.get(link, []))):
                for other in nxt:
                    for p in on_link.get(other, [])[:per_link]:
                        if (h, p) in known:
                            continue
                        known.add((h, p))
                        rows.append((h, p, role, "inferred", link, other, "", ""))
    return pd.DataFrame(rows, columns=PARTNER_COLUMNS)
