"""Deterministic content of the simulated OPD sites: roles, posts, pages, documents and truth."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

LISTED = 15          # posts a site links at most (its listings show the newest ones)
PER_PAGE = 10        # posts per listing page
IDLE_DAYS, STALE_DAYS = 30, 14


@lru_cache(maxsize=1)
def data() -> dict[str, Any]:
    """The packaged sites.yaml, parsed once."""
    text = resources.files("simweb").joinpath("sites.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass
class Post:
    """One news post; `day` is its real posting date."""

    n: int
    day: date
    hh: int
    mm: int
    title: str
    slug: str
    body: list[str]
    genuine: bool = True
    empty_date: bool = False     # the CMS lost its creation date and prints "today"
    path: str = ""


@dataclass
class Doc:
    """A PDF document of a checklist item."""

    item: str
    title: str
    year: int
    path: str = ""


@dataclass
class Page:
    """A static page: an item page, a placeholder, a documents list, etc."""

    n: int
    kind: str            # item | placeholder | empty | berkala | unduhan | kontak | sample | search | admin | static
    title: str
    item: str | None = None
    body: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)   # (label, href) shown on the page
    docs: list[Doc] = field(default_factory=list)
    path: str = ""


@dataclass
class SimSite:
    """One simulated OPD website (public: id, name, url, category, cms)."""

    index: int
    id: str
    name: str
    category: str
    cms: str
    kind: str
    schedule: str
    traps: list[str]
    variant: int
    date_style: str
    section: str
    url: str = ""
    posts: list[Post] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)
    menu: list[tuple[str, str | list[tuple[str, str]]]] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)     # item -> path or absolute URL
    disallow: str = "/admin/"
    weather: str = ""
    created: date = date(2018, 1, 1)
    attack: str | None = None          # role's attack kind (compromised sites)
    hack: Any = None                   # attacks.Attack drawn for this seed
    suspended_since: date | None = None
    style: str = "pretty"              # WordPress URL/theme style: pretty | plain | block_plain | pathinfo
    crawl_delay: float | None = None   # a robots.txt Crawl-delay line (set by tests; no role draws it)

    @property
    def plain(self) -> bool:
        """Plain permalinks (?p=N, ?cat=N, ?feed=rss2, index.php?rest_route=/)."""
        return self.cms == "wordpress" and self.style in ("plain", "block_plain")

    @property
    def block(self) -> bool:
        """A block theme: listings are query loops of li.wp-block-post under a fixed theme heading."""
        return self.cms == "wordpress" and self.style == "block_plain"

    @property
    def wp_prefix(self) -> str:
        """'/index.php' on a PATHINFO-permalink WordPress, else ''."""
        return "/index.php" if self.cms == "wordpress" and self.style == "pathinfo" else ""

    def attacked(self, today: date) -> bool:
        """Whether the site's attack is in place on `today`."""
        return self.hack is not None and self.hack.on(today)

    def suspended(self, today: date) -> bool:
        """Whether the registry has suspended the site's domain on `today`."""
        return self.suspended_since is not None and today >= self.suspended_since

    def visible_posts(self, today: date) -> list[Post]:
        """Posts published by `today`, newest id first, as the CMS lists them (at most LISTED)."""
        shown = [p for p in self.posts if p.day <= today]
        shown.sort(key=lambda p: p.n, reverse=True)
        return shown[:LISTED]


def _slug(text: str) -> str:
    """A URL slug from a title."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:70]


def _schedule(rng: random.Random, spec: dict[str, Any] | None, base: date) -> list[date]:
    """Posting days, oldest first, running back from a seeded stop day to a seeded start."""
    if not spec:
        return []
    stop = base + timedelta(days=rng.randint(*spec["stop"]))
    start = min(stop, base) - timedelta(days=rng.randint(60, 300))
    days, d = [], stop
    while d >= start:
        days.append(d)
        d -= timedelta(days=rng.randint(*spec["gap"]))
    return sorted(days)


def _title(rng: random.Random, d: dict[str, Any], day: date, fiscal: bool) -> str:
    """A news title; fiscal-year titles put plan years in it (dates that are not updates)."""
    if fiscal and rng.random() < 0.3:
        tpl = rng.choice(d["fiscal_titles"])
        return tpl.format(year=day.year, y0=day.year - 1, y1=day.year + 4, next=day.year + 1)
    return f"{rng.choice(d['title_verbs'])} {rng.choice(d['title_objects'])} di {rng.choice(d['title_places'])}"


def _head(name: str, category: str) -> str:
    """Title of the site's head, for config."""
    if category == "kecamatan":
        return "Camat " + name.removeprefix("Kecamatan ")
    if category in ("dinas", "badan", "satuan"):
        return "Kepala " + name
    return "Pimpinan " + name


