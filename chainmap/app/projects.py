"""项目信息库: the project ledger, its KPIs against the year's target, add/edit/advance a
project; a ledger spreadsheet is imported on the 数据导入 page (a link here opens it on 项目台账)."""
from __future__ import annotations


import pandas as pd
import streamlit as st

from ..analysis.ledger import (STAGES, advance_stage, kpis_by_chain, ledger_issues, ledger_kpis,
                               next_stage, projects_to_events, stage_summary, year_rows)
from ..io import InputError, Problem
from ..io.export import csv_bytes, xlsx_bytes
from ..io.schemas import SIGNING_KINDS, SPECS
from ..io.importing import HEADERS_ZH, plan_import
from . import charts, reports
from .overview import base_deltas, target_for, year_options
from ..i18n import action_text, history_view, local_time
from .state import (T, can_edit, chain_name, ctx, editor_notice, fmt_yi, loaded, nonce, save, show_problems, sticky,
                    today, translator, undo)

COLUMNS = SPECS["projects"].names


def ledger_display(projects: pd.DataFrame, c) -> pd.DataFrame:
    """The ledger as officers read it: chain and link names, Chinese headers, missing fields."""
    links = dict(zip(c.tables.links["id"], c.tables.links["name_zh"]))
    chains = dict(zip(c.tables.chains["id"], c.tables.chains["name_zh"]))
    out = projects[COLUMNS].assign(chain=projects["chain"].map(lambda v: chains.get(v, v)),
                                   link_id=projects["link_id"].map(lambda v: links.get(v, v)))
    out = out.assign(**{"_issues": ledger_issues(projects, c.lang).to_numpy()})
    heads = dict(HEADERS_ZH["projects"], _issues=T("pj.issues")) if c.lang == "zh" else {"_issues": "missing"}
    return out.rename(columns=heads)


def ledger_columns(lang: str) -> dict:
    """Column settings of the ledger grid: amounts in 亿元 rounded to 0.1 and wide enough to read in full."""
    heads = HEADERS_ZH["projects"] if lang == "zh" else {}
    cfg = {T("pj.issues"): st.column_config.TextColumn(T("pj.issues"), width="medium")}
    for col in ("planned_yi", "completed_yi"):
        h = heads.get(col, col)
        cfg[h] = st.column_config.NumberColumn(h, format="%.1f", width="medium")
    for col in ("name", "investor_name"):
        h = heads.get(col, col)
        cfg[h] = st.column_config.TextColumn(h, width="medium")
    return cfg


