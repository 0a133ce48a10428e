"""Views of the graph: an offline interactive HTML page, GraphML/GEXF, static SVG/PNG drawings.

The views draw the projections of :mod:`kg_builder.analysis`, so what the report counts is what
the pictures show.
"""
from __future__ import annotations

from kg_builder.viz._viz import COLORS, FORMATS, draw, html_page, scalar_graph, viz

__all__ = ["COLORS", "FORMATS", "draw", "html_page", "scalar_graph", "viz"]
