"""Leadership pathways knowledge graph for the 12 NHS psychological professions."""

__version__ = "0.2.0"
