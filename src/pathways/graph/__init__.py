"""The knowledge graph: loading Turtle, validation, inference, reasoning, named queries and
the stores (embedded or an external engine). It imports nothing else of the package.
"""
