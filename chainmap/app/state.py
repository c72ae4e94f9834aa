"""One run of the workbench: the sidebar (language, chain, backend), the context pages
read, and saving with conflict checks.

Pages call :func:`ctx` for the data and :func:`T` for every string; they save
through :func:`save`, which goes to ``store.upsert(name, rows, expected=...)``
and turns a :class:`~chainmap.store.ConflictError` or an
:class:`~chainmap.io.InputError` into a clear message.

Access: with an ``[auth]`` section in ``.streamlit/secrets.toml`` people sign in
with Streamlit's own ``st.login`` (OIDC). Those listed in ``[chainmap] editors``
(emails, compared case-insensitively) may edit; everyone else reads. Without
``[auth]`` the workbench is in local single-user editor mode and says so. Saves
are refused for anyone who may not edit, in :func:`save` itself and not only by
hiding forms, and record the signed-in user (or 本地单用户) as their author.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlparse

import pandas as pd
import streamlit as st

from ..i18n import STAGE_LABEL, STATUS_LABEL, error_text, label, problem_text, today
from ..io import InputError
from ..io.city import City, read_city
from ..io.messages import Coded
from ..model import Tables
from ..store import ConflictError, Edit, StoreError
from . import data
from .text import tr

__all__ = ["Ctx", "T", "lang", "sidebar", "ctx", "save", "show_problems", "problems_frame", "loaded", "forget",
           "nonce", "sticky", "translator", "editor_notice", "source_markdown", "status_label", "stage_label",
           "today", "chain_name", "fmt_yi", "city", "city_name",
           "Access", "access_for", "access", "can_edit", "undo", "LOCAL_USER",
           "owned", "bind", "set_choice", "url_value", "save_on_submit"]

LANG_OPTIONS = {"中文": "zh", "English": "en"}
LANG_LABEL = {v: k for k, v in LANG_OPTIONS.items()}


# ------------------------------------------------------------------ the one owner of the session's choices
# The chosen chain, language and page filters have ONE owner: the dict ``st.session_state["_own"]``.
# Widgets only show it (their state is set from it before they are drawn) and change it (their
# ``on_change`` callback, see :func:`bind`); the URL's query parameters mirror it, so a link or a
# reload opens the same view. The URL is read at the start of each run, but only a value the
# session did not write itself is taken (the first run, or a link such as ``/map?chain=materials&lang=en``):
# a rerun carries the query string the browser had when it was asked for, which may be older than
# the choice just made, and must not undo it.
_OWN, _WROTE = "_own", "_url_wrote"


def owned() -> dict:
    """The session's choices (``{name: value}``), the single source every widget and the URL follow."""
    return st.session_state.setdefault(_OWN, {})


def url_value(name: str, options, default, url: bool = True):
    """The owned value ``name``, one of ``options``: taken from the URL when the URL brings a value
    the session did not write, else kept, else ``default``. Written back to the URL when ``url``."""
    own, wrote = owned(), st.session_state.setdefault(_WROTE, {})
    options = list(options)
    if url:
        asked = st.query_params.get(name)
        if asked in options and asked != wrote.get(name) and asked != own.get(name):
            own[name] = asked
    if own.get(name) not in options:
        own[name] = default
    if url:
        _write_url(name, own[name])
    return own[name]


def _write_url(name: str, value) -> None:
    wrote = st.session_state.setdefault(_WROTE, {})
    if st.query_params.get(name) != str(value):
        st.query_params[name] = str(value)
    wrote[name] = str(value)


def set_choice(name: str, value, widget_key: str | None = None, url: bool = True) -> None:
    """Change an owned value from code (a click on the map, a link): the widget ``widget_key``, if drawn
    later in this run, shows it; the URL follows."""
    owned()[name] = value
    if widget_key is not None:
        st.session_state[widget_key] = value
    if url:
        _write_url(name, value)


