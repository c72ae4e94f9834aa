"""企业详情 (firm): a page file of the router ``app_streamlit.py``; the page is :func:`chainmap.app.firm.page`."""
from chainmap.app import firm

firm.page()
