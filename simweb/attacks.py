"""What attackers (and the domain registry) do to simulated sites: injected pages, cloaking, defacement, suspension."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from .model import SimSite, data

ATTACKS = ("hidden_links", "spam_page", "cloaking", "defacement")


@dataclass
class Attack:
    """One site's attack, drawn once per seed: `kind` is the truth's integrity kind."""

    kind: str
    since: date | None = None                 # None: always there (the original hidden-links site)
    brand: str = ""
    domain: str = ""
    title: str = ""
    heading: str = ""
    sentences: list[str] = field(default_factory=list)
    anchors: list[tuple[str, str]] = field(default_factory=list)   # (label, absolute URL off the site)
    path: str = ""                            # the injected page (spam_page)
    full_page: bool = False                   # cloaking: a whole landing page rather than a rewritten home
    hide: str = "display_none"               # hidden_links: display_none (footer) | offscreen_widget (sidebar)
    team: str = ""
    message: str = ""
    greeting: str = ""

    def on(self, today: date) -> bool:
        """Whether the attack is in place on `today`."""
        return self.since is None or today >= self.since


def _brand(rng: random.Random) -> str:
    """A brand-like gambling name with digits (<word>88, <word>4d)."""
    a = data()["attacks"]
    return rng.choice(a["brand_stems"]) + rng.choice(a["brand_suffixes"])


def _fill(text: str, brand: str, **more: object) -> str:
    """A template with the brand in lower case ({brand}) and as spam pages capitalise it ({Brand})."""
    return text.format(brand=brand, Brand=brand.upper() if brand[-1].isdigit() and len(brand) < 8 else brand.title(),
                       **more)


def build(site: SimSite, seed: int, base: date) -> tuple[Attack | None, date | None]:
    """The attack on a compromised site and the day a suspended one was cut off (seeded, own rng)."""
    a = data()["attacks"]
    rng = random.Random(f"simweb-attack:{seed}:{site.index}:{base.isoformat()}")
    since = base - timedelta(days=rng.randint(*a["since_days"]))
    if site.kind == "suspended":
        return None, since
    if site.kind != "compromised":
        return None, None
    kind = site.attack or "hidden_links"
    if kind == "hidden_links":
        # the block of fixed links, there since before any crawl: a display:none footer div, or a text widget
        # pushed off-screen (position:absolute; left:-9999px) as injected WordPress widgets are
        return Attack(kind, hide=rng.choice(["display_none", "offscreen_widget"])), None
    brand = _brand(rng)
    domain = rng.choice(a["domain_shapes"]).format(brand=brand)
    att = Attack(kind, since=since, brand=brand, domain=domain)
    att.title = _fill(rng.choice(a["spam_titles"]), brand, year=base.year)
    att.heading = _fill(rng.choice(a["spam_headings"]), brand)
    att.sentences = [_fill(s, brand) for s in rng.sample(a["spam_sentences"], rng.randint(4, 6))]
    paths = ["/", "/daftar", "/login", "/rtp-live", "/link-alternatif"]
    att.anchors = [(_fill(lab, brand), f"https://{domain}{rng.choice(paths)}")
                   for lab in rng.sample(a["spam_anchors"], rng.randint(3, 5))]
    if kind == "spam_page":
        slug = re.sub(r"[^a-z0-9]+", "-", att.heading.lower()).strip("-")
        shape = rng.choice(a["injected_paths"][site.cms])
        att.path = shape.format(y=since.year, m=f"{since.month:02d}", brand=brand, slug=slug)
    elif kind == "cloaking":
        att.full_page = rng.random() < 0.5
    elif kind == "defacement":
        att.team = rng.choice(a["deface_teams"])
        att.title = rng.choice(a["deface_titles"]).format(team=att.team)
        att.message = rng.choice(a["deface_messages"])
        att.greeting = rng.choice(a["deface_greetings"]).format(team=att.team)
    return att, None


def is_search_bot(user_agent: str | None, referer: str | None) -> bool:
    """Whom cloaking scripts serve the spam copy: a search crawler's UA, or a visitor arriving from Google."""
    ua, ref = (user_agent or "").lower(), (referer or "").lower()
    return "googlebot" in ua or "google." in ref


# -- pages ------------------------------------------------------------------------------------

def spam_landing(att: Attack, today: date, lang: str = "id") -> bytes:
    """A standalone gambling landing page, as dropped by an uploader script (not the site's template)."""
    links = "".join(f'<li><a href="{escape(u)}" class="btn">{escape(lab)}</a></li>' for lab, u in att.anchors)
    paras = "".join(f"<p>{escape(s)}</p>" for s in att.sentences)
    html = (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(att.title)}</title>"
        f'<meta name="description" content="{escape(att.sentences[0])}">'
        f'<link rel="canonical" href="https://{escape(att.domain)}/">'
        '<style>body{background:#111;color:#ffd700;font-family:sans-serif}.btn{background:#e60000;color:#fff;padding:8px}</style>'
        f'</head>\n<body><header><h1>{escape(att.heading)}</h1></header>\n'
        f'<main>{paras}<ul class="cta">{links}</ul>'
        f"<p>RTP live diperbarui: {today.day:02d}/{today.month:02d}/{today.year}</p></main>\n"
        f'<footer><p>&copy; {today.year} {escape(att.brand.upper())} All rights reserved.</p></footer>\n</body></html>\n'
    )
    return html.encode("utf-8")


def cloaked_block(att: Attack) -> str:
    """The spam the search-engine copy of a home page carries inside the normal template."""
    links = " | ".join(f'<a href="{escape(u)}">{escape(lab)}</a>' for lab, u in att.anchors)
    paras = "".join(f"<p>{escape(s)}</p>" for s in att.sentences[:3])
    return f'<section class="seo-content"><h1>{escape(att.heading)}</h1>{paras}<p>{links}</p></section>'


def defaced_main(att: Attack) -> str:
    """What defacers put where the home page's content was."""
    return (f'<div class="deface" style="text-align:center"><h1>{escape(att.title)}</h1>'
            f"<h2>{escape(att.team)}</h2><p>{escape(att.message)}</p>"
            f"<p><small>{escape(att.greeting)}</small></p></div>")


def suspension_page(site: SimSite) -> bytes:
    """The registry's page for a go.id name suspended over an unpaid rental fee (every path answers it)."""
    s = data()["attacks"]["suspension"]
    domain = f"{site.id}.pematangsiantar.go.id"
    paras = "".join(f"<p>{escape(p.format(host=domain))}</p>" for p in s["body"])
    html = (
        '<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
        f'<title>{escape(s["title"])}</title></head>\n<body style="font-family:sans-serif;text-align:center">'
        f'<div class="notice"><h1>{escape(s["heading"])}</h1>{paras}</div></body></html>\n'
    )
    return html.encode("utf-8")