def _adopt(name: str, widget_key: str, to_value, url: bool) -> None:
    # A widget's on_change: what the person chose becomes the owned value (and the URL) before the run.
    if widget_key in st.session_state:
        owned()[name] = to_value(st.session_state[widget_key])
        if url:
            _write_url(name, owned()[name])


def bind(name: str, widget_key: str, to_widget=None, to_value=None, url: bool = True) -> dict:
    """Keyword arguments for a widget that shows and changes the owned value ``name``.

    The widget's state is set from the owned value before it is drawn (so a language
    change, a page change or a click elsewhere never leaves it showing another choice),
    and its ``on_change`` writes the person's choice back. ``to_widget``/``to_value``
    convert when the widget holds a label rather than the value (the language radio).
    """
    to_widget = to_widget or (lambda v: v)
    to_value = to_value or (lambda v: v)
    if name in owned():
        st.session_state[widget_key] = to_widget(owned()[name])
    return {"key": widget_key, "on_change": _adopt, "args": (name, widget_key, to_value, url)}


def lang() -> str:
    """The current language, ``zh`` (default) or ``en``."""
    own = st.session_state.get(_OWN) or {}
    if own.get("lang") in LANG_LABEL:
        return own["lang"]
    return LANG_OPTIONS.get(st.session_state.get("lang_choice", "中文"), "zh")


def T(key: str, **kw) -> str:
    """The UI string ``key`` in the current language (see :mod:`chainmap.app.text`)."""
    return tr(key, lang(), **kw)


def translator():
    """:func:`T` with this run's language bound: for callbacks such as ``format_func``,
    which Streamlit (and ``AppTest``) may call outside the run."""
    lg = lang()
    return lambda key, **kw: tr(key, lg, **kw)


LOCAL_USER = "本地单用户"


@dataclass(frozen=True)
class Access:
    """Who uses this session and what they may do.

    ``mode`` is ``local`` (no sign-in configured: the single local user edits),
    ``editor``, ``viewer`` (signed in, not an editor) or ``guest`` (sign-in
    configured, not signed in). ``user`` is the author recorded on saves.
    """

    mode: str
    user: str

    @property
    def can_edit(self) -> bool:
        return self.mode in ("local", "editor")


def access_for(configured: bool, editors: Iterable[str], user: Mapping) -> Access:
    """The access of one session: pure, from the configuration and ``st.user``'s fields.

    An identity counts as an editor only if the provider vouches for it: an
    email the provider marks unverified never makes an editor.

    Examples
    --------
    >>> access_for(False, [], {})
    Access(mode='local', user='本地单用户')
    >>> editors = ["li.ming@qingyuan.gov.cn"]
    >>> access_for(True, editors, {"is_logged_in": True, "email": "Li.Ming@qingyuan.gov.cn"}).mode
    'editor'
    >>> access_for(True, editors, {"is_logged_in": True, "email": "wang.fang@qingyuan.gov.cn"})
    Access(mode='viewer', user='wang.fang@qingyuan.gov.cn')
    >>> access_for(True, editors, {"is_logged_in": True, "email": "li.ming@qingyuan.gov.cn",
    ...                            "email_verified": False}).mode
    'viewer'
    >>> access_for(True, editors, {"is_logged_in": False}).can_edit
    False
    """
    if not configured:
        return Access("local", LOCAL_USER)
    if not user.get("is_logged_in"):
        return Access("guest", "")
    ident = str(user.get("email") or user.get("preferred_username") or user.get("sub") or "").strip()
    allowed = {str(e).strip().lower() for e in editors}
    ok = bool(ident) and ident.lower() in allowed and user.get("email_verified") is not False
    return Access("editor" if ok else "viewer", ident)


def _secret_section(name: str) -> Mapping:
    # No secrets file at all is the normal local setup, not an error.
    try:
        section = st.secrets.get(name)
    except Exception:  # noqa: BLE001 - Streamlit raises several types for a missing or unreadable file
        return {}
    return section if isinstance(section, Mapping) else {}


