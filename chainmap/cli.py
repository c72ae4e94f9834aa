"""The ``chainmap`` command: thin over the API.

Every command takes ``--workspace DIR`` (default: ``$CHAINMAP_WORKSPACE``, else
the user's workspace made from the bundled data on first use; see
:mod:`chainmap.location`) and ``--lang zh|en`` (default zh), before or after
the command's name. Bad input prints one clear message and exits 2;
``--debug`` shows the traceback.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from .i18n import (COLUMN_LABEL, STAGE_LABEL, STATUS_LABEL, cli_headers, cli_text, label, problem_line, today,
                   with_reasons)
from .io import InputError, atomic_write
from .io.export import csv_bytes
from .io.messages import Coded, CodedError, error_words, said
from .store import StoreError
from .store.changes import AUDITED

__all__ = ["main", "build_parser"]


class UsageError(Coded, Exception):
    """A wrong choice on the command line (unknown chain, format, …): a code of
    :data:`chainmap.io.messages.ERRORS` and its values, said in the user's language by :meth:`text`."""


def _usage(e: Exception) -> UsageError:
    """A refusal of the core as a usage error: in the user's language when it carries a code
    (:class:`~chainmap.io.messages.CodedError`), else its own words."""
    if isinstance(e, CodedError):
        return UsageError(e.code, **e.params)
    return UsageError("other", message=str(e))


def _store(args):
    if args.backend == "neo4j":
        return _neo4j(args)
    return _workspace(args)


def _workspace(args):
    """The user's workspace store (SQLite), found as :func:`chainmap.location.resolve` says."""
    from .location import describe_notes, open_workspace, resolve

    path, explicit = resolve(args.workspace)
    return open_workspace(path, explicit=explicit,
                          note=lambda code, **p: print(describe_notes(code, args.lang, **p), file=sys.stderr))


def _neo4j(args):
    import os

    try:
        from .store.neo4j import Neo4jStore
    except ImportError:
        raise UsageError("neo4j_driver") from None
    uri = args.uri or os.environ.get("NEO4J_URI")
    if not uri:
        raise UsageError("neo4j_uri")
    user = args.user or os.environ.get("NEO4J_USER")
    password = args.password or os.environ.get("NEO4J_PASSWORD")
    return Neo4jStore.connect(uri, user, password)