def head_of(site: SimSite) -> dict[str, str]:
    """A placeholder head for config (real heads live in Diskominfo's config)."""
    prefix = "kadis" if site.category == "dinas" else "pimpinan"
    return {"name": f"{_head(site.name, site.category)} (simulasi)", "email": f"{prefix}.{site.id}@simweb.test"}


DATE_STYLES = {
    "wordpress": ["id_long", "en_long", "id_day_long", "us_id", "en_short", "post_on"],
    "custom": ["id_day_long", "numeric_wib", "id_day_dash_wib", "homemade", "nbsp", "id_dot_time", "pipe_wib",
               "short_day", "comma_seconds", "numeric_dash", "old_spelling_day"],
    # The blog style is the one the extractors are not tuned on: its formats are in no page of
    # tests/pages/dates and in no other style here (tests/test_simweb.py checks both).
    "blog": ["time_first", "stray_space", "en_short_us", "numeric_2digit_time", "dateline_only"],
    "static": ["none"],
}


def build_site(index: int, seed: int, base: date) -> SimSite:
    """The site at `index`: role by position, content by seed."""
    d = data()
    opd = d["opd"]
    if index < len(opd):
        sid, name, category = opd[index]
    else:
        sid, name, category = f"opd-{index + 1:04d}", f"Perangkat Daerah Simulasi {index + 1}", "dinas"
    role = d["roles"][index % len(d["roles"])]
    rng = random.Random(f"simweb:{seed}:{index}:{base.isoformat()}")
    cms = role["cms"]
    site = SimSite(
        index=index, id=sid, name=name, category=category, cms=cms, kind=role["kind"],
        schedule=role["schedule"], traps=list(role["traps"]), variant=rng.randint(0, 1),
        date_style=rng.choice(DATE_STYLES[cms]), section=rng.choice(d["sections"]),
        disallow="/admin/" if index % 2 == 0 else "/cari", weather=rng.choice(d["weather"]),
        attack=role.get("attack"), style=role.get("style", "pretty"),
    )
    site.created = base - timedelta(days=rng.randint(900, 2500))
    if site.kind == "compromised":
        site.traps.append(role.get("attack") or "hidden_links")
    site.traps.append("robots_disallow")
    _build_posts(site, rng, d, base)
    _build_checklist(site, rng, d, base)
    assign_paths(site)
    return site


def _build_posts(site: SimSite, rng: random.Random, d: dict[str, Any], base: date) -> None:
    """Scheduled posts (plus the fresh-install and empty-date traps)."""
    if site.kind == "fresh":
        hello = Post(1, base - timedelta(days=9), 8, 3, "Halo dunia!", "halo-dunia",
                     ["Selamat datang di WordPress. Ini adalah pos pertama Anda. Sunting atau hapus, kemudian mulai menulis!"],
                     genuine=False)
        site.posts = [hello]
        return
    days = _schedule(rng, d["schedules"][site.schedule], base)
    fiscal = "fiscal_year_titles" in site.traps
    slugs: set[str] = set()
    for i, day in enumerate(days):
        title = _title(rng, d, day, fiscal)
        body = rng.sample(d["body_sentences"], 3)
        slug = _slug(title)
        while slug in slugs:       # WordPress appends -2, -3 to duplicate slugs
            slug += "-2"
        slugs.add(slug)
        site.posts.append(Post(10 + i * 3, day, rng.randint(7, 16), rng.randint(0, 59), title, slug, body))
    if "antijudi_news" in site.traps and site.posts:
        older = [p for p in site.posts if p.day <= base - timedelta(days=3)]
        p = older[-1] if older else site.posts[0]
        p.title = d["antijudi"]["title"].format(short_name=site.name)
        p.slug = _slug(p.title)
        p.body = list(d["antijudi"]["body"])
    if "empty_date_today" in site.traps and len(site.posts) > 6:
        visible = [p for p in site.posts if p.day <= base]
        anchor = visible[-4] if len(visible) >= 4 else site.posts[0]
        title = "Pemberitahuan Jadwal Pelayanan Administrasi"
        site.posts.append(Post(anchor.n + 1, anchor.day, 0, 0, title, _slug(title),
                               rng.sample(d["body_sentences"], 2), genuine=False, empty_date=True))
    site.posts.sort(key=lambda p: p.n)


