"""Build the site: `python build.py --help` lists the commands. The engine is the `paperfolio` package."""

import sys

# Python keeps each module it compiles in `__pycache__/` (git-ignored). With PYTHONDONTWRITEBYTECODE set, as
# on some CI and sandbox machines, it would compile paperfolio's 9,000 lines again on every build (0.1 s,
# and once more in each worker that imports a module late), so the build writes them anyway.
sys.dont_write_bytecode = False

if sys.version_info < (3, 11):  # noqa: UP036 - pip reads pyproject.toml; this tells `python build.py` run as it is
    sys.exit(f"paperfolio: error: Python 3.11 or newer is needed; this is Python {sys.version.split()[0]}")

from paperfolio.cli import exit_now, main  # noqa: E402

if __name__ == "__main__":
    exit_now(main())