def _emit(args, text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    if getattr(args, "output", None):
        atomic_write(Path(args.output), data)
        print(said("wrote", {"path": args.output}, args.lang), file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _table(df: pd.DataFrame, lang: str, table: str = "") -> str:
    """``df`` as a text table, its headers those of ``table`` in the catalogue (:func:`chainmap.i18n.cli_headers`)."""
    from tabulate import tabulate

    names = cli_headers(table, lang)
    headers = [names.get(c, c) for c in df.columns]
    return tabulate(df.values.tolist(), headers=headers, tablefmt="simple", disable_numparse=True) + "\n"


def _check_chain(tables, chain: str) -> None:
    valid = list(tables.chains["id"])
    if chain not in valid:
        raise UsageError("unknown_chain", chain=chain, known=valid)


def cmd_chains(args) -> None:
    t = _store(args).tables()
    local = t.operations[t.operations["local"]].merge(t.links[["id", "chain"]], left_on="link_id", right_on="id")
    df = pd.DataFrame({
        "id": t.chains["id"],
        "name_zh": t.chains["name_zh"],
        "name_en": t.chains["name_en"],
        "links": t.chains["id"].map(t.links.groupby("chain").size()).fillna(0).astype(int),
        "local_firms": t.chains["id"].map(local.groupby("chain")["firm_id"].nunique()).fillna(0).astype(int),
    })
    if args.format == "json":
        _emit(args, json.dumps(df.to_dict("records"), ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        _emit(args, csv_bytes(df))
    else:
        _emit(args, _table(df, args.lang, "chains"))


def cmd_gaps(args) -> None:
    from .analysis import gap_analysis

    t = _store(args).tables()
    _check_chain(t, args.chain)
    gaps = with_reasons(gap_analysis(t, args.chain), args.lang)
    if args.format == "json":
        recs = gaps.assign(status_label=gaps["status"].map(lambda s: label(STATUS_LABEL, s, args.lang)))
        recs = recs.astype(object).where(recs.notna(), None).to_dict("records")
        _emit(args, json.dumps(recs, ensure_ascii=False, indent=2) + "\n")
        return
    show = gaps.assign(
        status=gaps["status"].map(lambda s: label(STATUS_LABEL, s, args.lang)),
        stage=gaps["stage"].map(lambda s: label(STAGE_LABEL, s, args.lang)),
        incumbents=gaps["incumbents"].map(cli_text("list_sep", lang=args.lang).join),
        chain_leaders=gaps["chain_leaders"].map(cli_text("list_sep", lang=args.lang).join),
    )
    if args.format == "csv":
        _emit(args, csv_bytes(show.drop(columns="reason_parts").rename(columns=COLUMN_LABEL.get(args.lang, {}))))
        return
    cols = ["name_zh" if args.lang == "zh" else "name_en", "stage", "status", "strength", "severity",
            "incumbents", "reason"]
    show = show.assign(severity=show["severity"].map(lambda v: "" if pd.isna(v) else f"{v:.2f}"),
                       strength=show["strength"].map(lambda v: f"{v:.2f}"))
    _emit(args, _table(show[cols], args.lang, "gaps"))


def cmd_graph(args) -> None:
    from .analysis import gap_analysis
    from .viz import gap_graph, to_dot, to_graphml, to_json

    t = _store(args).tables()
    _check_chain(t, args.chain)
    g = gap_graph(t, args.chain, gap_analysis(t, args.chain), args.lang)
    name = t.chains.set_index("id").at[args.chain, "name_zh" if args.lang == "zh" else "name_en"] or args.chain
    title = cli_text("graph_title", {"name": name}, args.lang)
    text = {"dot": lambda: to_dot(g, title, args.lang), "graphml": lambda: to_graphml(g),
            "json": lambda: to_json(g)}[args.format]()
    _emit(args, text)


def _params(args):
    """The scorer's parameters: the cut-off date, and the home city with its province and neighbours (for
    the gravity term) from the workspace's settings."""
    from .scoring import ScoringParams

    home = _city(args).home
    return ScoringParams(as_of=args.as_of, home=home.city, home_province=home.province,
                         neighbours=tuple(home.neighbours))


def _scorer(args, tables):
    from .scoring import TargetScorer

    params = _params(args)
    if getattr(args, "no_cache", False):
        return TargetScorer(params).fit(tables)
    from .fitcache import cached_fit

    return cached_fit(tables, params)[0]


def _fitted(args):
    """``(tables, scorer)``; on unchanged data the fit comes from the cache (:mod:`chainmap.fitcache`).

    The workspace database names its content by id and version, so a cache hit
    reads neither the tables nor fits: both are in the cached scorer.
    """
    store = _store(args)
    if getattr(args, "no_cache", False) or not hasattr(store, "fingerprint"):
        t = store.tables()
        return t, _scorer(args, t)
    from .fitcache import cached_fit

    scorer, _ = cached_fit(None, _params(args), data_digest=store.fingerprint(),
                           load_tables=store.tables)
    return scorer.tables_, scorer


def _strategy(args):
    if getattr(args, "weights", None):
        import tomllib

        path = Path(args.weights)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise UsageError("weights_unreadable", path=str(path), error=str(e)) from None
        return data.get("weights", data)
    if args.strategy == "learned":
        return _learned(args)["weights"]
    return args.strategy


def _root(args) -> Path:
    """The workspace folder (where the learned strategy's file lives)."""
    from .location import resolve

    return resolve(args.workspace)[0]


def _city(args):
    """The workspace's settings (``seeds/city.toml``: the home city, its province and plan), read here at the edge."""
    from .io.city import read_city

    return read_city(_root(args))


def _learned(args) -> dict:
    from .io.strategies import LEARNED_FILE, read_learned
    from .scoring.weights import check_weights

    doc = read_learned(_root(args))
    if doc is None:
        raise UsageError("no_learned", file=LEARNED_FILE)
    try:
        check_weights(doc["weights"])
    except ValueError as e:
        coded = e if isinstance(e, CodedError) else CodedError("other", message=str(e))
        raise UsageError("learned_bad", file=LEARNED_FILE, inner=coded.code, values=coded.params) from None
    return doc


def _ranked(args, mode="all", team=None, region=None, honour=None, min_score=0.0):
    t, scorer = _fitted(args)
    _check_chain(t, args.chain)
    from .i18n import reason_text
    from .scoring.weights import DEFAULT_STRATEGY

    strategy = _strategy(args)
    rank = lambda s: scorer.rank(args.chain, s, mode, top=args.top, team=team,  # noqa: E731
                                 region=region, honour=honour, min_score=min_score,
                                 include_inactive=getattr(args, "include_inactive", False))
    try:
        ranked = rank(strategy)
        zeroed = scorer.zeroed_modes(args.chain, strategy)
    except ValueError as e:
        raise _usage(e) from None
    if zeroed and strategy != DEFAULT_STRATEGY:
        # Learned weights can zero a mode; on a chain whose opportunities are all in it nobody ranks:
        # say so, and rank with the default strategy rather than print an empty list.
        empty = ranked.empty
        name = args.strategy if not getattr(args, "weights", None) else str(args.weights)
        row = t.chains.set_index("id").reindex([args.chain]).iloc[0]
        text = lambda col: row[col] if col in row and isinstance(row[col], str) and row[col] else args.chain  # noqa: E731
        chain = {"id": args.chain, "zh": text("name_zh"), "en": text("name_en")}
        print(reason_text([("strategy_zeroes_modes", {"strategy": name, "modes": zeroed, "chain": chain,
                                                      "empty": empty,
                                                      "fallback": DEFAULT_STRATEGY if empty else None})],
                          getattr(args, "lang", "zh")), file=sys.stderr)
        if empty:
            ranked = rank(DEFAULT_STRATEGY)
    return t, scorer, ranked


def cmd_rank(args) -> None:
    from .io.export import xlsx_bytes
    from .scoring.report import TARGET_HEADERS, target_table

    t, scorer, ranked = _ranked(args, args.mode, args.team, args.region, args.honour, args.min_score)
    if args.format == "json":
        _emit(args, json.dumps(with_reasons(ranked, args.lang).to_dict("records"), ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        _emit(args, csv_bytes(target_table(ranked, args.lang)))
    elif args.format == "xlsx":
        if not args.output:
            raise UsageError("needs_output", what="xlsx", target="FILE")
        _emit(args, xlsx_bytes({cli_text("targets_sheet", lang=args.lang): target_table(ranked, args.lang)}))
    else:
        show = target_table(ranked, args.lang)
        # the display columns by their codes: target_table names them in lang (TARGET_HEADERS in Chinese)
        named = {c: h if h in show.columns else c for c, h in TARGET_HEADERS.items()}
        cols = [named[c] for c in ("rank", "name_zh", "mode", "score", "team_name", "reason")]
        _emit(args, _table(show[cols].assign(**{cols[3]: show[cols[3]].map(lambda v: f"{v:.3f}")}), args.lang))
        if len(scorer.unscorable_):
            names = t.firms["name_zh"].iloc[scorer.unscorable_].tolist()
            print(error_words("unscorable", {"n": len(names), "names": names[:10]}, args.lang), file=sys.stderr)


def cmd_explain(args) -> None:
    from .i18n import explain_text

    t, scorer = _fitted(args)
    _check_chain(t, args.chain)
    try:
        info = scorer.explain(args.firm, args.chain, _strategy(args), lang=args.lang)
    except ValueError as e:
        raise _usage(e) from None
    if args.format == "json":
        _emit(args, json.dumps(info, ensure_ascii=False, indent=2) + "\n")
        return
    en = args.lang == "en"
    city = _city(args)
    chain = t.chains.set_index("id").at[args.chain, "name_en"] if en else ""
    links = {i: n for i, n in zip(t.links["id"], t.links["name_en"]) if isinstance(n, str) and n} if en else None
    _emit(args, explain_text(info, args.lang, city=city.label("en") if en else city.name,
                             chain=chain if isinstance(chain, str) else "", links=links))


def cmd_mechanism(args) -> None:
    """The 八个一 review: the summary of every chain, or one chain's slots; xlsx: the meeting workbook."""
    import datetime as dt

    from .analysis.mechanism import mechanism_review
    from .briefs.workbook import mechanism_sheets
    from .io.export import xlsx_bytes

    t, scorer = _fitted(args)
    if args.chain:
        _check_chain(t, args.chain)
    try:
        day = dt.date.fromisoformat(args.date) if args.date else today()
    except ValueError:
        raise UsageError("bad_review_date", value=args.date) from None
    names = {c: n if isinstance(n, str) and n else c
             for c, n in zip(t.chains["id"], t.chains["name_en" if args.lang == "en" else "name_zh"])}
    reviews = {names[c]: mechanism_review(t, c, scorer.gaps_[c], pd.Series(scorer.score(c)[0], index=scorer.firm_index_),
                                          day) for c in names}
    sheets = mechanism_sheets(reviews, args.lang)   # the app's 八个一 page exports the same workbook
    if args.format == "xlsx":
        if not args.output:
            raise UsageError("needs_output", what="xlsx", target="FILE")
        _emit(args, xlsx_bytes(sheets))
        return
    show = sheets[names[args.chain]] if args.chain else next(iter(sheets.values()))
    if args.format == "json":
        _emit(args, json.dumps(show.astype(object).where(show.notna(), None).to_dict("records"), ensure_ascii=False,
                               indent=2) + "\n")
    elif args.format == "csv":
        _emit(args, csv_bytes(show))
    else:
        _emit(args, _table(show.astype(str), args.lang))


def cmd_export(args) -> None:
    from .io.export import xlsx_bytes
    from .scoring.report import target_sheets

    t, scorer, ranked = _ranked(args)  # the whole list: every team gets its sheet
    chain_name = t.chains.set_index("id").at[args.chain, "name_zh"]
    _emit(args, xlsx_bytes(target_sheets(ranked, chain_name, list(t.teams["name_zh"]))))


def _progress(args, doing: str):
    verb = cli_text(doing, lang=args.lang)

    def show(done: int, total: int, what: str) -> None:
        pct = done / total if total else 1.0
        bar = "█" * int(pct * 30)
        print(f"\r{verb} [{bar:<30}] {pct:6.1%} {done:,}/{total:,} {what:<14}",
              end="" if done < total else "\n", file=sys.stderr, flush=True)
    return show


def cmd_db(args) -> None:
    from .location import dump_folder

    if args.db_command == "load":
        tables = _workspace(args).tables()
        store = _neo4j(args)
        try:
            store.load(tables, progress=_progress(args, "loading"))
            counts = store.counts()
        finally:
            store.close()
        print(said("loaded", {"counts": ", ".join(f"{k} {v}" for k, v in counts.items() if v)}, args.lang),
              file=sys.stderr)
    elif args.db_command == "dump":
        if not args.output:
            raise UsageError("needs_output", what="db dump", target="DIR")
        store = _neo4j(args)
        try:
            dump_folder(store, args.output)
        finally:
            store.close()
        print(said("wrote_workspace", {"path": args.output}, args.lang), file=sys.stderr)
    else:
        store = _neo4j(args)
        try:
            counts = store.counts()
        finally:
            store.close()
        df = pd.DataFrame({"kind": list(counts), "count": list(counts.values())})
        _emit(args, _table(df, args.lang, "db_status"))


def cmd_load(args) -> None:
    from .location import load_folder, resolve

    path, _ = resolve(args.workspace)
    store = load_folder(args.folder, path, progress=_progress(args, "loading"))
    try:
        counts = {k: len(df) for k, df in store.tables().items() if len(df)}
    finally:
        store.close()
    print(said("loaded_folder", {"folder": args.folder, "path": path,
                                 "counts": ", ".join(f"{k} {v}" for k, v in counts.items())}, args.lang), file=sys.stderr)


def cmd_dump(args) -> None:
    from .location import dump_folder

    store = _store(args)
    try:
        dump_folder(store, args.folder)
    finally:
        store.close()
    print(said("wrote_workspace", {"path": args.folder}, args.lang), file=sys.stderr)


def _ks(text: str, lang: str = "zh") -> tuple[int, ...]:
    try:
        ks = tuple(int(k) for k in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(error_words("bad_ks", {"value": text}, lang))
    if not ks or min(ks) < 1:
        raise argparse.ArgumentTypeError(error_words("ks_below_one", {"value": text}, lang))
    return ks


def _backtest_table(bt, lang: str) -> str:
    from .i18n import method_label
    from .learn.backtest import OVERALL

    m = bt.metrics
    overall = cli_text("overall", lang=lang)
    out = pd.DataFrame({
        "method": m["method"].map(lambda x: method_label(x, lang)),
        "chain": m["chain"].map(lambda c: overall if c == OVERALL else c), "n_events": m["n_events"].astype(str)})
    if "coverage" in m:
        out["coverage"] = m["coverage"].map("{:.0%}".format)
    def ci(name):
        if f"{name}_lo" not in m:
            return m[name].map("{:.3f}".format)
        return [f"{v:.3f} [{lo:.2f}, {hi:.2f}]" for v, lo, hi in zip(m[name], m[f"{name}_lo"], m[f"{name}_hi"])]
    for k in bt.ks:
        out[f"P@{k}"] = ci(f"p@{k}")
    out[f"R@{bt.ks[-1]}"] = ci(f"r@{bt.ks[-1]}")
    out["MRR"] = ci("mrr")
    out["AUC-PR"] = ci("auc_pr")
    out["random"] = m["random_ap"].map("{:.3f}".format)
    return _table(out, lang, "backtest")


def _goals(bt, lang: str) -> str:
    """Issue 14's goals for the default strategy, per chain and overall, against this run.

    AUC-PR ≥ min(2b, b + (1 − b)/2) for each baseline's b, with the interval's lower end above b;
    P@20 ≥ half of what the folds allow (min(investors, 20)/20 per ranking); coverage of the events.
    """
    from .learn.backtest import BASELINES, OVERALL
    from .scoring.weights import DEFAULT_STRATEGY

    m = bt.metrics.set_index(["method", "chain"])
    if DEFAULT_STRATEGY not in m.index.get_level_values(0):
        return ""
    k = 20 if 20 in bt.ks else bt.ks[0]
    r = bt.ranks[bt.ranks["method"] == DEFAULT_STRATEGY]
    per = r.groupby(["chain", "fold"]).size()
    lines = []
    for chain in [c for c in m.loc[DEFAULT_STRATEGY].index]:
        row = m.loc[(DEFAULT_STRATEGY, chain)]
        sizes = per if chain == OVERALL else per.loc[chain]
        ceiling = float(np.mean(np.minimum(sizes.to_numpy(), k) / k))
        parts = []
        for b in BASELINES:
            if (b, chain) not in m.index:
                continue
            v = m.loc[(b, chain), "auc_pr"]
            goal = min(2 * v, v + (1 - v) / 2)
            lo = row.get("auc_pr_lo", float("nan"))
            ok = row["auc_pr"] >= goal and (lo > v if lo == lo else False)
            parts.append(f"{b} {v:.3f}→{goal:.3f}{'✓' if ok else '✗'}")
        lines.append(cli_text("goal_line", {
            "chain": cli_text("overall", lang=lang) if chain == OVERALL else chain, "ap": row["auc_pr"],
            "lo": row.get("auc_pr_lo", float("nan")), "parts": parts, "k": k, "pk": row[f"p@{k}"],
            "ceiling": ceiling, "p_ok": row[f"p@{k}"] >= ceiling / 2, "coverage": row["coverage"]}, lang))
    head = cli_text("goals_head", {"strategy": DEFAULT_STRATEGY, "k": k}, lang)
    return head + "\n  " + "\n  ".join(lines) + "\n"


def _contribution_table(bt, lang: str) -> str:
    """Mean contribution of each feature of the ``signals`` method over the test folds."""
    from .i18n import COMPONENT_LABEL, SIGNAL_LABEL

    c = bt.contributions
    if c is None or c.empty:
        return ""
    g = c.groupby("feature", sort=False)[["coef", "mean_investors", "mean_candidates", "contribution"]].mean()
    g = g.sort_values("contribution", ascending=False)
    words = "en" if lang == "en" else "zh"
    name = lambda f: SIGNAL_LABEL[words].get(f) or COMPONENT_LABEL[words].get(f, f)  # noqa: E731
    df = pd.DataFrame({"feature": [name(f) for f in g.index], "coef": g["coef"].map("{:+.2f}".format),
                       "inv": g["mean_investors"].map("{:.2f}".format), "all": g["mean_candidates"].map("{:.2f}".format),
                       "contribution": g["contribution"].map("{:+.3f}".format)})
    return cli_text("contributions_head", lang=lang) + _table(df, lang, "contributions")


def _verdict(bt, lang: str) -> str:
    """The issue's bars (AUC-PR ≥ 1.5× both baselines; P@20 ≥ 0.3 per chain), against this run."""
    from .learn.backtest import BASELINES, OVERALL

    m = bt.metrics.set_index(["method", "chain"])
    k = 20 if 20 in bt.ks else bt.ks[0]
    base = {b: m.loc[(b, OVERALL), "auc_pr"] for b in BASELINES}
    lines = []
    for method in [x for x in m.index.get_level_values(0).unique() if x not in base]:
        ap = m.loc[(method, OVERALL), "auc_pr"]
        ok = all(ap >= 1.5 * v for v in base.values())
        ratios = [f"{ap / v:.2f}×{b}" for b, v in base.items()]
        per_chain = [f"{c} {row[f'p@{k}']:.2f}/{min(1.0, row['n_events'] / (k * row['n_rankings'])):.2f}"
                     for (mm, c), row in m.iterrows() if mm == method and c != OVERALL]
        lines.append(cli_text("verdict_line", {"method": method, "ap": ap, "ratios": ratios, "ok": ok, "k": k,
                                               "per_chain": per_chain}, lang))
    if bt.metrics["n_events"].max() < 30:
        lines.append(cli_text("few_events", lang=lang))
    head = cli_text("verdict_head", lang=lang)
    return head + "\n  " + "\n  ".join(lines) + "\n"


def _years(text: str, lang: str = "zh") -> tuple[int, int]:
    try:
        a, _, b = text.partition("-")
        lo, hi = int(a), int(b or a)
    except ValueError:
        raise argparse.ArgumentTypeError(error_words("bad_years", {"value": text}, lang)) from None
    if lo > hi:
        raise argparse.ArgumentTypeError(error_words("years_reversed", {"lo": lo, "hi": hi}, lang))
    return lo, hi


def cmd_backtest(args) -> None:
    from .fitcache import refit
    from .io.events import parse_events
    from .learn.backtest import BASELINES, NoEventsError, backtest

    if args.cutoff and args.years:
        raise UsageError("cutoff_and_years")
    tables = _store(args).tables()
    city = _city(args)
    home = city.home
    events = None
    if args.events:
        path = Path(args.events)
        if not path.is_file():
            raise UsageError("no_such_file", path=str(path))
        ef = parse_events(path.read_bytes(), path.name, tables, home, places=city.places)
        for p in ef.problems:
            print(said("skipped", {"line": problem_line(p, args.lang)}, args.lang), file=sys.stderr)
        cov = ef.coverage()
        print(cli_text("events_coverage", {"file": path.name, **cov}, args.lang), file=sys.stderr)
        events = ef.events
    try:
        bt = backtest(tables, cutoff=args.cutoff, ks=args.k, n_boot=args.boot, progress=_progress(args, "backtesting"),
                      events=events, home=home, years=args.years, baselines=tuple(BASELINES), signals=True,
                      fit=None if args.no_cache else refit)
    except NoEventsError as e:
        raise _usage(e) from None
    for p in bt.problems:
        print(said("note", {"line": problem_line(p, args.lang)}, args.lang), file=sys.stderr)
    if args.format == "json":
        _emit(args, json.dumps(bt.to_dict(), ensure_ascii=False, indent=2, default=str).replace("NaN", "null"))
        return
    head = cli_text("backtest_head", {"folds": ", ".join(bt.folds)}, args.lang)
    _emit(args, head + _backtest_table(bt, args.lang) + _verdict(bt, args.lang) + _goals(bt, args.lang)
          + _contribution_table(bt, args.lang))


def cmd_learn(args) -> None:
    from .fitcache import refit
    from .io.strategies import write_learned
    from .learn.backtest import OVERALL, NoEventsError, backtest
    from .learn.weights import InsufficientEventsError, fit_weights
    from .scoring.weights import COMPONENTS

    tables = _store(args).tables()
    try:
        bt = backtest(tables, n_boot=args.boot, progress=_progress(args, "backtesting"),
                      fit=None if args.no_cache else refit)
        lw = fit_weights(bt.X, bt.y, n_boot=args.boot_weights, rankings=bt.rankings)
    except (NoEventsError, InsufficientEventsError) as e:
        raise UsageError("cannot_learn", inner=e.code, values=e.params) from None
    overall = bt.metrics[bt.metrics["chain"] == OVERALL].set_index("method")
    doc = {"fitted_on": today().isoformat(), "n_events": int(len(bt.ranks) / bt.ranks["method"].nunique()),
           **lw.to_dict(),
           "backtest": {m: {k: round(float(v), 4) if isinstance(v, float) else int(v) for k, v in row.items()
                            if k != "chain" and pd.notna(v)} for m, row in overall.iterrows()}}
    path = write_learned(_root(args), doc)
    df = pd.DataFrame({"component": COMPONENTS,
                       "weight": [f"{lw.weights[k]:.2f}" for k in COMPONENTS],
                       "std": [f"±{lw.std.get(k, float('nan')):.2f}" for k in COMPONENTS],
                       "interval": [f"[{lw.lo.get(k, float('nan')):.2f}, {lw.hi.get(k, float('nan')):.2f}]"
                                    for k in COMPONENTS],
                       "coef": [f"{lw.coef[k]:+.2f}" + (cli_text("clipped", lang=args.lang) if k in lw.clipped else "")
                                for k in COMPONENTS]})
    note = cli_text("learn_note", {"path": path, "n_positive": lw.n_positive, "n_negative": lw.n_negative}, args.lang)
    _emit(args, _table(df, args.lang, "learn") + _backtest_table(bt, args.lang) + note)


def cmd_import_events(args) -> None:
    """``chainmap import events FILE``: match each event's firm and link; save those whose firm is known."""
    from .io.events import parse_events
    from .io.schemas import SPECS
    from .i18n import UNMATCHED_LABEL
    from .store import Edit, expected_rows

    path = Path(args.file)
    if not path.is_file():
        raise UsageError("no_such_file", path=str(path))
    store = _store(args)
    try:
        tables = store.tables()
        city = _city(args)
        ef = parse_events(path.read_bytes(), path.name, tables, city.home, places=city.places)
        for p in ef.problems:
            print(said("skipped", {"line": problem_line(p, args.lang)}, args.lang), file=sys.stderr)
        cov = ef.coverage()
        new = ef.matched[~ef.matched["id"].isin(tables.events["id"])]
        head = cli_text("import_events_head", {"file": path.name, **cov, "new": len(new)}, args.lang)
        report = ef.report()
        report = report.assign(unmatched=report["unmatched"].map(lambda u: label(UNMATCHED_LABEL, u, args.lang)))
        _emit(args, head + "\n" + (_table(report, args.lang, "import_events") if len(report) else ""))
        if args.dry_run or new.empty:
            print(said("dry_run" if args.dry_run else "nothing_to_save", lang=args.lang), file=sys.stderr)
            return
        change_set = store.write({"events": Edit(upsert=new[SPECS["events"].names])},
                                 author=_author(args), action=f"import events {path.name}",
                                 expected={"events": expected_rows(tables.events, "events", new)})
    finally:
        store.close()
    print(said("saved_events", {"n": len(new), "change_set": change_set}, args.lang), file=sys.stderr)


def cmd_import(args) -> None:
    import getpass

    from .io.export import xlsx_bytes
    from .io.importers import check_size, parse_mapping, plan_import

    from .i18n import IMPORT_ACTION_LABEL

    if args.kind == "events":
        return cmd_import_events(args)
    path = Path(args.file)
    if not path.is_file():
        raise UsageError("no_such_file", path=str(path))
    check_size(path.stat().st_size, str(path))  # before reading a byte of it (refusals are worded by main())
    mapping = parse_mapping(Path(args.mapping).read_bytes(), args.mapping) if args.mapping else None
    store = _store(args)
    try:
        snapshot = store.tables()  # what the plan is made from; the write expects it still to hold
        plan = plan_import(path.read_bytes(), args.kind, path.name, snapshot, today=today(),
                           mapping=mapping, mapping_file=args.mapping or "", accept_valid=args.accept_valid,
                           author=args.author or getpass.getuser(), formulas=args.formulas, hidden=args.hidden_rows,
                           places=_city(args).places)
        counts = [(label(IMPORT_ACTION_LABEL, a, args.lang), n) for a, n in plan.counts().items()]
        head = cli_text("import_head", {"file": path.name, "encoding": plan.encoding, "sheet": plan.sheet,
                                        "counts": counts}, args.lang)
        source = plan.source[1 if args.lang == "en" else 0]   # (zh, en): the recognised source's name
        if source:
            head += cli_text("recognised_as", {"source": source}, args.lang)
        if plan.flagged:
            head += cli_text("flagged", {"n": plan.flagged}, args.lang)
        # Every layout decision (sheet, title rows, units, totals, blank and hidden rows, merges): all of them on a
        # dry run, the first 50 otherwise.
        for note in plan.describe(args.lang, limit=None if args.dry_run else 50):
            print(said("note", {"line": note}, args.lang), file=sys.stderr)
        for p in plan.problems:
            print(said("rejected", {"line": problem_line(p, args.lang)}, args.lang), file=sys.stderr)
        report = plan.report_for(args.lang)
        _emit(args, head + "\n" + _table(report, args.lang, "import"))
        if args.review_out and len(plan.review):
            out = Path(args.review_out)
            review = plan.review_for(args.lang)
            atomic_write(out, xlsx_bytes({cli_text("review_sheet", lang=args.lang): review})
                         if out.suffix.lower() == ".xlsx" else csv_bytes(review))
            print(said("review_written", {"path": out}, args.lang), file=sys.stderr)
        if args.dry_run or not plan.upserts:
            print(said("dry_run" if args.dry_run else "nothing_to_save", lang=args.lang), file=sys.stderr)
            return
        from .store import Edit, expected_rows

        # A record someone else saved since the snapshot is a conflict, not overwritten.
        change_set = store.write({t: Edit(upsert=df) for t, df in plan.upserts.items()},
                                 author=args.author or getpass.getuser(), action=f"import {args.kind} {path.name}",
                                 expected={t: expected_rows(getattr(snapshot, t), t, df)
                                           for t, df in plan.upserts.items()})
    finally:
        store.close()
    print(said("saved_records", {"n": plan.changes, "change_set": change_set}, args.lang), file=sys.stderr)


def _author(args) -> str:
    """Who is writing: ``--author``, else the OS login (never anything from credentials)."""
    import getpass

    from .store import LOCAL_AUTHOR

    try:
        return args.author or getpass.getuser()
    except (OSError, KeyError):  # no login name in a bare container
        return LOCAL_AUTHOR


def cmd_brief(args) -> None:
    """一企一策, a chain report or the monthly ledger report as Word or PDF (:mod:`chainmap.briefs`)."""
    from .briefs import FontMissing, best_chain, chain_brief, find_firm, firm_brief, ledger_brief, render

    day = today()        # 编制日期 in Beijing time
    fmt = args.format or (Path(args.output).suffix.lstrip(".").lower() if args.output else "") or "pdf"
    if fmt not in ("docx", "pdf"):
        raise UsageError("unknown_format", fmt=fmt)
    try:
        if args.kind == "ledger":
            period = args.week or args.month
            if not period:
                raise UsageError("brief_needs_period")
            if args.week and not args.week.upper().replace(" ", "").partition("-W")[2]:
                raise UsageError("bad_week", value=args.week)
            t = _store(args).tables()
            brief = ledger_brief(t, period, city=_city(args), today=day, lang=args.lang)
            name = f"{cli_text('brief_weekly' if args.week else 'brief_monthly', lang=args.lang)}-{period}"
        else:
            t, scorer = _fitted(args)
            city = _city(args)     # after the store: a new workspace gets its settings file on first use
            strategy = _strategy(args)
            if args.kind == "firm":
                if not args.target:
                    raise UsageError("brief_needs_firm")
                fid = find_firm(t, args.target, args.lang)
                chain = args.chain or best_chain(scorer, fid)
                _check_chain(t, chain)
                brief = firm_brief(t, scorer, fid, chain, city=city, today=day, lang=args.lang, strategy=strategy)
                name = cli_text("brief_firm", lang=args.lang) + t.firms.set_index("id").at[fid, "name_zh"]
            else:
                if not args.chain:
                    raise UsageError("brief_needs_chain")
                _check_chain(t, args.chain)
                brief = chain_brief(t, scorer, args.chain, city=city, today=day, lang=args.lang, strategy=strategy)
                name = cli_text("brief_chain", lang=args.lang) + \
                    t.chains.set_index("id").at[args.chain, "name_zh" if args.lang == "zh" else "name_en"]
        data = render(brief, fmt)
    except ValueError as e:
        raise _usage(e) from None
    except FontMissing as e:
        raise UsageError("no_cjk_font", error=str(e)) from None
    if not args.output:       # a binary file: never to a terminal; named after the brief in the current folder
        args.output = f"{name}-{day.isoformat()}.{fmt}"
    _emit(args, data)


def cmd_history(args) -> None:
    from .i18n import history_view

    store = _store(args)
    try:
        key = None
        if args.firm:
            firms = store.tables().firms
            by_name = firms.loc[firms["name_zh"] == args.firm, "id"]
            key = args.firm if args.firm in set(firms["id"]) or by_name.empty else by_name.iloc[0]
        h = store.history(table=args.table, key=key, change_set=args.change_set)
    finally:
        store.close()
    if args.format == "json":
        _emit(args, json.dumps(h.to_dict("records"), ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        _emit(args, csv_bytes(history_view(h, args.lang)))
    elif h.empty:
        print(said("no_changes", lang=args.lang), file=sys.stderr)
    else:
        _emit(args, _table(history_view(h, args.lang), args.lang))


def cmd_undo(args) -> None:
    store = _store(args)
    try:
        n = len(store.history(change_set=args.change_set))
        change_set = store.undo(args.change_set, author=_author(args))
    finally:
        store.close()
    print(said("undone", {"change_set": args.change_set, "n": n, "new": change_set}, args.lang), file=sys.stderr)


def _common(top: bool, h) -> argparse.ArgumentParser:
    """The global options. Given before the command they set the defaults; given after it they win.

    The command's copy has no defaults of its own (``SUPPRESS``), so it never
    overwrites what was given before the command's name.
    """
    d = (lambda v: v) if top else (lambda v: argparse.SUPPRESS)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--workspace", metavar="DIR", default=d(None), help=h("workspace"))
    common.add_argument("--lang", choices=("zh", "en"), default=d("zh"), help=h("lang"))
    common.add_argument("--debug", action="store_true", default=d(False), help=h("debug"))
    common.add_argument("-o", "--output", metavar="FILE", default=d(None), help=h("output"))
    common.add_argument("--backend", choices=("sqlite", "neo4j"), default=d("sqlite"), help=h("backend"))
    common.add_argument("--uri", default=d(None), help=h("uri"))
    common.add_argument("--user", default=d(None), help=h("user"))
    common.add_argument("--password", default=d(None), help=h("password"))
    return common


def _lang_of(argv: list[str]) -> str:
    """The ``--lang`` of a command line before it is parsed (the help and argparse's errors are in it): zh unless
    ``--lang en`` (or ``--lang=en``) is given."""
    lang = "zh"
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif a.startswith("--lang="):
            lang = a.partition("=")[2]
    return "en" if lang == "en" else "zh"


@contextlib.contextmanager
def _argparse_words(lang: str):
    """argparse's own words (usage, section titles, its errors) in ``lang``, from the catalogue: argparse looks
    its messages up through its module's ``_`` (gettext) each time, so it is swapped while the parser is built
    and run, and put back after."""
    if lang == "en":
        yield
        return
    from .io.messages import ARGPARSE_ZH

    before = argparse._
    argparse._ = lambda text: ARGPARSE_ZH.get(text, text)
    try:
        yield
    finally:
        argparse._ = before


def build_parser(lang: str = "zh") -> argparse.ArgumentParser:
    """The ``chainmap`` command's parser, its help in ``lang`` (argparse's own words: see :func:`_argparse_words`)."""
    from .io.messages import help_words

    h = lambda code: help_words(code, lang)  # noqa: E731
    fmt = h("format")
    common = _common(False, h)
    p = argparse.ArgumentParser(prog="chainmap", description=h("description"), parents=[_common(True, h)])
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("chains", parents=[common], help=h("chains"), description=h("chains"))
    s.add_argument("--format", choices=("table", "json", "csv"), default="table", help=fmt)
    s.set_defaults(func=cmd_chains)

    s = sub.add_parser("gaps", parents=[common], help=h("gaps"), description=h("gaps"))
    s.add_argument("--chain", required=True, help=h("chain"))
    s.add_argument("--format", choices=("table", "json", "csv"), default="table", help=fmt)
    s.set_defaults(func=cmd_gaps)

    scoring = argparse.ArgumentParser(add_help=False)
    scoring.add_argument("--chain", required=True, help=h("chain"))
    scoring.add_argument("--strategy", default="稳健", help=h("strategy"))
    scoring.add_argument("--weights", metavar="FILE", help=h("weights"))
    scoring.add_argument("--as-of", metavar="DATE", default=None, help=h("as_of"))
    scoring.add_argument("--no-cache", action="store_true", help=h("no_cache"))

    s = sub.add_parser("rank", parents=[common, scoring], help=h("rank"), description=h("rank"))
    s.add_argument("--mode", choices=("all", "fill", "strengthen", "extend"), default="all", help=h("rank.mode"))
    s.add_argument("--team", help=h("rank.team"))
    s.add_argument("--region", help=h("rank.region"))
    s.add_argument("--honour", help=h("rank.honour"))
    s.add_argument("--min-score", type=float, default=0.0, help=h("rank.min_score"))
    s.add_argument("--include-inactive", action="store_true", help=h("rank.include_inactive"))
    s.add_argument("--top", type=int, default=20, help=h("rank.top"))
    s.add_argument("--format", choices=("table", "csv", "json", "xlsx"), default="table", help=fmt)
    s.set_defaults(func=cmd_rank)

    s = sub.add_parser("explain", parents=[common, scoring], help=h("explain"), description=h("explain"))
    s.add_argument("firm", help=h("explain.firm"))
    s.add_argument("--format", choices=("text", "json"), default="text", help=fmt)
    s.set_defaults(func=cmd_explain)

    s = sub.add_parser("mechanism", parents=[common], help=h("mechanism"), description=h("mechanism"))
    s.add_argument("--chain", help=h("mechanism.chain"))
    s.add_argument("--date", metavar="YYYY-MM-DD", help=h("mechanism.date"))
    s.add_argument("--format", choices=("table", "csv", "json", "xlsx"), default="table", help=h("mechanism.format"))
    s.add_argument("--no-cache", action="store_true", help=h("mechanism.no_cache"))
    s.set_defaults(func=cmd_mechanism, as_of=None, strategy="稳健", weights=None)

    s = sub.add_parser("export", parents=[common, scoring], help=h("export"), description=h("export"))
    s.add_argument("--top", type=int, default=200, help=h("export.top"))
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("db", parents=[common], help=h("db"), description=h("db"))
    s.add_argument("db_command", choices=("load", "dump", "status"), help=h("db.command"))
    s.set_defaults(func=cmd_db)

    s = sub.add_parser("load", parents=[common], help=h("load"), description=h("load"))
    s.add_argument("folder", metavar="DIR", help=h("load.folder"))
    s.set_defaults(func=cmd_load)

    s = sub.add_parser("dump", parents=[common], help=h("dump"), description=h("dump"))
    s.add_argument("folder", metavar="DIR", help=h("dump.folder"))
    s.set_defaults(func=cmd_dump)

    s = sub.add_parser("backtest", parents=[common], help=h("backtest"), description=h("backtest"))
    s.add_argument("--cutoff", metavar="DATE", help=h("backtest.cutoff"))
    s.add_argument("--k", type=lambda t: _ks(t, lang), default=(10, 20, 50), metavar="K,K,…", help=h("backtest.k"))
    s.add_argument("--boot", type=int, default=1000, help=h("backtest.boot"))
    s.add_argument("--format", choices=("table", "json"), default="table", help=fmt)
    s.add_argument("--events", metavar="FILE", help=h("backtest.events"))
    s.add_argument("--years", type=lambda t: _years(t, lang), metavar="Y1-Y2", help=h("backtest.years"))
    s.add_argument("--no-cache", action="store_true", help=h("backtest.no_cache"))
    s.set_defaults(func=cmd_backtest)

    s = sub.add_parser("learn", parents=[common], help=h("learn"), description=h("learn"))
    s.add_argument("--boot", type=int, default=1000, help=h("learn.boot"))
    s.add_argument("--boot-weights", type=int, default=200, help=h("learn.boot_weights"))
    s.add_argument("--no-cache", action="store_true", help=h("backtest.no_cache"))
    s.set_defaults(func=cmd_learn)

    s = sub.add_parser("graph", parents=[common], help=h("graph"), description=h("graph"))
    s.add_argument("--chain", required=True, help=h("chain"))
    s.add_argument("--format", choices=("dot", "graphml", "json"), default="dot", help=fmt)
    s.set_defaults(func=cmd_graph)

    s = sub.add_parser("import", parents=[common], help=h("import"), description=h("import"))
    s.add_argument("kind", choices=("firms", "honours", "relations", "projects", "contacts", "events"),
                   help=h("import.kind"))
    s.add_argument("file", help=h("import.file"))
    s.add_argument("--mapping", metavar="MAP", help=h("import.mapping"))
    s.add_argument("--dry-run", action="store_true", help=h("import.dry_run"))
    s.add_argument("--accept-valid", action="store_true", help=h("import.accept_valid"))
    s.add_argument("--author", help=h("import.author"))
    s.add_argument("--review-out", metavar="FILE", help=h("import.review_out"))
    s.add_argument("--formulas", choices=("refuse", "text"), default="refuse", help=h("import.formulas"))
    s.add_argument("--hidden-rows", choices=("keep", "skip"), default="keep", help=h("import.hidden_rows"))
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("brief", parents=[common], help=h("brief"), description=h("brief"))
    s.add_argument("kind", choices=("firm", "chain", "ledger"), help=h("brief.kind"))
    s.add_argument("target", nargs="?", metavar="NAME|ID", help=h("brief.target"))
    s.add_argument("--chain", help=h("brief.chain"))
    s.add_argument("--month", metavar="YYYY-MM", help=h("brief.month"))
    s.add_argument("--week", metavar="YYYY-Www", help=h("brief.week"))
    s.add_argument("--format", choices=("docx", "pdf"), help=h("brief.format"))
    s.add_argument("--strategy", default="稳健", help=h("brief.strategy"))
    s.add_argument("--weights", metavar="FILE", help=argparse.SUPPRESS)
    s.add_argument("--as-of", metavar="DATE", default=None, help=argparse.SUPPRESS)
    s.set_defaults(func=cmd_brief)

    s = sub.add_parser("history", parents=[common], help=h("history"), description=h("history"))
    s.add_argument("--firm", metavar="ID", help=h("history.firm"))
    s.add_argument("--change-set", metavar="ID", help=h("history.change_set"))
    s.add_argument("--table", choices=AUDITED, help=h("history.table"))
    s.add_argument("--format", choices=("table", "csv", "json"), default="table", help=fmt)
    s.set_defaults(func=cmd_history)

    s = sub.add_parser("undo", parents=[common], help=h("undo"), description=h("undo"))
    s.add_argument("change_set", metavar="CHANGE_SET", help=h("undo.change_set"))
    s.add_argument("--author", help=h("undo.author"))
    s.set_defaults(func=cmd_undo)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = _lang_of(argv)
    with _argparse_words(lang):
        args = build_parser(lang).parse_args(argv)
    try:
        args.func(args)
    except (InputError, UsageError, StoreError) as e:
        if args.debug:
            raise
        print(f"{error_words('error_head', lang=args.lang)}: {e.text(args.lang)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as e:  # a permission, a full disk, a vanished file: one line, the file named
        if args.debug:
            raise
        print(f"{error_words('error_head', lang=args.lang)}: {e.filename or ''}{': ' if e.filename else ''}"
              f"{e.strerror or e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
