"""产业链图谱 (chain map): a page file of the router ``app_streamlit.py``; the page is :func:`chainmap.app.chain_map.page`."""
from chainmap.app import chain_map

chain_map.page()