TRAP_KINDS = ["menu_hash", "link_404", "placeholder", "empty_page"]


def _build_checklist(site: SimSite, rng: random.Random, d: dict[str, Any], base: date) -> None:
    """Which checklist items the site holds, where, and which traps stand for missing ones."""
    items: dict[str, Any] = d["checklist"]
    if site.kind == "fresh":
        site.pages.append(Page(2, "sample", "Halaman Contoh", body=[
            "Ini adalah contoh halaman. Halaman ini berbeda dengan pos blog karena akan tetap di satu tempat."]))
        site.pages.append(Page(3, "search", "Pencarian", body=["Masukkan kata kunci pencarian."]))
        site.pages.append(Page(4, "admin", "Login Administrator", body=["Silakan masuk dengan akun Anda."]))
        return
    if site.kind == "static":
        chosen = rng.sample(["profil", "visi_misi", "tugas_fungsi", "struktur_organisasi", "kontak"], rng.randint(3, 5))
        present = {k: "page" for k in chosen}
        missing_traps: dict[str, str] = {}
    else:
        p = rng.uniform(0.3, 0.75)
        present, missing_traps = {}, {}
        for item, spec in items.items():
            if rng.random() < p:
                if spec.get("offhost") and rng.random() < 0.4:
                    present[item] = "offhost"
                elif spec.get("doc") and rng.random() < 0.35:
                    present[item] = "pdf"
                else:
                    present[item] = "page"
            elif rng.random() < 0.35:
                missing_traps[item] = rng.choice(TRAP_KINDS)
    n = iter(range(101, 10_000, 7))
    names = {g: rng.choice(variants) for g, variants in d["groups"].items()}   # this site's menu parents
    groups: dict[str, list[tuple[str, str]]] = {g: [] for g in d["groups"]}
    top: list[tuple[str, str]] = []
    unduhan: list[Doc] = []
    for item, spec in items.items():
        mode = present.get(item)
        doc = _doc(site, item, spec, base, rng) if spec.get("doc") and mode in ("page", "pdf") else None
        label = _label(rng.choice(spec["labels"]), doc, base)
        group = spec["group"] if isinstance(spec["group"], str) else rng.choice(spec["group"])
        href: str | None = None
        if mode == "offhost":
            href = spec["offhost"]
            site.evidence[item] = href
        elif mode in ("page", "pdf"):
            if doc:
                site.docs.append(doc)
                unduhan.append(doc)
            if mode == "pdf" and doc:
                href = doc
                site.evidence[item] = doc  # resolved to a path below
            else:
                kind = "kontak" if item == "kontak" else "item"
                text = d["item_text"].get(item, "").format(name=site.name, short_name=site.name)
                page = Page(next(n), kind, label, item=item, body=[text] if text else [], docs=[doc] if doc else [])
                site.pages.append(page)
                href = page
                site.evidence[item] = page  # resolved to a path below
        elif item in missing_traps:
            trap = missing_traps[item]
            if trap not in site.traps:
                site.traps.append(trap)
            if trap == "menu_hash":
                href = rng.choice(["#", "javascript:void(0)"])
            elif trap == "link_404":
                # plain-permalink WordPress answers unknown paths with the home page: its dead links are page ids
                href = f"/?page_id={9000 + len(site.traps)}" if site.plain else f"/404/{item}"
            else:
                kind = "placeholder" if trap == "placeholder" else "empty"
                body = [rng.choice(d["placeholders"])] if kind == "placeholder" else []
                page = Page(next(n), kind, label, item=None, body=body)
                site.pages.append(page)
                href = page
        if href is None:
            continue
        if group == "top":
            top.append((label, href))
        else:
            groups[group].append((label, href))
    if groups["berkala"]:
        page = Page(next(n), "berkala", names["berkala"], links=groups.pop("berkala"))
        site.pages.append(page)
        groups["ppid"].append((page.title, page))
    else:
        groups.pop("berkala")
    if unduhan and site.cms != "static":
        page = Page(next(n), "unduhan", names["unduhan"], docs=list(unduhan))
        site.pages.append(page)
        if groups["unduhan"]:   # Unduhan > Dokumen, Regulasi: the documents page is one entry of the menu
            groups["unduhan"].insert(0, ("Semua Dokumen", page))
        else:
            top.insert(0, (page.title, page))
    site.pages.append(Page(next(n), "search", "Pencarian", body=["Masukkan kata kunci pencarian."]))
    site.pages.append(Page(next(n), "admin", "Login Administrator", body=["Silakan masuk dengan akun Anda."]))
    assign_paths(site)
    resolve = lambda h: h.path if isinstance(h, (Page, Doc)) else h  # noqa: E731
    site.evidence = {item: resolve(ev) for item, ev in site.evidence.items()}
    for page in site.pages:
        page.links = [(lab, resolve(h)) for lab, h in page.links]
    for g, links in groups.items():
        if links:
            site.menu.append((names[g], [(lab, resolve(h)) for lab, h in links]))
    site.menu.extend((lab, resolve(h)) for lab, h in top)