def access() -> Access:
    """This session's :class:`Access`, from ``st.secrets`` and ``st.user``."""
    configured = bool(_secret_section("auth"))
    editors = _secret_section("chainmap").get("editors", [])
    try:
        user = st.user.to_dict() if configured else {}
    except Exception:  # noqa: BLE001 - no user info outside a session: signed out
        user = {}
    return access_for(configured, editors if isinstance(editors, (list, tuple)) else [editors], user)


def can_edit(where=None) -> bool:
    """True if this session may edit; otherwise a read-only notice is shown in ``where``."""
    acc = ctx().access
    if not acc.can_edit:
        (where or st).info(T("acc.read_only") if acc.mode == "viewer" else T("acc.sign_in_to_edit"),
                           icon=":material/lock:")
    return acc.can_edit


def _access_sidebar(acc: Access) -> None:
    if acc.mode == "local":
        st.sidebar.caption(T("side.mode"))
        return
    if acc.mode == "guest":
        st.sidebar.caption(T("acc.guest"))
        st.sidebar.button(T("acc.login"), key="acc_login", icon=":material/login:", on_click=st.login)
        return
    st.sidebar.caption(T(f"acc.{acc.mode}", user=acc.user))
    st.sidebar.button(T("acc.logout"), key="acc_logout", icon=":material/logout:", on_click=st.logout)


@dataclass
class Ctx:
    """What a page works on in this run."""

    lang: str
    chain: str
    store: object  # a chainmap.store.GraphStore
    tables: Tables
    version: str
    access: Access
    city: City = City()  # the workspace's settings (seeds/city.toml): home city, counties, plan

    @property
    def key(self) -> str:
        return data.store_key(self.store)

    def chain_name(self, chain: str | None = None) -> str:
        return chain_name(self.tables, chain or self.chain, self.lang)

    def link_name(self, link_id: str) -> str:
        return self._link_names.get(link_id, link_id)

    @cached_property
    def _link_names(self) -> dict[str, str]:
        # Once per run: pages name links row by row (an index built per call was 5 s of the app tests).
        links = self.tables.links
        names = links["name_zh"] if self.lang != "en" else links["name_en"].where(links["name_en"] != "", links["name_zh"])
        return dict(zip(links["id"], names))


def chain_name(tables: Tables, chain: str, lang_: str = "zh") -> str:
    # A scan of a few rows: an index built per call cost a few ms, and pages call this for every chain.
    c = tables.chains
    for cid, zh, en in zip(c["id"], c["name_zh"], c["name_en"]):
        if cid == chain:
            return (en or zh) if lang_ == "en" else zh
    return chain


def status_label(status: str) -> str:
    return label(STATUS_LABEL, status, lang())


def stage_label(stage: str) -> str:
    return label(STAGE_LABEL, stage, lang())


