"""paperfolio: a static site generator for a researcher's publication portfolio."""

from . import patterns  # noqa: F401 - first: it gives `re` the compiled patterns of the last run

__version__ = "0.1.0"
