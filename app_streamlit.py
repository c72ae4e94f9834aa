"""chainmap workbench: the router.

Run with ``python -m chainmap.app.serve`` (the server, warmed up before it says
ready; see :mod:`chainmap.app.serve`) or plainly ``streamlit run app_streamlit.py``.
The workspace is ``$CHAINMAP_WORKSPACE``, by default ``var/workspace/``.

Only navigation lives here (modelled on Streamlit's own hello app): one page
function per page, each in :mod:`chainmap.app`. The sidebar (language, chain,
backend) is drawn before the navigation so page titles follow the language.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from chainmap.app import chain_map, firm, imports, mechanism, overview, projects, state, targets

ICON = Path(state.__file__).with_name("icon.png")


def main() -> None:
    # The icon is a file served by this server: a :material:/emoji icon is fetched from an outside font host,
    # which a government intranet cannot reach.
    st.set_page_config(page_title="chainmap · 产业链招商", page_icon=str(ICON), layout="wide")
    st.set_option("client.toolbarMode", "viewer")  # officers get no developer menu (Deploy, clear cache)
    state.sidebar()
    T = state.T
    pages = {
        "overview": st.Page(overview.page, title=T("nav.overview"), icon=":material/dashboard:",
                            url_path="overview", default=True),
        "map": st.Page(chain_map.page, title=T("nav.map"), icon=":material/account_tree:", url_path="map"),
        "targets": st.Page(targets.page, title=T("nav.targets"), icon=":material/target:", url_path="targets"),
        "firm": st.Page(firm.page, title=T("nav.firm"), icon=":material/domain:", url_path="firm"),
        "mechanism": st.Page(mechanism.page, title=T("nav.mechanism"), icon=":material/checklist:",
                             url_path="mechanism"),
        "projects": st.Page(projects.page, title=T("nav.projects"), icon=":material/work:", url_path="projects"),
        "imports": st.Page(imports.page, title=T("nav.imports"), icon=":material/upload_file:", url_path="imports"),
    }
    st.session_state["_pages"] = pages
    st.navigation(list(pages.values())).run()


if __name__ == "__main__":
    main()
