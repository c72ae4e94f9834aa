"""chainmap workbench: the router.

Run with ``python -m chainmap.app.serve`` (the server, warmed up before it says
ready; see :mod:`chainmap.app.serve`) or plainly ``streamlit run app_streamlit.py``.
The workspace is ``$CHAINMAP_WORKSPACE``, by default ``var/workspace/``.

Only navigation lives here (modelled on Streamlit's own hello app): one page
function per page, each in :mod:`chainmap.app`, called from a one-line file in ``app_pages/``. The sidebar (language, chain,
backend) is drawn before the navigation so page titles follow the language.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from chainmap.app import state

ICON = Path(state.__file__).with_name("icon.png")
#: One small file per page (each calls its ``chainmap.app.<page>.page()``): file pages can be opened by
#: tests through ``AppTest.switch_page``, Streamlit's public way.
PAGES = Path(__file__).with_name("app_pages")


def main() -> None:
    # The icon is a file served by this server: a :material:/emoji icon is fetched from an outside font host,
    # which a government intranet cannot reach.
    st.set_page_config(page_title="chainmap · 产业链招商", page_icon=str(ICON), layout="wide")
    st.set_option("client.toolbarMode", "viewer")  # officers get no developer menu (Deploy, clear cache)
    state.sidebar()
    T = state.T
    pages = {
        "overview": st.Page(PAGES / "overview.py", title=T("nav.overview"), icon=":material/dashboard:",
                            url_path="overview", default=True),
        "map": st.Page(PAGES / "map.py", title=T("nav.map"), icon=":material/account_tree:", url_path="map"),
        "targets": st.Page(PAGES / "targets.py", title=T("nav.targets"), icon=":material/target:", url_path="targets"),
        "firm": st.Page(PAGES / "firm.py", title=T("nav.firm"), icon=":material/domain:", url_path="firm"),
        "mechanism": st.Page(PAGES / "mechanism.py", title=T("nav.mechanism"), icon=":material/checklist:",
                             url_path="mechanism"),
        "projects": st.Page(PAGES / "projects.py", title=T("nav.projects"), icon=":material/work:", url_path="projects"),
        "maintain": st.Page(PAGES / "maintain.py", title=T("nav.maintain"), icon=":material/construction:",
                            url_path="maintain"),
        "incumbents": st.Page(PAGES / "incumbents.py", title=T("nav.incumbents"), icon=":material/factory:",
                              url_path="incumbents"),
        "imports": st.Page(PAGES / "imports.py", title=T("nav.imports"), icon=":material/upload_file:",
                           url_path="imports"),
    }
    st.session_state["_pages"] = pages
    st.navigation(list(pages.values())).run()


if __name__ == "__main__":
    main()