def _label(tpl: str, doc: Doc | None, base: date) -> str:
    """A menu label with the year of its document (labels with years are common: "LKjIP 2025", "DIP 2026")."""
    year = doc.year if doc else base.year - 1
    return tpl.format(year=year, span=f"{year - 5}-{year}")


def _doc(site: SimSite, item: str, spec: dict[str, Any], base: date, rng: random.Random) -> Doc:
    """A PDF of a document item, for a fiscal year (sometimes outdated)."""
    year = base.year - (1 if rng.random() < 0.7 else 3)
    if item == "anggaran":
        year = base.year
        return Doc(item, f"DPA APBD {year}", year)
    if item == "renstra":
        y0 = base.year - 2 - rng.randint(0, 3)
        return Doc(item, f"Renstra {y0}-{y0 + 5}", y0 + 5)
    return Doc(item, f"{spec['doc'].replace('-', ' ')} {year}", year)


def assign_paths(site: SimSite) -> None:
    """URL shapes of the site's CMS for posts, pages and documents."""
    for p in site.posts:
        p.path = post_path(site, p)
    # a trashed page keeps its slug in WordPress, so its successor gets "-2" (ppid/berkala-2 on real sites)
    slugs = {"berkala", "informasi-berkala"} if site.variant else set()
    for pg in site.pages:
        pg.path = page_path(site, pg, slugs)
    for doc in site.docs:
        name = re.sub(r"[^A-Za-z0-9]+", "-", doc.title).strip("-") + ".pdf"
        if site.cms == "wordpress":
            doc.path = f"/wp-content/uploads/{doc.year}/03/{name}"
        else:
            doc.path = f"/uploads/{doc.year}/{name}"


def post_path(site: SimSite, p: Post) -> str:
    """Where a post lives."""
    if site.plain:
        return f"/?p={p.n}"
    if site.cms == "wordpress":
        return f"{site.wp_prefix}/{p.day:%Y/%m/%d}/{p.slug}/"
    if site.cms == "custom":
        return f"/index.php/berita/detail/{p.n}" if site.variant == 0 else f"/web/detail-berita/{p.n}/{p.slug}"
    return f"/{p.day:%Y/%m}/{p.slug}.html" if site.variant == 0 else f"/artikel/{p.slug}/"


