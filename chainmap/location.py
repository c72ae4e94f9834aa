"""Where a user's workspace lives, and how the CLI and the app open it.

A *workspace* is a folder holding one database, ``chainmap.sqlite`` (see
:class:`~chainmap.store.sqlite.SqliteStore`), and its settings documents
(``seeds/*.toml``: the home city, the learned strategy), which load and dump
copy with the data.
The CLI and the app find it the same way (:func:`resolve`):

1. ``--workspace DIR`` (the CLI) — it must exist;
2. ``$CHAINMAP_WORKSPACE``;
3. the default, ``var/workspace/`` beside the bundled data.

The last two are created from the bundled data on first use. The bundled
``graphs/`` and ``seeds/`` are never written: they are the starting data and,
like every folder of CSV and TOML files, an exchange format that
:func:`load_folder` reads into a workspace and :func:`dump_folder` writes back.

A folder of CSV and TOML files given as a workspace (an older chainmap's
workspace, or a copy of the bundled data) gets its database inside it on
first use, made from its files. Its files are re-read when they change while
the database holds no edit since; once it does, the database is the truth and
a changed file is refused with a message rather than silently ignored.

This is edge code: it reads the environment and the file system, which the
core never does.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from .io.errors import InputError
from .io.workspace import atomic_write, bundled_workspace, chain_texts, format_workspace, parse_workspace, read_files
from .store import StoreError
from .store.sqlite import DB_NAME, SqliteStore

__all__ = ["ENV", "default_workspace", "resolve", "open_workspace", "load_folder", "dump_folder",
           "describe_notes"]

ENV = "CHAINMAP_WORKSPACE"

#: ``note(code, **params)``: told what opening a workspace did (created, made from a folder, reloaded).
Note = Callable[..., None]


def default_workspace() -> Path:
    """``var/workspace/`` beside the bundled data (git-ignored)."""
    return bundled_workspace() / "var" / "workspace"


def resolve(arg: str | os.PathLike | None = None, environ: Mapping[str, str] = os.environ) -> tuple[Path, bool]:
    """The workspace folder to use, and whether the user named it explicitly (``--workspace``).

    >>> resolve("/tmp/ws", {})
    (PosixPath('/tmp/ws'), True)
    >>> resolve(None, {"CHAINMAP_WORKSPACE": "/srv/chainmap"})
    (PosixPath('/srv/chainmap'), False)
    """
    if arg:
        return Path(arg).expanduser().absolute(), True
    env = environ.get(ENV, "").strip()
    if env:
        return Path(env).expanduser().absolute(), False
    return default_workspace().absolute(), False


def _stamp(files: Mapping[str, bytes]) -> str:
    """A fingerprint of a folder's data files (their names and contents)."""
    import hashlib

    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return h.hexdigest()


def _refuse_bundled(path: Path) -> None:
    if path.resolve() == bundled_workspace().resolve():
        raise StoreError("bundled_refused", path=str(path))


def _copy_settings(src: Path, dst: Path) -> None:
    """Copy the settings documents (``seeds/*.toml``: the home city, the learned strategy) beside the data."""
    if src.resolve() == dst.resolve():
        return
    for f in sorted((src / "seeds").glob("*.toml")):
        if f.is_file():
            atomic_write(dst / "seeds" / f.name, f.read_bytes())


