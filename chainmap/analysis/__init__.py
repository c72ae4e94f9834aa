"""Pure analysis over tables and graphs: no files, no environment, no Streamlit."""
from .graph import link_graph, topo_order
from .gaps import GapParams, gap_analysis

__all__ = ["link_graph", "topo_order", "GapParams", "gap_analysis"]
