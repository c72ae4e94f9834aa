"""The Streamlit workbench of chainmap: one module per page, plus the shared pieces.

``app_streamlit.py`` (the router) imports these; every page is a function
``page()`` that reads :func:`chainmap.app.state.ctx` and calls the chainmap API.

* :mod:`.text` — every UI string, Chinese first, English second;
* :mod:`.data` — the store (workspace database or Neo4j), cached tables, scorer and results;
* :mod:`.state` — sidebar, context, saving with conflict checks;
* :mod:`.charts` — Plotly figures;
* pages: :mod:`.overview`, :mod:`.chain_map`, :mod:`.targets`, :mod:`.firm`,
  :mod:`.mechanism`, :mod:`.projects`.
"""