def open_workspace(path: str | os.PathLike, *, explicit: bool = True, note: Note | None = None) -> SqliteStore:
    """Open the workspace at ``path`` (see the module's description for the rules).

    ``explicit`` is False for the environment variable and the default, which
    are created from the bundled data when missing; a missing folder named
    explicitly is an error. Raises :class:`~chainmap.store.StoreError` or
    :class:`~chainmap.io.InputError` with one clear message.
    """
    path = Path(path)
    note = note or (lambda code, **params: None)
    _refuse_bundled(path)
    db = path / DB_NAME
    if path.exists() and not path.is_dir():
        raise StoreError("workspace_not_a_folder", path=str(path), db=DB_NAME)
    store = SqliteStore(db) if db.exists() else None
    if store is not None and store.meta("source"):
        if (path / "graphs").is_dir() and store.meta("source") == "folder":
            _refresh_from_folder(store, path, note)
        return store
    # No database yet, or one made but never filled (its maker was killed before loading): fill it.
    if (path / "graphs").is_dir():
        files = read_files(path)
        store = store or _new_store(db, path)
        if store.load(parse_workspace(files), chain_texts=chain_texts(files),
                      meta={"source": "folder", "source_stamp": _stamp(files)}, only_if="empty"):
            note("made_from_folder", path=str(path), db=str(db))
        return store
    if store is None and path.exists() and any(path.iterdir()):
        raise StoreError("not_a_chainmap_workspace", path=str(path), db=DB_NAME)
    if explicit:
        raise StoreError("no_workspace", path=str(path))
    bundled = bundled_workspace()
    files = read_files(bundled)
    store = store or _new_store(db, path)
    if store.load(parse_workspace(files), chain_texts=chain_texts(files), meta={"source": "bundled"}, only_if="empty"):
        _copy_settings(bundled, path)
        note("created", path=str(path))
    return store


def _new_store(db: Path, folder: Path) -> SqliteStore:
    if folder.exists() and not os.access(folder, os.W_OK):
        raise StoreError("read_only", folder=str(folder))
    return SqliteStore(db)


def _refresh_from_folder(store: SqliteStore, path: Path, note: Note) -> None:
    """Re-read a folder workspace whose files changed, unless its database holds edits since."""
    files = read_files(path)
    stamp = _stamp(files)
    if stamp == store.meta("source_stamp"):
        return
    if store.meta("edited") == "1":
        raise StoreError("files_changed_since", path=str(path), db=DB_NAME)
    if store.load(parse_workspace(files), chain_texts=chain_texts(files),
                  meta={"source": "folder", "source_stamp": stamp}, only_if="unedited"):
        note("reloaded_folder", path=str(path))


def load_folder(folder: str | os.PathLike, workspace: str | os.PathLike, progress=None) -> SqliteStore:
    """Fill the workspace database from a folder of ``graphs/`` and ``seeds/`` (validated first).

    Replaces the workspace's whole content, audit trail included: a restore,
    not an edit. Nothing is written when the folder has a problem.
    """
    folder, workspace = Path(folder), Path(workspace)
    _refuse_bundled(workspace)
    files = read_files(folder)
    try:
        tables = parse_workspace(files)
    except InputError as e:
        raise InputError([p.moved(file=str(folder / p.file)) for p in e.problems]) from None
    same = folder.resolve() == workspace.resolve()
    store = _new_store(workspace / DB_NAME, workspace)
    store.load(tables, progress, chain_texts=chain_texts(files),
               meta={"source": "folder" if same else "loaded", "source_stamp": _stamp(files) if same else ""})
    _copy_settings(folder, workspace)
    return store


def dump_folder(store, folder: str | os.PathLike) -> Path:
    """Write the store's content as a folder of ``graphs/`` and ``seeds/`` (each file atomically).

    Chain files are written back as they were loaded while their data is
    unchanged, so load → dump gives back the same bytes.
    """
    folder = Path(folder)
    _refuse_bundled(folder)
    originals = store.chain_texts() if hasattr(store, "chain_texts") else {}
    files = format_workspace(store.tables(), originals)
    for rel, data in files.items():
        atomic_write(folder / rel, data)
    path = getattr(store, "path", None)
    if path is not None:
        _copy_settings(Path(path).parent, folder)
        if Path(path).parent.resolve() == folder.resolve():
            # The files now hold exactly the database's data: it is their database again.
            store.set_meta(source="folder", source_stamp=_stamp(read_files(folder)), edited="0")
    return folder


def describe_notes(code: str, lang: str = "zh", **params) -> str:
    """Words for a note of :func:`open_workspace` (from the catalogue, :data:`chainmap.io.messages.SAID`).

    >>> describe_notes("created", "en", path="/srv/ws")
    'first use: created the workspace /srv/ws from the bundled data'
    """
    from .io.messages import said

    return said(code, params, lang)

