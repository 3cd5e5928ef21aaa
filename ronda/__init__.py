"""ronda: the night watch of local-government websites."""

__version__ = "0.1.0"
