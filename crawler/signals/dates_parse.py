"""Date-string parsing for the dates signal: word tables, fast regexes, machine formats."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator
from zoneinfo import ZoneInfo

import yaml


@dataclass(frozen=True)
class Found:
    """One date found in a string by the regexes."""

    day: date
    start: int
    end: int
    form: str
    """absolute | dateline | relative | relative-month | relative-year"""
    weekday: int | None = None


def _alt(words: Any) -> str:
    """A regex alternation of words, longest first so abbreviations never shadow full names."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _phrases(words: Any) -> str:
    """A regex alternation of words or phrases (any white space between their words), longest first."""
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))


def _relative_rx(rel: dict[str, Any]) -> re.Pattern[str]:
    """The regex of relative dates ("3 hari yang lalu", "seminggu lalu", "a week ago") from dates.yaml `relative`."""
    ones = []  # "one" glued to the unit ("seminggu") or as a word before it ("satu hari")
    if rel.get("one_prefixes"):
        ones.append(f"(?:{_phrases(rel['one_prefixes'])})")
    if rel.get("one_words"):
        ones.append(rf"(?:{_phrases(rel['one_words'])})\s+")
    count = r"\b(?P<n>\d{1,3})\s*" + (rf"|\b(?P<one>{'|'.join(ones)})" if ones else "")
    filler = rf"(?:(?:{_phrases(rel['ago_fillers'])})\s+)?" if rel.get("ago_fillers") else ""
    return re.compile(rf"(?:{count})(?P<u>[^\W\d_]{{3,7}})\s+{filler}(?:{_phrases(rel['ago_words'])})\b", re.I)


