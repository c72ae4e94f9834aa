"""Read and write a workspace folder: ``graphs/*.toml`` plus ``seeds/*.csv``.

:func:`parse_workspace` is pure (a mapping of relative paths to bytes in,
validated :class:`~chainmap.model.Tables` out); :func:`read_workspace` and
:func:`write_workspace` are the thin file-handling wrappers around it.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .._arrays import present
from ..model import TABLE_NAMES, Stage, Tables
from .chains import check_link_graph, format_chain, parse_chain
from .errors import InputError, Problem
from .schemas import SPECS
from .tables import decode_bytes, empty_table, format_table, parse_table

__all__ = [
    "parse_workspace", "format_workspace", "read_workspace", "write_workspace",
    "bundled_workspace", "atomic_write", "canonical", "validate_tables", "SEED_TABLES", "REFERENCES",
    "REQUIRED_SEEDS", "chain_texts", "read_files",
]

SEED_TABLES = tuple(n for n in TABLE_NAMES if n not in ("chains", "links", "edges"))
#: Seed tables a workspace folder must have: without them it is a broken copy, not an empty city.
#: The others may be left out (read as empty), so a new city can start from firms and plants.
REQUIRED_SEEDS = ("firms", "operations")

# (table, column, target table, target column): every value must exist in the target.
REFERENCES = [
    ("honours", "firm_id", "firms", "id"),
    ("operations", "firm_id", "firms", "id"),
    ("operations", "link_id", "links", "id"),
    ("relations", "src", "firms", "id"),
    ("relations", "dst", "firms", "id"),
    ("mechanism", "chain", "chains", "id"),
    ("assessments", "link_id", "links", "id"),
    ("signals", "firm_id", "firms", "id"),
    ("channels", "firm_id", "firms", "id"),
    ("followups", "firm_id", "firms", "id"),
    ("followups", "chain", "chains", "id"),
    ("projects", "chain", "chains", "id"),
    ("projects", "link_id", "links", "id"),
    ("projects", "investor_id", "firms", "id"),
    ("events", "firm_id", "firms", "id"),
    ("events", "chain", "chains", "id"),
    ("events", "link_id", "links", "id"),
]


def canonical(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Sort a table by its key and renumber it: the order every store returns."""
    key = list(SPECS[name].key)
    return df.sort_values(key, kind="stable", na_position="first").reset_index(drop=True)


def check_references(tables: dict[str, pd.DataFrame], files: dict[str, str] | None = None) -> None:
    """Raise :class:`InputError` for any value that points to a missing record.

    Tables still carry their row numbers as index, so each problem names its row.
    """
    files = files or {}
    problems = []
    for table, col, target, tcol in REFERENCES:
        df = tables[table]
        bad = df[(df[col] != "").to_numpy() & ~present(df[col], tables[target][tcol])]
        for row, value in bad[col].items():
            problems.append(Problem(files.get(table, SPECS[table].file), "unknown_ref",
                                    {"kind": target[:-1], "value": value}, row=row, column=col))
    if problems:
        raise InputError(problems)


def parse_workspace(files: Mapping[str, bytes]) -> Tables:
    """Parse a whole workspace from its files' bytes, keyed by relative path.

    Keys look like ``graphs/electronics.toml`` and ``seeds/firms.csv``. A
    missing seed table is read as empty. Everything is checked (columns, types,
    keys, references between tables, the link graph) before anything is
    returned, so a caller never holds half a workspace.

    Examples
    --------
    >>> files = {"graphs/demo.toml": b'[chain]\\nid = "demo"\\nname_zh = "\\xe7\\xa4\\xba\\xe4\\xbe\\x8b"\\n'
    ...          b'[[links]]\\nid = "pcb"\\nname_zh = "PCB"\\nstage = "midstream"\\nimportance = 1.0\\n'}
    >>> t = parse_workspace(files)
    >>> list(t.chains["id"]), list(t.links["id"]), len(t.firms)
    (['demo'], ['pcb'], 0)
    """
    graph_files = sorted(k for k in files if k.startswith("graphs/") and k.endswith(".toml"))
    if not graph_files:
        raise InputError([Problem("graphs/", "no_chain_files")])
    chains, links, edges, link_files, edge_files = [], [], [], [], []
    for f in graph_files:
        chain, lk, ed = parse_chain(files[f], f)
        stem = f.rsplit("/", 1)[-1][: -len(".toml")]
        if chain["id"] != stem:
            raise InputError([Problem(f, "chain_id_not_file", {"id": chain["id"], "stem": stem})])
        chains.append(chain)
        links.append(lk)
        edges.append(ed)
        link_files += [f] * len(lk)
        edge_files += [f] * len(ed)
    t = {
        "chains": pd.DataFrame(chains, columns=SPECS["chains"].names),
        "links": pd.concat(links, ignore_index=True),
        "edges": pd.concat(edges, ignore_index=True),
    }
    check_link_graph(t["links"], t["edges"], edge_files, link_files)
    for name in SEED_TABLES:
        path = f"seeds/{name}.csv"
        if path in files:
            text, _ = decode_bytes(files[path], path)
            t[name] = parse_table(text, name, path)
        else:
            t[name] = empty_table(name)
    check_references(t)
    return Tables(**{n: canonical(n, t[n]) for n in TABLE_NAMES})