def fmt_yi(v) -> str:
    """An amount in 亿元 for display: ``12.5亿元``; a dash when unknown."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "—"
    return T("unit.yi", v=f"{v:,.1f}" if abs(v) < 100 else f"{v:,.0f}")


def _store():
    """The store chosen in the sidebar: Neo4j only when ``NEO4J_URI`` is set, else the workspace database."""
    uri = os.environ.get("NEO4J_URI", "").strip()
    options = ["sqlite"] + (["neo4j"] if uri else [])
    choice = "sqlite"
    if len(options) > 1:
        choice = st.sidebar.radio(T("side.backend"), options, key="backend_choice", horizontal=True,
                                  format_func=lambda o, _t=translator(): _t(f"backend.{o}"))
    if choice == "neo4j":
        try:
            return data.neo4j_store(uri, os.environ.get("NEO4J_USER") or None)
        except Exception as e:  # noqa: BLE001 - any failure: say so and keep working on the workspace
            st.sidebar.error(T("side.neo4j_failed", err=f"{type(e).__name__}: {e}"))
    path = data.workspace_path()
    try:
        return data.workspace_store(str(path))
    except (StoreError, InputError, OSError) as e:
        st.error(T("ws.bad", path=str(path), err=error_words_of(e)))
        st.stop()


@st.cache_data(max_entries=8, show_spinner=False)
def _read_city(path: str, stamp: float) -> City:
    return read_city(path)


def city() -> City:
    """The workspace's settings (``seeds/city.toml``), read again when the file changes; an empty
    :class:`~chainmap.io.city.City` when the workspace has none."""
    root = data.workspace_path()
    f = root / "seeds" / "city.toml"
    try:
        return _read_city(str(root), f.stat().st_mtime if f.exists() else 0.0)
    except InputError as e:
        st.error(T("ws.bad", path=str(f), err=error_text(e, lang())))
        st.stop()


def city_name() -> str:
    """The home city's name for the page's words (本市 / the city when the settings give none)."""
    return ctx().city.label(lang()) or T("city.unnamed")


def sticky(*keys: str) -> None:
    """Keep these widgets' choices when the language changes.

    Select widgets send their choice as the *displayed* text, which changes
    with the language; re-assigning the value (an id, read with the previous
    run's labels) before the widget is drawn keeps the choice. Call it before
    drawing any select widget whose labels depend on the language.
    """
    if not st.session_state.get("_lang_changed"):
        return
    for k in keys:
        if k in st.session_state:
            st.session_state[k] = st.session_state[k]


def sidebar() -> Ctx:
    """Draw the sidebar and load the data; the router calls this before ``st.navigation``.

    The language and the chain are owned values (see :func:`bind`), mirrored in the URL
    as ``?lang=zh|en&chain=<id>``.
    """
    url_value("lang", list(LANG_LABEL), "zh")
    st.sidebar.radio("语言 / Language", list(LANG_OPTIONS), horizontal=True,
                     **bind("lang", "lang_choice", to_widget=LANG_LABEL.get, to_value=LANG_OPTIONS.get))
    st.session_state["_lang_changed"] = st.session_state.get("_lang_last", lang()) != lang()
    st.session_state["_lang_last"] = lang()
    store = _store()
    key, version = data.store_key(store), store.version()
    if st.session_state.get("_seen_version") != (key, version):
        # New data (first visit, or someone saved): read and fit with a progress bar, once per version.
        bar = st.progress(0.0, text=T("load.read"))
        tables = data.tables(key, version, store)
        bar.progress(0.5, text=T("load.fit", n=len(tables.firms)))
        data.scorer(key, version, tables)
        bar.progress(1.0, text=T("load.done"))
        bar.empty()
        st.session_state["_seen_version"] = (key, version)
    tables = data.tables(key, version, store)
    chains = list(tables.chains["id"])
    sticky("backend_choice")
    url_value("chain", chains, "electronics" if "electronics" in chains else chains[0])
    chain = st.sidebar.selectbox(T("side.chain"), chains, format_func=lambda c, _l=lang(): chain_name(tables, c, _l),
                                 **bind("chain", "chain_choice"))
    chain = owned()["chain"] if owned().get("chain") in chains else chain
    st.sidebar.divider()
    acc = access()
    _access_sidebar(acc)
    st.sidebar.caption(T("side.where", kind=T(f"backend.{store.backend}"), where=store.describe()))
    if st.sidebar.button(T("side.refresh"), key="refresh_data", icon=":material/refresh:"):
        st.cache_data.clear()
        st.session_state.pop("_loaded", None)
        st.rerun()
    flash = st.session_state.pop("_flash", None)
    if flash:
        st.toast(flash, icon=":material/check_circle:")
    c = Ctx(lang(), chain, store, tables, version, acc, city())
    st.session_state["_ctx"] = c
    return c


def ctx() -> Ctx:
    """The context the router built for this run."""
    c = st.session_state.get("_ctx")
    if c is None:  # a page run on its own (tests): build it
        c = sidebar()
    return c


# ------------------------------------------------------------------- saving
def loaded(key: str, current: pd.DataFrame, fresh: bool) -> pd.DataFrame:
    """The rows as this session first showed them in an editor (the ``expected`` of a save).

    ``fresh`` is True when the editor's widgets are being created in this run:
    the snapshot is then (re)taken from ``current``, so it always matches what
    the widgets started from.
    """
    snaps = st.session_state.setdefault("_loaded", {})
    if fresh or key not in snaps:
        snaps[key] = current.copy()
    return snaps[key]


def nonce(key: str) -> int:
    """A counter in widget keys: bumping it gives the editor fresh widgets."""
    return st.session_state.setdefault("_nonce", {}).get(key, 0)


def forget(key: str) -> None:
    """Drop an editor's snapshot and reset its widgets (after a save, or to reload)."""
    st.session_state.setdefault("_loaded", {}).pop(key, None)
    n = st.session_state.setdefault("_nonce", {})
    n[key] = n.get(key, 0) + 1


def error_words_of(e: Exception) -> str:
    """An error in the session's language: bad input, and every refusal that is a catalogue code and its values
    (:class:`~chainmap.io.messages.Coded`: the store's, the core's, the command line's) from the catalogue
    (:mod:`chainmap.io.messages`); anything else (an OS error) as it says itself."""
    if isinstance(e, InputError):
        return error_text(e, lang())
    if isinstance(e, Coded):
        return e.text(lang())
    return str(e)


def _may_edit(c: Ctx, where, key: str = "", now: bool = True) -> bool:
    """True for a session that may edit; otherwise say so where the edit was tried (or, from a widget's
    callback, keep the refusal for :func:`editor_notice` of ``key``)."""
    if not c.access.can_edit:
        _problem(key, where, now, T("acc.refused"), ":material/lock:")
    return c.access.can_edit


def save(name: str, rows: pd.DataFrame | None, expected: pd.DataFrame | None, key: str, where=None,
         action: str | None = None, delete: pd.DataFrame | None = None, rerun: bool = True) -> bool:
    """Upsert ``rows`` into table ``name`` (and delete the records keyed in ``delete``), checked
    against ``expected`` (the rows as the editor ``key`` first showed them), as the signed-in user.

    Refused, with a message, for a session that may not edit. On success the
    editor is reset and the page reruns with the saved data. On a conflict
    (someone else saved the same record after this session read it) nothing is
    written and :func:`editor_notice` tells the user to reload; on bad input
    the problems are listed. Returns False when nothing was saved.

    ``rerun=False`` is for a widget's callback (see :func:`save_on_submit`): the run that follows
    the callback is the rerun, and the messages wait for :func:`editor_notice`.
    """
    where = where or st
    c = ctx()
    if not _may_edit(c, where, key, rerun):
        return False
    try:
        c.store.write({name: Edit(upsert=rows, delete=delete)}, author=c.access.user, action=action or f"app: {name}",
                      expected=None if expected is None else {name: expected})
    except ConflictError:
        st.session_state.setdefault("_conflict", set()).add(key)
        return False
    except InputError as e:
        _problem(key, where, rerun, T("save.invalid"), ":material/error:", e)
        return False
    except (OSError, StoreError) as e:
        _problem(key, where, rerun, T("save.io", err=error_words_of(e)), ":material/error:")
        return False
    st.session_state.setdefault("_conflict", set()).discard(key)
    st.session_state["_flash"] = T("save.ok")
    forget(key)
    if rerun:
        st.rerun()
    return True


def _problem(key: str, where, now: bool, message: str, icon: str, err: InputError | None = None) -> None:
    # Shown where the save was tried; from a callback (nothing can be drawn there) kept for editor_notice.
    if now:
        where.error(message, icon=icon)
        if err is not None:
            show_problems(err, where)
    else:
        st.session_state.setdefault("_save_problem", {})[key] = (message, icon, err)


def _save_from_form(name: str, make, expected, key: str, action: str | None) -> None:
    rows = make()
    if rows is not None:
        save(name, rows, expected, key, action=action, rerun=False)


def save_on_submit(name: str, make, expected: pd.DataFrame | None, key: str, action: str | None = None) -> dict:
    """Keyword arguments for a form's submit button that saves in the button's callback.

    ``make()`` builds the rows to upsert from the form's widgets (read from ``st.session_state`` by
    their keys), or returns None to save nothing. A callback runs before the page: the page runs
    once, with the saved data, instead of once to reach the button and once more after the save
    (the 八个一 page drew its chart, table and workbook twice per save). Messages (conflict, bad
    input, refusal) are shown by :func:`editor_notice` for ``key``.
    """
    return {"on_click": _save_from_form, "args": (name, make, expected, key, action)}


def undo(change_set: str, where=None) -> bool:
    """Undo one change set as the signed-in user; refused for a session that may not edit.

    A change set whose records were changed since is not undone: the message
    names the records. Returns False when nothing was changed.
    """
    where = where or st
    c = ctx()
    if not _may_edit(c, where):
        return False
    try:
        new = c.store.undo(change_set, author=c.access.user)
    except (StoreError, InputError) as e:  # ConflictError included: its message names the records
        where.error(T("hx.undo_failed", err=error_words_of(e)),
                    icon=":material/sync_problem:")
        return False
    st.session_state["_flash"] = T("hx.undone", cs=change_set, new=new)
    st.rerun()
    return True


def editor_notice(key: str, where=None) -> None:
    """After a conflict on editor ``key``: the message, and a button to reload the saved version."""
    where = where or st
    problem = st.session_state.setdefault("_save_problem", {}).pop(key, None)
    if problem is not None:
        _problem(key, where, True, *problem)
    if key not in st.session_state.setdefault("_conflict", set()):
        return
    where.error(T("save.conflict"), icon=":material/sync_problem:")
    if where.button(T("save.reload"), key=f"reload:{key}", icon=":material/refresh:"):
        st.session_state["_conflict"].discard(key)
        forget(key)
        st.rerun()


def problems_frame(err: InputError) -> pd.DataFrame:
    """The problems of an :class:`InputError` as a table: file, row, column, problem."""
    lg = lang()
    cols = [T("prob.file"), T("prob.row"), T("prob.column"), T("prob.problem")]
    return pd.DataFrame([[p.file + (f" · {p.sheet}" if getattr(p, "sheet", None) else ""),
                          "" if p.row is None else str(p.row), p.column or "", problem_text(p, lg)]
                         for p in err.problems], columns=cols)


def show_problems(err: InputError, where=None) -> None:
    (where or st).dataframe(problems_frame(err), hide_index=True, width="stretch")


# -------------------------------------------------------------------- sources
_URL = re.compile(r"https?://\S+")


#: The project's own file paths in a source (where a fact was compiled): not for officers' eyes.
_INTERNAL_PATH = re.compile(r"\s*\((?:shared|seeds)/[^)]*\)|(?<![\w/])(?:shared|seeds)/\S*")


def source_markdown(text: str, limit: int = 6) -> str:
    """A ``source`` cell (URLs and titles separated by `` ; ``) as Markdown links.

    The project's own file paths (``shared/data/firms.csv``) become one plain
    words entry: an officer sees where a fact came from, not our folders.
    """
    parts = [p.strip() for p in str(text or "").split(" ; ") if p.strip()]
    out, internal = [], False
    for p in parts[:limit]:
        if _URL.fullmatch(p):
            host = urlparse(p).netloc or p
            out.append(f"[{host}]({p})")
            continue
        words = _INTERNAL_PATH.sub("", p).strip()
        internal |= words != p
        if words:
            out.append(words.replace("[", "【").replace("]", "】"))
    if internal:
        out.append(T("src.compiled"))
    if len(parts) > limit:
        out.append("…")
    return "；".join(dict.fromkeys(out))