class Rules:
    """The word lists of data/dates.yaml, with the regexes built from them."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.months: dict[str, int] = {k.lower(): int(v) for k, v in data["months"].items()}
        self.weekdays: dict[str, int] = {k.lower(): int(v) for k, v in data["weekdays"].items()}
        rel = data["relative"]
        self.units: dict[str, tuple[int, str]] = {k.lower(): (int(v[0]), str(v[1])) for k, v in rel["units"].items()}
        self.fixed: dict[str, int] = {k.lower(): int(v) for k, v in rel["fixed"].items()}
        # Words are captured generically and looked up in the tables: big alternations are slow in `re`.
        year = r"(?P<y>(?:19|20)\d\d)(?!\d)"
        word = r"(?P<m>[^\W\d_]{3,10})"   # "septiembre"
        de = r"(?:de\s+)?"   # Spanish and Portuguese: "5 de enero de 2020"
        flags = re.I
        # Order matters: earlier patterns win overlapping spans.
        self.patterns: list[tuple[re.Pattern[str], str]] = [
            (re.compile(r"\b(?P<wd>[^\W\d_]{3,7}(?:'[^\W\d_]{1,3})?)\.?,?\s*\(\s*(?P<d>\d{1,2})(?P<s>[/.\-])(?P<m>\d{1,2})(?P=s)" + year + r"\s*\)", flags), "dateline4"),
            (re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th|er)?[\s\-./]*" + de + word + r"\.?[\s\-./,]*" + de + year, flags), "dmy"),
            (re.compile(r"\b" + word + r"\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+" + year, flags), "dmy"),
            (re.compile(r"(?<![\d/.\-])(?P<d>\d{1,2})(?P<s>[/.\-])(?P<m>\d{1,2})(?P=s)" + year + r"(?![/\-]\d)", flags), "dmy"),
            (re.compile(r"(?<![\d/.\-])(?P<y>(?:19|20)\d\d)(?P<s>[/\-])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?![\d/])", flags), "dmy"),
            (re.compile(r"\(\s*(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<yy>\d\d)\s*\)", flags), "dateline2"),
            (re.compile(r"\b(?P<wd>[^\W\d_]{3,7}(?:'[^\W\d_]{1,3})?)\.?\s*\(\s*(?P<d>\d{1,2})/(?P<m>\d{1,2})\s*\)", flags), "noyear"),
        ]
        self.relative = _relative_rx(rel)
        self.fixed_rx = re.compile(rf"\b(?P<fixed>{_alt(self.fixed)})\b", flags)
        self.weekday_before = re.compile(r"\b([^\W\d_]{3,7}(?:'[^\W\d_]{1,3})?)\.?,?\s*$")
        self.gate_words = ("/", "lalu", "ago", "emarin", "aru saja", "esterday", "ust now", "adi pagi", "adi siang")
        """Substrings (besides a 4-digit year) without which a text holds no date."""
        self._fixed_gates = tuple(g for g in self.gate_words if g != "/")
        self.year_rx = re.compile(r"(?:19|20)\d\d")
        self._year_rx = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
        self._digit = re.compile(r"\d")

    def find(self, text: str, as_of: date) -> Iterator[Found]:
        """Every date the regexes see in `text`, earlier patterns first, no overlaps."""
        taken: list[tuple[int, int]] = []
        n = len(text)
        # Dated forms with a year are searched only in a window around each 4-digit year: scanning
        # whole paragraphs with every pattern cost ~80 us per text node. It ends 7 characters past the year: a
        # year-first "-11-02" and the character after it, which the patterns' lookaheads must see (a window
        # ending at the year + 3 never read "Diposting 2023-11-02").
        windows = [(max(0, y.start() - 40), min(n, y.end() + 7)) for y in self._year_rx.finditer(text)
                   if self._may_open(text, y)]
        runs: list[tuple[re.Pattern[str], str, list[tuple[int, int]]]] = []
        if windows:
            runs += [(rx, kind, windows) for rx, kind in self.patterns if kind not in ("dateline2", "noyear")]
        if "(" in text and "/" in text:
            runs += [(rx, kind, [(0, n)]) for rx, kind in self.patterns if kind in ("dateline2", "noyear")]
        if "lalu" in text or "ago" in text or "Lalu" in text:
            runs.append((self.relative, "relative", [(0, n)]))
        if any(g in text for g in self._fixed_gates):
            runs.append((self.fixed_rx, "fixed", [(0, n)]))
        for rx, kind, spans in runs:
            for lo, hi in spans:
                for mt in rx.finditer(text, lo, hi):
                    s, e = mt.span()
                    if any(s < te and ts < e for ts, te in taken):
                        continue
                    f = self._build(mt, kind, as_of, text)
                    if f is not None:
                        taken.append((s, e))
                        yield f

    def _may_open(self, text: str, year: re.Match[str]) -> bool:
        """Whether a year's window may hold a dated form: a digit (the day) before the year, or "/" or "-" after it.

        Every windowed pattern has one or the other around its year, and a match's year is this one or an earlier
        year of the window (whose digits lie before this one): "Oktober 2012" or "© 2020" opens no window at all.
        """
        a, b = year.span()
        return self._digit.search(text, max(0, a - 40), a) is not None or text[b:b + 1] in ("/", "-")

    def slash_may_date(self, text: str) -> bool:
        """Whether `find` may see a date in a text holding no year and of the gate words only "/".

        Without a year `find` reads only the datelines in brackets ("(26/9/22)", "Senin (26/9)") and the relative
        and fixed words; every fixed gate is a gate word, and so are "lalu" and "ago" but not "Lalu".
        """
        return "(" in text or "Lalu" in text

    def _build(self, mt: re.Match[str], kind: str, as_of: date, text: str) -> Found | None:
        """Turn one regex match into a date (None when it is no valid date, or a word is no month)."""
        g = mt.groupdict()
        s, e = mt.span()
        if kind == "fixed":
            return Found(as_of - timedelta(days=self.fixed[g["fixed"].lower()]), s, e, "relative")
        if kind == "relative":
            unit = self.units.get(g["u"].lower())
            if unit is None:
                return None
            n = int(g["n"]) if g.get("n") else 1
            per, what = unit
            if what == "month":
                return Found(add_months(as_of, -n), s, e, "relative-month")
            if what == "year":
                return Found(add_months(as_of, -12 * n), s, e, "relative-year")
            return Found(as_of - timedelta(days=n // 24 if what == "hour" else n * per), s, e, "relative")
        wd = None
        if g.get("wd"):
            wd = self.weekdays.get(g["wd"].lower())
            if wd is None:
                return None
        elif kind == "dmy":
            lb = self.weekday_before.search(text, max(0, s - 12), s)
            if lb and lb.group(1).lower() in self.weekdays:
                wd, s = self.weekdays[lb.group(1).lower()], lb.start()
        mo = g["m"]
        month = int(mo) if mo.isdigit() else self.months.get(mo.lower())
        if not month:
            return None
        if kind == "noyear":
            d = _infer_year(int(g["d"]), month, wd, as_of)
            return Found(d, s, e, "dateline", wd) if d else None
        year = 2000 + int(g["yy"]) if kind == "dateline2" else int(g["y"])
        d = make_date(year, month, int(g["d"]))
        if d is None:
            return None
        return Found(d, s, e, "dateline" if kind in ("dateline2", "dateline4") else "absolute", wd)


def make_date(y: int, m: int, d: int) -> date | None:
    """A date, or None for an impossible day (31/02)."""
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    try:
        return date(y, m, d)
    except ValueError:  # 29-31 beyond the month's end
        return None


def add_months(d: date, n: int) -> date:
    """`d` moved by n calendar months, the day clamped to the month's end."""
    idx = d.year * 12 + d.month - 1 + n
    y, m = divmod(idx, 12)
    for day in (d.day, 30, 29, 28):
        out = make_date(y, m + 1, day)
        if out:
            return out
    return d


