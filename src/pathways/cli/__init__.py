"""The command line: `pathways` and its commands. Imports every other part."""

from pathways.cli.commands import main

__all__ = ["main"]
