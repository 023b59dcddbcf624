"""paperfolio: a static site generator for a researcher's publication portfolio."""

__version__ = "0.1.0"
