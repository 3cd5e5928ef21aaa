"""The ground floor: what every part of ronda reads (config, store, checklist, logs...); imports nothing of ours above it."""

__version__ = "0.1.0"
