"""项目信息库 (projects): a page file of the router ``app_streamlit.py``; the page is :func:`chainmap.app.projects.page`."""
from chainmap.app import projects

projects.page()
