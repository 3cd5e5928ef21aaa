"""ronda: the night watch of local-government websites (the application: CLI, jobs, coordinator, scheduler)."""

from base import __version__

__all__ = ["__version__"]