def page_path(site: SimSite, pg: Page, taken: set[str] | None = None) -> str:
    """Where a page lives (search and admin pages have fixed paths; `taken`: slugs already given on the site)."""
    if pg.kind == "search":
        return "/cari"
    if pg.kind == "admin":
        return "/admin/"
    if site.cms == "wordpress" and (site.plain or site.kind == "fresh" or taken is None):
        return f"/?page_id={pg.n}"
    if site.cms == "wordpress":
        # pretty permalinks: a page's slug is its first title; a second page of the same title gets -2 (berkala-2)
        first = slug = _slug(pg.title) or str(pg.n)
        k = 2
        while slug in taken:
            slug, k = f"{first}-{k}", k + 1
        taken.add(slug)
        return f"{site.wp_prefix}/{slug}/"
    if site.cms == "custom":
        return f"/page_menu/index/{pg.n}"
    if site.cms == "blog":
        return f"/p/{_slug(pg.title)}-{pg.n}.html"
    return f"/{_slug(pg.title)}.html"


def listing_paths(site: SimSite, pages: int) -> list[str]:
    """The news listing pages (page 1 first)."""
    if site.plain:
        first = f"/?cat={category_id(site)}"
        return [first] + [f"{first}&paged={i}" for i in range(2, pages + 1)]
    if site.cms == "wordpress":
        first = f"{site.wp_prefix}/category/{site.section.lower()}/"
        return [first] + [f"{first}page/{i}/" for i in range(2, pages + 1)]
    if site.cms == "custom":
        first = "/index.php/berita" if site.variant == 0 else "/web/berita"
        return [first] + [f"{first}?page={i}" for i in range(2, pages + 1)]
    if site.cms == "blog":
        first = f"/{site.section.lower()}/"
        return [first] + [f"{first}page/{i}/" for i in range(2, pages + 1)]
    return []


def category_id(site: SimSite) -> int:
    """The news category's id (1, "Tak Berkategori", on a fresh install)."""
    return 1 if site.kind == "fresh" else 3 + site.index % 5


def outage(site: SimSite, today: date, base: date) -> bool:
    """Whether the site refuses connections on `today`'s night."""
    cal = data()["outages"].get(site.kind)
    if not cal:
        return False
    return (today - base).days % cal["every"] in cal["down_on"]


def truth(site: SimSite, today: date, base: date) -> dict[str, Any]:
    """What a correct monitor should conclude about the site on `today` (the rules of docs/statuses.md)."""
    genuine = [p for p in site.visible_posts(today) if p.genuine]
    newest = max(genuine, key=lambda p: (p.day, p.n)) if genuine else None
    evidence = {k: absolute(site, v) for k, v in site.evidence.items()}
    if newest:
        evidence["berita"] = absolute(site, listing_paths(site, 1)[0])
    held = {
        "last_update": newest.day.isoformat() if newest else None,
        "last_update_url": absolute(site, newest.path) if newest else None,
        "checklist": sorted(evidence),
    }
    integrity = [site.hack.kind] if site.attacked(today) else []
    reason = None
    if outage(site, today, base):
        status, reason = "down", "connect"
    elif site.suspended(today):
        status, reason = "down", "suspended"
    elif site.kind == "http_5xx":
        status, reason = "down", "http_5xx"
    elif integrity:
        status = "compromised"
    elif newest is None or (today - newest.day).days > IDLE_DAYS:
        status = "idle"
    elif (today - newest.day).days > STALE_DAYS:
        status = "stale"
    else:
        status = "active"
    reachable = reason is None
    return {
        "status": status,
        "reason": reason,
        "last_update": held["last_update"] if reachable else None,
        "last_update_url": held["last_update_url"] if reachable else None,
        "days_since_update": (today - newest.day).days if newest and reachable else None,
        "checklist": held["checklist"] if reachable else [],
        "evidence": evidence if reachable else {},
        "documents": {d.item: {"url": absolute(site, d.path), "year": d.year} for d in site.docs} if reachable else {},
        "integrity": integrity,
        "cms": site.cms,
        "traps": sorted(set(site.traps)),
        "held": held,
    }


def absolute(site: SimSite, path: str) -> str:
    """An absolute URL on the site (off-host URLs pass through)."""
    if path.startswith("http"):
        return path
    return site.url.rstrip("/") + path
