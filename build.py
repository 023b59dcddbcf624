"""Build the site: `python build.py --help` lists the commands. The engine is the `paperfolio` package."""

import sys

from paperfolio.cli import main

if __name__ == "__main__":
    sys.exit(main())
