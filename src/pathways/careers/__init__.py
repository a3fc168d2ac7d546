"""Careers over the graph: the facts index, reading a request, the roadmap engine and its
scoring, comparison, catalogue, counts and the text and markdown reports. Imports only graph.
"""
