"""The pages: the static site built from the graph. Imports careers and graph."""