def _infer_year(day: int, month: int, wd: int | None, as_of: date) -> date | None:
    """The latest date d/m on or before as_of whose weekday matches (datelines "Senin (26/9)")."""
    for y in range(as_of.year, as_of.year - 8, -1):
        d = make_date(y, month, day)
        if d and d <= as_of and (wd is None or d.weekday() == wd):
            return d
    return None


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The packaged rules (read once, on first use)."""
    text = resources.files("crawler.signals").joinpath("data/dates.yaml").read_text(encoding="utf-8")
    return Rules(yaml.safe_load(text))


_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?")


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    """A cached ZoneInfo."""
    return ZoneInfo(name)


def local_day(dt: datetime, tz: str) -> date:
    """The calendar day of an aware datetime in the site's timezone (naive ones are taken as local)."""
    if dt.tzinfo is None:
        return dt.date()
    return dt.astimezone(_zone(tz)).date()


def ascii_digits(value: str) -> str:
    """Decimal digits of any script ("২০২০", "٢٠٢٠") as ASCII: real pages write ISO dates in them."""
    if value.isascii():
        return value
    return "".join(str(unicodedata.decimal(c)) if c.isdigit() and unicodedata.decimal(c, None) is not None else c
                   for c in value)


def parse_machine(value: str, tz: str, as_of: date) -> date | None:
    """A machine date string (ISO 8601, RFC 822, or a human date as a last resort) to a local day."""
    value = ascii_digits((value or "").strip())
    if not value:
        return None
    m = _ISO.match(value)
    if m:
        y, mo, d, hh, mm, ss, off = m.groups()
        day = make_date(int(y), int(mo), int(d))
        if day is None or not off or hh is None:
            return day
        iso = f"{y}-{int(mo):02d}-{int(d):02d}T{int(hh):02d}:{mm}:{ss or '00'}{'+00:00' if off == 'Z' else off}"
        try:
            return local_day(datetime.fromisoformat(iso), tz) if _valid_iso(iso) else day
        except ValueError:  # an offset beyond ±24 h ("+99:99"): the calendar day is still good
            return day
    if value[:3].isalpha() and "," in value[:5] or re.match(r"^\d{1,2} \w{3} \d{4} \d", value):
        dt = _rfc822(value)
        if dt is not None:
            return local_day(dt, tz)
    for f in rules().find(value, as_of):
        if f.form == "absolute":
            return f.day
    return _dateparser(value)


def _valid_iso(iso: str) -> bool:
    """Whether fromisoformat accepts the rebuilt string (offsets like +0700 need a colon before 3.11)."""
    return bool(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[+-]\d\d:?\d\d)$", iso)) and int(iso[11:13]) < 24


def _rfc822(value: str) -> datetime | None:
    """RFC 822 dates of feeds and HTTP headers (None when unreadable)."""
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):  # the stdlib signals unreadable dates by raising
        return None


def parse_http_date(value: str | None) -> datetime | None:
    """An HTTP-date header value as an aware datetime (None when absent or unreadable)."""
    return _rfc822(value) if value else None


_DP_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month", "year"],
                "TIMEZONE": "Asia/Jakarta"}


def _dateparser(value: str) -> date | None:
    """Rare formats only: dateparser with explicit languages (never autodetect: slow and MDY)."""
    if len(value) > 80 or not re.search(r"\d", value):
        return None
    if len(value) <= 4 and value.isascii() and value.isdigit():
        return None   # a bare year ("2006") never gives day, month and year (all 11,110 such strings checked)
    import dateparser  # imported lazily: 0.14 s import, and most pages never need it

    dt = dateparser.parse(value, languages=["id", "en"], settings=_DP_SETTINGS)
    return dt.date() if dt else None
