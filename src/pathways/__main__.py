"""`python -m pathways`: the same command as `pathways`."""

from pathways.cli import main

if __name__ == "__main__":  # a SPARQL worker started from `python -m` imports this, and must
    main()  # not run the command again
