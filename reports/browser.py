"""Headless Chromium, run as a program: the report's DOM, screenshots and A4 PDFs."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from reports import ReportError

# Debian ships `chromium`; other systems name it differently
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# offline and quiet: without the networking flags Chromium keeps dialling Google's hosts
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         "--disable-extensions", "--mute-audio", "--hide-scrollbars", "--no-default-browser-check")


@dataclass
class Result:
    """What one Chromium run printed."""

    stdout: str
    stderr: str
    returncode: int

    def console_messages(self) -> list[str]:
        """Lines where the page wrote to the console or broke a rule (script errors, CSP violations)."""
        return [ln for ln in self.stderr.splitlines() if "CONSOLE" in ln or "Uncaught" in ln]


def find() -> str | None:
    """The Chromium executable on PATH, or None."""
    return next((p for p in (shutil.which(n) for n in NAMES) if p), None)


def _need() -> str:
    exe = find()
    if exe is None:
        raise ReportError("headless Chromium is not installed (Debian: apt-get install chromium); it is needed for --pdf")
    return exe


def run(page: Path, *args: str, timeout: float = 90) -> Result:
    """Load a local HTML file in a fresh headless Chromium profile with extra arguments."""
    exe = _need()
    with tempfile.TemporaryDirectory(prefix="ronda-chromium-") as profile:
        cmd = [exe, *FLAGS, f"--user-data-dir={profile}", *args, Path(page).resolve().as_uri()]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    return Result(p.stdout, p.stderr, p.returncode)


def dump_dom(page: Path) -> Result:
    """The DOM after load (stdout), with the page's console messages logged to stderr."""
    return run(page, "--dump-dom", "--enable-logging=stderr", "--v=0")


def screenshot(page: Path, png: Path, width: int, height: int) -> Path:
    """A PNG of the page at a window size of width x height CSS pixels."""
    png = Path(png).resolve()
    r = run(page, f"--screenshot={png}", f"--window-size={width},{height}", "--force-device-scale-factor=1")
    if not png.exists():
        raise ReportError(f"Chromium made no screenshot (exit {r.returncode}): {_last(r.stderr)}")
    return png


def print_pdf(page: Path, pdf: Path) -> Path:
    """An A4 PDF of the page (the page's @page rule sets size and margins)."""
    pdf = Path(pdf).resolve()
    tmp = pdf.with_name(pdf.name + ".part")
    tmp.unlink(missing_ok=True)
    r = run(page, f"--print-to-pdf={tmp}", "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw")
    if not tmp.exists() or tmp.stat().st_size == 0:
        raise ReportError(f"Chromium made no PDF (exit {r.returncode}): {_last(r.stderr)}")
    tmp.replace(pdf)
    return pdf


def _last(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1][:200] if lines else "no message"