def page() -> None:
    c = ctx()
    t = c.tables
    p = t.projects
    st.title(T("pj.title"))
    st.caption(T("pj.caption"))
    years = year_options(p)
    year = st.selectbox(T("ov.year"), years, index=years.index(today().year), key="pj_year", width=160)
    target = target_for(year)
    k = ledger_kpis(p, year, target_yi=target)
    deltas = base_deltas(c.city.latest_baseline())
    m = st.columns(4)
    m[0].metric(T("pj.signed_yi"), fmt_yi(k["planned_yi"]) if k["planned_yi"] > 0 else "—",
                delta=T("pj.of_target", t=f"{target:,.0f}", pct=f"{k['progress']:.1%}") if target else None,
                delta_color="off", delta_arrow="off", border=True)
    m[1].metric(T("ov.n_signed"), T("unit.n", n=k["n_signed"]), delta=deltas["n_signed"],
                delta_color="off", delta_arrow="off", border=True)
    m[2].metric(T("ov.start_rate"), "—" if k["start_rate"] is None else f"{k['start_rate']:.0%}",
                delta=deltas["start_rate"], delta_color="off", delta_arrow="off",
                border=True, help=T("ov.start_rate_help"))
    m[3].metric(T("ov.completed"), fmt_yi(k["completed_yi"]), delta=deltas["completed_yi"],
                delta_color="off", delta_arrow="off", border=True, help=T("ov.completed_help"))
    if target:
        st.progress(min(1.0, k["progress"] or 0.0), text=T("ov.progress", done=fmt_yi(k["planned_yi"]),
                                                          target=fmt_yi(target), pct=f"{(k['progress'] or 0):.1%}"))
    notes = []
    if k["n_amount_missing"]:
        notes.append(T("ov.amount_missing", n=k["n_amount_missing"]))
    if k["n_start_date_missing"]:
        notes.append(T("pj.start_missing", n=k["n_start_date_missing"]))
    if notes:
        st.warning("；".join(notes), icon=":material/warning:")
    with st.expander(T("pj.rules_title"), icon=":material/rule:"):
        st.markdown(T("pj.rules"))

    a, b = st.columns(2, gap="large")
    with a:
        st.markdown(f"**{T('pj.by_stage_year', year=year)}**")
        s = stage_summary(p[year_rows(p, year, today().year)]).assign(label=lambda d: d["stage"].map(lambda v: T(f"stage.{v}")))
        st.plotly_chart(charts.stage_funnel(s, T("pj.count"), T("pj.amount"), T("unit.yi_short")), key="pj_funnel",
                        config={"displayModeBar": False})
    with b:
        st.markdown(f"**{T('pj.by_chain', year=year)}**")
        bc = kpis_by_chain(p, year, list(t.chains["id"]))
        bc = bc.assign(label=bc["chain"].map(lambda ch: chain_name(t, ch, c.lang)))
        if bc["n_signed"].sum():
            st.plotly_chart(charts.chain_bars(bc, T("pj.amount_axis"), T("unit.yi_short")), key="pj_chains",
                            config={"displayModeBar": False})
        else:
            st.info(T("ov.no_signed", year=year), icon=":material/info:")

    st.subheader(T("pj.ledger"))
    f1, f2, f3 = st.columns([2, 2, 3])
    chains = list(t.chains["id"])
    sticky("pj_f_chain", "pj_f_stage", "pj_adv_pick", "pj_pick")
    fc = f1.selectbox(T("pj.f_chain"), [None] + chains, key="pj_f_chain",
                      format_func=lambda v, _t=translator(): _t("tg.any") if v is None else chain_name(t, v, c.lang))
    fs = f2.selectbox(T("pj.f_stage"), [None] + list(STAGES), key="pj_f_stage",
                      format_func=lambda v, _t=translator(): _t("tg.any") if v is None else _t(f"stage.{v}"))
    fq = f3.text_input(T("pj.f_search"), key="pj_f_q", placeholder=T("pj.f_search_ph"))
    view = p
    if fc:
        view = view[view["chain"] == fc]
    if fs:
        view = view[view["stage"] == fs]
    if fq:
        q = fq.strip()
        view = view[view["name"].str.contains(q, regex=False) | view["investor_name"].str.contains(q, regex=False)
                    | (view["id"] == q)]
    show = ledger_display(view, c)
    st.dataframe(show, hide_index=True, width="stretch", height=min(38 + 35 * max(1, len(show)), 500), placeholder="",
                 column_config=ledger_columns(c.lang))
    st.caption(T("pj.count_rows", n=len(view), total=len(p)))
    row = st.container(horizontal=True)
    row.download_button(T("pj.export"), _ledger_files(c.key, c.version, c.lang, c)[0],
                       file_name=T("pj.export_file", d=today().isoformat()), icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="pj_xlsx",
                       on_click="ignore")
    row.download_button(T("pj.template"), xlsx_bytes({T("pj.sheet"): pd.DataFrame(
        columns=list(HEADERS_ZH["projects"].values()))}), file_name=T("pj.template_file"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/description:",
        key="pj_template", on_click="ignore")
    row.download_button(T("pj.events"), _ledger_files(c.key, c.version, c.lang, c)[1], file_name="signing_events.csv",
                       mime="text/csv", icon=":material/event:", key="pj_events", on_click="ignore",
                       help=T("pj.events_help"))
    reports.report_downloads(c)   # the chain report, the monthly and weekly reports, made on click

    tab_edit, tab_advance, tab_import, tab_log = st.tabs([T("pj.tab_edit"), T("pj.tab_advance"), T("pj.tab_import"),
                                                          T("hx.title")])
    with tab_edit:
        if can_edit():
            project_editor(c)
    with tab_advance:
        if can_edit():
            stage_advancer(c)
    with tab_import:
        # One import page for every kind of file (数据导入, the same pipeline as ``chainmap import``): opened
        # here on 项目台账.
        st.caption(T("pj.import_moved"))
        st.page_link(st.session_state["_pages"]["imports"], label=T("pj.import_link"), icon=":material/upload_file:",
                     query_params={"kind": "projects"})
    with tab_log:
        change_log(c)


def change_log(c) -> None:
    """The recent change sets of the whole store (app saves, CLI imports, undos); an editor can undo one."""
    st.caption(T("hx.caption"))
    h = c.store.history()
    if h.empty:
        st.info(T("hx.none"), icon=":material/history:")
        return
    sets = (h.groupby("change_set", sort=False)
             .agg(at=("at", "first"), author=("author", "first"), action=("action", "first"), n=("key", "size"))
             .reset_index().head(200))
    shown = sets.assign(at=sets["at"].map(local_time), action=sets["action"].map(lambda a: action_text(a, c.lang)))
    st.dataframe(shown.rename(columns={k: T(f"h.{k}") for k in shown.columns}), hide_index=True, width="stretch",
                 key="hx_sets")
    label = {r.change_set: f"{r.at} · {r.author} · {r.action} · {T('hx.n', n=r.n)}" for r in shown.itertuples()}
    pick = st.selectbox(T("hx.pick"), list(label), format_func=label.get, key="hx_pick")
    st.dataframe(history_view(h[h["change_set"] == pick], c.lang), hide_index=True, width="stretch", key="hx_rows")
    if c.access.can_edit and st.button(T("hx.undo"), key=f"hx_undo:{pick}", icon=":material/undo:",
                                       help=T("hx.undo_help")):
        undo(pick)


@st.cache_data(max_entries=8, show_spinner=False)
def _ledger_files(key: str, version: str, lang: str, _c) -> tuple[bytes, bytes]:
    """The ledger workbook (headers as shown, re-importable) and the signing events, per data version."""
    p = _c.tables.projects
    return xlsx_bytes({T("pj.sheet"): ledger_display(p, _c)}), csv_bytes(projects_to_events(p))


def _new_id(p: pd.DataFrame) -> str:
    y = today().year
    n = sum(1 for i in p["id"] if str(i).startswith(f"P{y}-")) + 1
    while f"P{y}-{n:03d}" in set(p["id"]):
        n += 1
    return f"P{y}-{n:03d}"


def project_editor(c) -> None:
    """Add a project or edit one; checked like an import, saved with a conflict check."""
    t = c.tables
    p = t.projects
    names = dict(zip(p["id"], p["name"]))
    pick = st.selectbox(T("pj.pick"), [None] + list(p["id"]), key="pj_pick",
                        format_func=lambda v, _t=translator(): _t("pj.new") if v is None else f"{v} · {names[v]}")
    current = p[p["id"] == pick] if pick else p.iloc[0:0]
    key = f"project:{pick or 'new'}"
    wk = f"{key}:{nonce(key)}"
    expected = loaded(key, current, fresh=f"{wk}:name" not in st.session_state)
    row = current.iloc[0].to_dict() if len(current) else {c_: "" for c_ in COLUMNS}
    chains = list(t.chains["id"])
    links = t.links
    lnames = {lid: f"{name}（{chain_name(t, ch, c.lang)}）"
              for lid, name, ch in zip(links["id"], links["name_zh"], links["chain"])}

    def num(v):
        return None if v == "" or v is None or pd.isna(v) else float(v)

    sticky(*(f"{wk}:{f}" for f in ("chain", "link", "stage", "kind", "county")))
    with st.form(f"form:{wk}", enter_to_submit=False):
        a, b, d = st.columns(3)
        pid = a.text_input(T("pj.h.id"), value=row["id"] or _new_id(p), key=f"{wk}:id", disabled=bool(pick))
        name = b.text_input(T("pj.h.name"), value=row["name"], key=f"{wk}:name")
        investor = d.text_input(T("pj.h.investor_name"), value=row["investor_name"], key=f"{wk}:investor",
                                help=T("pj.investor_help"))
        chain = a.selectbox(T("pj.h.chain"), chains, key=f"{wk}:chain",
                            index=chains.index(row["chain"]) if row["chain"] in chains else chains.index(c.chain),
                            format_func=lambda v: chain_name(t, v, c.lang))
        link_opts = [""] + list(links["id"])
        link = b.selectbox(T("pj.h.link_id"), link_opts, key=f"{wk}:link",
                           index=link_opts.index(row["link_id"]) if row["link_id"] in link_opts else 0,
                           format_func=lambda v: lnames[v] if v else "—")
        stage = d.selectbox(T("pj.h.stage"), list(STAGES), key=f"{wk}:stage",
                            index=STAGES.index(row["stage"]) if row["stage"] in STAGES else 0,
                            format_func=lambda v, _t=translator(): _t(f"stage.{v}"))
        planned = a.number_input(T("pj.h.planned_yi"), min_value=0.0, value=num(row["planned_yi"]), step=0.5,
                                 format="%.2f", key=f"{wk}:planned", placeholder=T("pj.blank_unknown"))
        kinds = [""] + list(SIGNING_KINDS)
        kind = b.selectbox(T("pj.h.signing_kind"), kinds, key=f"{wk}:kind",
                           index=kinds.index(row["signing_kind"]) if pick and row["signing_kind"] in kinds else 1,
                           format_func=lambda v: v or "—", help=T("pj.kind_help"))
        completed = d.number_input(T("pj.h.completed_yi"), min_value=0.0, value=num(row["completed_yi"]), step=0.5,
                                   format="%.2f", key=f"{wk}:completed", placeholder=T("pj.blank_unknown"))
        signed_on = a.text_input(T("pj.h.signed_on"), value=row["signed_on"], key=f"{wk}:signed",
                                 placeholder="2026-03-08")
        started_on = b.text_input(T("pj.h.started_on"), value=row["started_on"], key=f"{wk}:started",
                                  placeholder="2026-06-30")
        land = d.number_input(T("pj.h.land_mu"), min_value=0.0, value=num(row["land_mu"]), step=10.0, format="%.1f",
                              key=f"{wk}:land", placeholder=T("pj.blank_unknown"))
        st.markdown(f"**{T('pj.host_lead')}**")
        e, f, g, h = st.columns(4)
        # The hosts the workspace's settings name (seeds/city.toml: counties, then parks), and the row's own.
        hosts = list(dict.fromkeys([*c.city.counties, *c.city.parks]))
        counties = [""] + hosts + ([row["county"]] if row["county"] and row["county"] not in hosts else [])
        county = e.selectbox(T("pj.h.county"), counties, index=counties.index(row["county"]), key=f"{wk}:county",
                             format_func=lambda v: v or "—", accept_new_options=True)
        park = f.text_input(T("pj.h.park"), value=row["park"], key=f"{wk}:park")
        unit = g.text_input(T("pj.h.responsible_unit"), value=row["responsible_unit"], key=f"{wk}:unit")
        lead = h.text_input(T("pj.h.lead_unit"), value=row["lead_unit"], key=f"{wk}:lead", help=T("pj.lead_help"))
        source = st.text_input(T("pj.h.source"), value=row["source"], key=f"{wk}:source")
        notes = st.text_area(T("pj.h.notes"), value=row["notes"], key=f"{wk}:notes")
        submitted = st.form_submit_button(T("pj.save"), type="primary", icon=":material/save:", key=f"{wk}:submit")
    if submitted:
        values = dict(row, id=(row["id"] or pid).strip(), name=name, investor_name=investor, chain=chain, link_id=link,
                      planned_yi="" if planned is None else repr(float(planned)), stage=stage, signing_kind=kind,
                      signed_on=signed_on, started_on=started_on, land_mu="" if land is None else repr(float(land)),
                      county=county or "", park=park, responsible_unit=unit, lead_unit=lead,
                      completed_yi="" if completed is None else repr(float(completed)), source=source, notes=notes)
        if investor != row["investor_name"]:
            values["investor_id"] = ""  # a new investor name is matched to the library again
        values = {k_: "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
                  for k_, v in values.items()}
        if not pick and values["id"] in set(p["id"]):
            st.error(T("pj.id_taken", id=values["id"]))
        else:
            try:
                checked = form_record(values, current, c)
            except InputError as err:
                st.error(T("save.invalid"), icon=":material/error:")
                show_problems(err)
            else:
                save("projects", checked, expected, key)
    editor_notice(key)


def stage_advancer(c) -> None:
    """Move one project a stage on with one button (dates of 签约/动工 filled in when blank)."""
    p = c.tables.projects
    open_ = p[p["stage"] != STAGES[-1]]
    if not len(open_):
        st.caption(T("pj.none_open"))
        return
    shown = {pid: f"{pid} · {name} · {T('stage.' + stage)}"
             for pid, name, stage in zip(open_["id"], open_["name"], open_["stage"])}
    pick = st.selectbox(T("pj.pick_advance"), list(open_["id"]), key="pj_adv_pick", format_func=shown.get)
    current = p[p["id"] == pick]
    row = current.iloc[0].to_dict()
    key = f"advance:{pick}"
    # What the user sees now is what the click will be checked against.
    expected = loaded(key, current, fresh=st.session_state.get("_adv_seen") != pick)
    st.session_state["_adv_seen"] = pick
    nxt = next_stage(row["stage"])
    path = " → ".join(f"**{T('stage.' + s)}**" if s == row["stage"] else T("stage." + s) for s in STAGES)
    st.markdown(path)
    if st.button(T("pj.advance", stage=T(f"stage.{nxt}")), key=f"{key}:go", type="primary",
                 icon=":material/arrow_forward:"):
        new = advance_stage(expected.iloc[0].to_dict(), today().isoformat())
        save("projects", pd.DataFrame([new]), expected, key)
    editor_notice(key)
    if nxt in (STAGES[2], STAGES[5]):
        st.caption(T("pj.advance_dates"))


def form_record(values: dict[str, str], current: pd.DataFrame, c) -> pd.DataFrame:
    """The project of the form as one typed record, checked by the import pipeline (the same rules as a file).

    A field left blank in the form is blank in the record (an edit may clear a
    value, where an import never erases).
    """
    plan = plan_import(csv_bytes(pd.DataFrame([values], columns=COLUMNS)), "projects", T("pj.form_file"), c.tables,
                       today=today())
    if plan.counts()["review"]:
        r = plan.review.iloc[0]
        raise InputError([Problem(T("pj.form_file"), "firm_uncertain",
                                  {"value": values.get("investor_name", ""), "candidates": r["candidates"].split("|")},
                                  column=T("pj.h.investor_name"))])
    planned = plan.upserts.get("projects")
    rec = (planned if planned is not None and len(planned) else current).iloc[[0]].reset_index(drop=True).copy()
    for col in COLUMNS:
        if col not in ("id", "investor_id") and values[col] == "":
            rec[col] = float("nan") if pd.api.types.is_float_dtype(rec[col]) else ""
    return rec
