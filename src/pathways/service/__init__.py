"""The web service: the app, REST API, SPARQL protocol and its workers, linked data, reloads,
errors and settings. Imports site, careers and graph.
"""