def chain_texts(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The chain files among a workspace's files, keyed by chain id (the file's stem).

    >>> chain_texts({"graphs/ebike.toml": b"# source", "seeds/firms.csv": b"id"})
    {'ebike': b'# source'}
    """
    return {k[len("graphs/"):-len(".toml")]: v for k, v in files.items()
            if k.startswith("graphs/") and k.endswith(".toml")}


def _same_chain(text: bytes, chain: dict, links: pd.DataFrame, edges: pd.DataFrame) -> bool:
    """True when the chain file ``text`` holds exactly this chain, these links and edges."""
    try:
        c, lk, ed = parse_chain(text, "<chain file>")
    except InputError:
        return False
    def rows(df, name):
        return sorted(map(repr, canonical(name, df.reset_index(drop=True)).to_dict("records")))
    return (c == {k: chain[k] for k in c} and rows(lk, "links") == rows(links, "links")
            and rows(ed, "edges") == rows(edges, "edges"))


def format_workspace(tables: Tables, originals: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """The files of a workspace, keyed by relative path: the inverse of :func:`parse_workspace`.

    Each edge is written into the chain file of the link it feeds. ``originals``
    (chain id → the chain file as it was loaded) are written back unchanged
    when they still hold the chain's data, so their comments (sources, notes)
    survive a load → dump round trip; a chain edited since is formatted anew.
    """
    out = {}
    originals = originals or {}
    chain_of = dict(zip(tables.links["id"], tables.links["chain"]))
    dst_chain = tables.edges["dst"].map(chain_of)
    for chain in tables.chains.to_dict("records"):
        links = tables.links[tables.links["chain"] == chain["id"]]
        links = links.assign(_r=links["stage"].map(lambda s: Stage(s).rank)).sort_values(["_r", "id"]).drop(columns="_r")
        edges = tables.edges[dst_chain == chain["id"]]
        old = originals.get(chain["id"])
        keep = old is not None and _same_chain(old, chain, links, edges)
        out[f"graphs/{chain['id']}.toml"] = old if keep else format_chain(chain, links, edges).encode()
    for name in SEED_TABLES:
        out[f"seeds/{name}.csv"] = format_table(getattr(tables, name), name).encode("utf-8")
    return out


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file.

    Writes a temporary file in the same folder, flushes it to disk, then
    renames it over the target (``os.replace`` is atomic on POSIX and Windows).
    The file keeps the mode it had (a new one gets the mode ``open`` would
    give it under the umask), not the private mode of a temporary file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_files(path: str | os.PathLike) -> dict[str, bytes]:
    """The data files of a workspace folder, keyed by relative path (``graphs/x.toml``, ``seeds/y.csv``).

    Only regular files are read: a pipe or device named like a data file is
    refused (reading it could block for ever), and so is a folder with no
    ``graphs/`` or no ``seeds/``, or without the tables of :data:`REQUIRED_SEEDS`
    (a deleted file is a broken copy, not an empty city).
    """
    root = Path(path)
    if not root.is_dir():
        raise InputError([Problem(str(root), "no_such_folder")])
    for sub in ("graphs", "seeds"):
        if not (root / sub).is_dir():
            raise InputError([Problem(str(root), "not_a_workspace", {"folder": sub})])
    files = {}
    for sub, pattern in (("graphs", "*.toml"), ("seeds", "*.csv")):
        for p in sorted((root / sub).glob(pattern)):
            if sub == "seeds" and p.stem not in SEED_TABLES:
                continue
            if not p.is_file():
                raise InputError([Problem(str(p), "not_regular_file")])
            files[f"{sub}/{p.name}"] = p.read_bytes()
    missing = [f"seeds/{n}.csv" for n in REQUIRED_SEEDS if f"seeds/{n}.csv" not in files]
    if missing:
        raise InputError([Problem(str(root / m), "missing_table") for m in missing])
    return files


def read_workspace(path: str | os.PathLike) -> Tables:
    """Read and validate the workspace folder at ``path``."""
    root = Path(path)
    files = read_files(root)
    try:
        return parse_workspace(files)
    except InputError as e:
        # Name files by their full path so the user can open them.
        raise InputError([p.moved(file=str(root / p.file) if not p.file.startswith("/") else p.file)
                          for p in e.problems]) from None


def write_workspace(tables: Tables, path: str | os.PathLike, originals: Mapping[str, bytes] | None = None) -> None:
    """Save a workspace folder, every file atomically (see :func:`format_workspace` for ``originals``).

    All files are formatted in memory first, so a formatting error writes
    nothing; each file is then replaced atomically (see :func:`atomic_write`).
    """
    root = Path(path)
    for rel, data in format_workspace(tables, originals).items():
        atomic_write(root / rel, data)


def bundled_workspace() -> Path:
    """The workspace shipped with chainmap: the repository's ``graphs/`` and ``seeds/``."""
    return Path(__file__).resolve().parents[2]


def validate_tables(tables: Tables) -> Tables:
    """Check tables built in memory (not read from files) against every rule.

    The same checks as :func:`parse_workspace`: each table's schema, the link
    graph, and references between tables. Stores call this before they accept
    tables, so a bad bulk load changes nothing.
    """
    from .tables import validate_table

    checked = {}
    for name, df in tables.items():
        spec = SPECS[name]
        checked[name] = validate_table(df.set_axis(range(2, len(df) + 2)), spec, f"<{name} table>")
    n_links, n_edges = len(checked["links"]), len(checked["edges"])
    check_link_graph(checked["links"], checked["edges"], ["<edges table>"] * n_edges, ["<links table>"] * n_links)
    check_references(checked, {n: f"<{n} table>" for n in checked})
    return Tables(**{n: canonical(n, checked[n]) for n in TABLE_NAMES})
