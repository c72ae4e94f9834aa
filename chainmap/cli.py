"""The ``chainmap`` command: thin over the API.

Every command takes ``--workspace DIR`` (default: the bundled data) and
``--lang zh|en`` (default zh). Bad input prints one clear message and exits 2;
``--debug`` shows the traceback.
"""
from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import pandas as pd

from .i18n import COLUMN_LABEL, STAGE_LABEL, STATUS_LABEL, label
from .io import InputError, atomic_write

__all__ = ["main", "build_parser"]


class UsageError(Exception):
    """A wrong choice on the command line (unknown chain, format, …)."""


def _store(args):
    from .store.memory import MemoryStore

    return MemoryStore.open(args.workspace)


def _emit(args, text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    if getattr(args, "output", None):
        atomic_write(Path(args.output), data)
        print(f"已写入 {args.output}" if args.lang == "zh" else f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _csv(df: pd.DataFrame) -> bytes:
    # A BOM so that Excel and WPS open the Chinese text as UTF-8.
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _table(df: pd.DataFrame, lang: str, **headers_zh: str) -> str:
    from tabulate import tabulate

    names = {**COLUMN_LABEL.get(lang, {}), **(headers_zh if lang == "zh" else {})}
    headers = [names.get(c, c) for c in df.columns]
    return tabulate(df.values.tolist(), headers=headers, tablefmt="simple", disable_numparse=True) + "\n"


def _check_chain(tables, chain: str) -> None:
    valid = list(tables.chains["id"])
    if chain not in valid:
        raise UsageError(f"unknown chain {chain!r}; choose one of: {', '.join(valid)}")


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
        _emit(args, _csv(df))
    else:
        _emit(args, _table(df, args.lang, name_zh="产业链"))


def cmd_gaps(args) -> None:
    from .analysis import gap_analysis

    t = _store(args).tables()
    _check_chain(t, args.chain)
    gaps = gap_analysis(t, args.chain)
    if args.format == "json":
        recs = gaps.assign(status_label=gaps["status"].map(lambda s: label(STATUS_LABEL, s, args.lang)))
        recs = recs.astype(object).where(recs.notna(), None).to_dict("records")
        _emit(args, json.dumps(recs, ensure_ascii=False, indent=2) + "\n")
        return
    show = gaps.assign(
        status=gaps["status"].map(lambda s: label(STATUS_LABEL, s, args.lang)),
        stage=gaps["stage"].map(lambda s: label(STAGE_LABEL, s, args.lang)),
        incumbents=gaps["incumbents"].map("、".join),
        chain_leaders=gaps["chain_leaders"].map("、".join),
    )
    if args.format == "csv":
        _emit(args, _csv(show.rename(columns=COLUMN_LABEL.get(args.lang, {}))))
        return
    cols = ["name_zh" if args.lang == "zh" else "name_en", "stage", "status", "strength", "severity",
            "incumbents", "reason"]
    show = show.assign(severity=show["severity"].map(lambda v: "" if pd.isna(v) else f"{v:.2f}"),
                       strength=show["strength"].map(lambda v: f"{v:.2f}"))
    _emit(args, _table(show[cols], args.lang, name_zh="环节"))


def cmd_graph(args) -> None:
    from .analysis import gap_analysis
    from .viz import gap_graph, to_dot, to_graphml, to_json

    t = _store(args).tables()
    _check_chain(t, args.chain)
    g = gap_graph(t, args.chain, gap_analysis(t, args.chain))
    name = t.chains.set_index("id").at[args.chain, "name_zh" if args.lang == "zh" else "name_en"] or args.chain
    title = f"{name}产业链图谱（现状）" if args.lang == "zh" else f"{name} chain map (current)"
    text = {"dot": lambda: to_dot(g, title, args.lang), "graphml": lambda: to_graphml(g),
            "json": lambda: to_json(g)}[args.format]()
    _emit(args, text)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--workspace", metavar="DIR", default=None,
                        help="workspace folder with graphs/ and seeds/ (default: the bundled data)")
    common.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of tables (default zh)")
    common.add_argument("--debug", action="store_true", help="show tracebacks")
    common.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

    p = argparse.ArgumentParser(prog="chainmap", description="产业链招商匹配引擎 chainmap", parents=[common])
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("chains", parents=[common], help="list the chains (产业链列表)")
    s.add_argument("--format", choices=("table", "json", "csv"), default="table")
    s.set_defaults(func=cmd_chains)

    s = sub.add_parser("gaps", parents=[common], help="gap map of one chain (强链/补链/延链)")
    s.add_argument("--chain", required=True, help="chain id, e.g. electronics")
    s.add_argument("--format", choices=("table", "json", "csv"), default="table")
    s.set_defaults(func=cmd_gaps)

    s = sub.add_parser("graph", parents=[common], help="export a chain for Graphviz (dot) or Gephi (graphml)")
    s.add_argument("--chain", required=True)
    s.add_argument("--format", choices=("dot", "graphml", "json"), default="dot")
    s.set_defaults(func=cmd_graph)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except (InputError, UsageError) as e:
        if args.debug:
            raise
        head = "错误" if args.lang == "zh" else "error"
        print(f"{head}: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
