"""The weekly HTML report and its exports, rendered from what monitors stored."""
from __future__ import annotations


class ReportError(Exception):
    """The report could not be made; the message is one line for the operator."""


class NoData(ReportError):
    """The week has no finished run: there is nothing to report, and an empty week is never published."""
