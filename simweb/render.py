"""Pages of the simulated sites: one small template family per CMS style, routed by path."""
from __future__ import annotations

import json
import random
from datetime import date, timedelta
from html import escape
from typing import Any

from . import attacks
from .machine import Response, _dt, _newest, api_root, atom, feed, feed_path, robots, sitemap, wp_posts, wp_root
from .model import PER_PAGE, Doc, Page, Post, SimSite, absolute, category_id, data, listing_paths

# -- dates as CMSs print them ---------------------------------------------------------------

def fmt_date(style: str, day: date, hh: int = 0, mm: int = 0) -> str:
    """A date in one of the formats seen on OPD sites (HTML-ready; may hold &nbsp;)."""
    d = data()
    mid, men, mhome = d["months_id"][day.month - 1], d["months_en"][day.month - 1], d["months_homemade"][day.month - 1]
    mold, mshort = d["months_old"][day.month - 1], d["months_short_id"][day.month - 1]
    wd = d["days_id"][day.weekday()]
    table = {
        "id_long": f"{day.day} {mid} {day.year}",
        "en_long": f"{men} {day.day}, {day.year}",
        "id_day_long": f"{wd}, {day.day} {mid} {day.year}",
        "numeric_wib": f"{day:%d/%m/%Y} {hh:02d}:{mm:02d} WIB",
        "id_day_dash_wib": f"{wd}, {day.day} {mid} {day.year} - {hh:02d}:{mm:02d} WIB",
        "homemade": f"{day.day} {mhome} {day.year}",
        "nbsp": f"{day.day}&nbsp;{mid}&nbsp;{day.year}",
        "id_dot_time": f"{wd}, {day.day} {mid} {day.year} {hh:02d}.{mm:02d}",
        "us_id": f"{mid} {day.day}, {day.year}",
        "en_short": f"{day.day:02d} {men[:3]} {day.year}",
        "pipe_wib": f"{day.day} {mid} {day.year} | {hh:02d}:{mm:02d} WIB",
        "short_day": f"{d['days_short'][day.weekday()]}, {day.day} {mid} {day.year}",
        "comma_seconds": f"{day.day} {mid} {day.year}, {hh:02d}:{mm:02d}:{(hh * mm) % 60:02d} WIB",
        "post_on": f"Post on {day:%d}-{men[:3]}-{day.year}",
        "numeric_dash": f"{day.day}-{day.month}-{day.year}",
        "old_spelling_day": f"{wd}, {day.day} {mold} {day.year}",
        # the blog style's formats, whose printed shapes are in no page of tests/pages/dates: a news CMS's
        # time-first line, a tgl_indo() with a stray space, an English-locale theme's "M j, Y", a two-digit
        # year with the time, and no date at all but the body's dateline (dateline_only)
        "time_first": f"{hh:02d}:{mm:02d}:{(hh * mm) % 60:02d}, {day.day} {mshort} {day.year}",
        "stray_space": f"{wd} , {day.day} {mid} {day.year}",
        "en_short_us": f"{men[:3]} {day.day}, {day.year}",
        "numeric_2digit_time": f"{day:%d/%m}/{day.year % 100:02d} {hh:02d}:{mm:02d}",
        "dateline_only": "",
    }
    return table.get(style, table["id_long"])


def relative(today: date, day: date, hh: int, english: bool = False) -> str:
    """A blog listing's relative date against today: Indonesian news style without "yang" ("3 hari lalu"), or
    (`english`) a theme left on the English locale ("3 days ago"); neither form is in tests/pages/dates."""
    delta = (today - day).days
    units = [(365, "tahun", "year"), (30, "bulan", "month"), (7, "minggu", "week"), (1, "hari", "day")]
    if delta <= 0:
        n, id_unit, en_unit = hh % 5 + 1, "jam", "hour"
        if not english and hh % 2:
            return "baru saja"
    else:
        size, id_unit, en_unit = next(u for u in units if delta >= u[0])
        n = delta // size
    if english:
        return f"{n} {en_unit}{'s' if n > 1 else ''} ago"
    return f"{n} {id_unit} lalu"


def shown_date(site: SimSite, p: Post, today: date) -> str:
    """The date a post page prints (today for a post whose creation date was lost)."""
    if p.empty_date:
        return fmt_date(site.date_style, today)
    return fmt_date(site.date_style, p.day, p.hh, p.mm)


# -- page shell -------------------------------------------------------------------------------

def _href(site: SimSite, path: str) -> str:
    """WordPress prints absolute links; the others root-relative ones."""
    if site.cms == "wordpress" and path.startswith("/"):
        return escape(absolute(site, path))
    return escape(path)


def _menu(site: SimSite) -> str:
    """The nested main menu (parents are '#' toggles, as themes do)."""
    out = [f'<li><a href="{_href(site, "/")}">Beranda</a></li>']
    lists = listing_paths(site, 1)
    if lists and site.posts and site.kind != "fresh":
        out.append(f'<li><a href="{_href(site, lists[0])}">{escape(site.section)}</a></li>')
    if site.kind == "fresh":
        out.append(f'<li><a href="{_href(site, "/?page_id=2")}">Halaman Contoh</a></li>')
    icon = '<i class="fa fa-angle-right"></i> ' if site.index % 3 == 1 else ""   # icon-font themes
    for label, target in site.menu:
        if isinstance(target, list):
            subs = "".join(f'<li><a href="{_href(site, h)}">{icon}{escape(lab)}</a></li>' for lab, h in target)
            out.append(f'<li class="menu-item-has-children"><a href="#">{escape(label)}</a><ul class="sub-menu">{subs}</ul></li>')
        else:
            out.append(f'<li><a href="{_href(site, target)}">{escape(label)}</a></li>')
    links = "".join(f'<li><a href="{escape(u)}" target="_blank" rel="noopener">{escape(lab)}</a></li>'
                    for u, lab in data()["filler"]["links"])
    out.append(f'<li class="menu-item-has-children"><a href="#">Tautan</a><ul class="sub-menu">{links}</ul></li>')
    return '<nav class="main-navigation"><ul class="menu">' + "".join(out) + "</ul></nav>"


def _widgets(site: SimSite, today: date) -> str:
    """Sidebar widgets: upcoming events and visitor counters carry dates that are not updates."""
    d = data()
    rng = random.Random(f"{site.id}:{today.isoformat()}")
    out = []
    if "agenda_widget" in site.traps:
        items = []
        for ev in rng.sample(d["agenda_events"], 2):
            when = today + timedelta(days=rng.randint(3, 40))
            items.append(f"<li>{escape(ev)} akan dilaksanakan {fmt_date('id_long', when)} mendatang</li>")
        out.append('<section class="widget kegiatan"><h3>Kegiatan Mendatang</h3><ul>' + "".join(items) + "</ul></section>")
    if "visitor_counter" in site.traps:
        out.append('<section class="widget statistik"><h3>Statistik Pengunjung</h3>'
                   f"<p>Pengunjung hari ini: {rng.randint(20, 400)}</p>"
                   f"<p>Total pengunjung: {rng.randint(20_000, 900_000):,}</p>".replace(",", ".")
                   + f"<p>Terakhir login: {today:%d/%m/%Y}</p></section>")
    out.append(_filler_widgets(site, today))
    if site.hack is not None and site.hack.kind == "hidden_links" and site.hack.hide == "offscreen_widget":
        links = " ".join(f'<a href="{escape(u)}">{escape(t)}</a>' for u, t in d["spam_links"])
        out.append('<section class="widget widget_text"><div class="textwidget" '
                   f'style="position:absolute; left:-9999px">{links}</div></section>')
    return '<aside class="sidebar widget-area">' + "".join(out) + "</aside>"


def _filler_widgets(site: SimSite, today: date) -> str:
    """What real sidebars carry besides dates: recent titles (undated), an archive dropdown, related links."""
    f = data()["filler"]
    recent = "".join(f'<li><a href="{_href(site, p.path)}">{escape(p.title)}</a></li>'
                     for p in site.visible_posts(today)[:5])
    months = sorted({(p.day.year, p.day.month) for p in site.posts if p.day <= today}, reverse=True)[:12]
    opts = "".join(f"<option>{data()['months_id'][m - 1]} {y}</option>" for y, m in months)
    links = "".join(f'<li><a href="{escape(u)}" target="_blank" rel="noopener">{escape(lab)}</a></li>' for u, lab in f["links"])
    out = ""
    if recent:
        out += f'<section class="widget widget_recent_entries"><h3 class="widget-title">Tulisan Terbaru</h3><ul>{recent}</ul></section>'
    if opts:
        out += ('<section class="widget widget_archive"><h3 class="widget-title">Arsip</h3>'
                f'<select name="archive-dropdown"><option value="">Pilih Bulan</option>{opts}</select></section>')
    out += f'<section class="widget widget_links"><h3 class="widget-title">Tautan Terkait</h3><ul>{links}</ul></section>'
    return out


def _theme_css(site: SimSite) -> str:
    """A theme's inline stylesheet and script, as real pages carry (most of their weight; no dates in it)."""
    rng = random.Random(f"css:{site.id}")
    parts = []
    for block in ("site-header", "main-navigation", "sub-menu", "entry-title", "entry-meta", "entry-content", "widget",
                  "widget-title", "site-footer", "pagination", "wp-block-post", "wp-block-group", "sidebar", "top-bar",
                  "menu-item-has-children", "kontainer", "baris", "kolom", "tombol", "kartu", "judul", "gambar"):
        for state in ("", ":hover", " a", " ul", " li", " p", " h2", " h3"):
            parts.append(f".{block}{state}{{margin:{rng.randint(0, 24)}px {rng.randint(0, 32)}px;padding:{rng.randint(0, 16)}px;"
                         f"color:#{rng.randint(0, 0xFFFFFF):06x};font-size:{rng.randint(12, 28)}px;line-height:1.{rng.randint(2, 8)}}}")
    script = ("var siteConfig={ajaxUrl:'/wp-admin/admin-ajax.php',menuToggle:true,lazyLoad:true,sliderSpeed:"
              f"{rng.randint(3, 9)}000}};document.addEventListener('DOMContentLoaded',function(){{var t=document."
              "querySelectorAll('.menu-item-has-children > a');for(var i=0;i<t.length;i++){t[i].addEventListener('click',"
              "function(e){e.preventDefault();this.parentNode.classList.toggle('open');});}});")
    return f'<style id="theme-inline-css">{"".join(parts)}</style><script>{script}</script>'


def _footer_extra(site: SimSite) -> str:
    """A footer's menus and social links (no contact details: the kontak item must stay where the truth says)."""
    f = data()["filler"]
    social = "".join(f'<li><a href="https://{s.lower()}.example/{escape(site.id)}">{escape(s)}</a></li>' for s in f["social"])
    return (f'<div class="footer-widgets"><p class="slogan">{escape(f["slogan"])}</p>'
            f'<ul class="social-links">{social}</ul></div>')


def _head_links(site: SimSite) -> str:
    """Discovery links in <head>: feeds and the REST API."""
    if site.cms == "wordpress":
        return (f'<link rel="alternate" type="application/rss+xml" title="{escape(site.name)} &raquo; Feed" href="{_href(site, feed_path(site))}">'
                f'<link rel="https://api.w.org/" href="{_href(site, api_root(site))}">'
                '<meta name="generator" content="WordPress 6.4.3">')
    if site.cms == "blog" and site.variant == 0:
        return '<link rel="alternate" type="application/atom+xml" title="Atom" href="/feeds/posts/default">'
    return ""


def shell(site: SimSite, today: date, title: str, main: str, extra_head: str = "", home: bool = False,
          full_title: str | None = None) -> bytes:
    """A full HTML page around `main`, with the traps this site carries (`full_title` replaces the whole <title>)."""
    top = ""
    if "header_clock" in site.traps:
        clock = fmt_date("stray_space" if site.cms == "blog" else "id_day_long", today)
        top = (f'<div class="top-bar"><span class="tanggal">{clock}</span>'
               f' <span class="cuaca">{escape(site.weather)}</span></div>')
    if "copyright" in site.traps:
        foot = f"&copy; {site.created.year}-{today.year} {escape(site.name)} Kota Pematangsiantar"
    else:
        foot = f"Hak Cipta &copy; {escape(site.name)} Kota Pematangsiantar"
    hidden = ""
    if home and site.hack is not None and site.hack.kind == "hidden_links" and site.hack.hide == "display_none":
        links = " ".join(f'<a href="{escape(u)}">{escape(t)}</a>' for u, t in data()["spam_links"])
        hidden = f'<div style="display:none">{links}</div>'
    tools = '<div class="tools"><a href="/cari">Cari</a> | <a href="/admin/">Login</a></div>'
    body_class = {"wordpress": "wp-site", "custom": "cms-opd", "blog": "blog", "static": "static"}[site.cms]
    html = (
        f'<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(full_title) if full_title is not None else f'{escape(title)} &#8211; {escape(site.name)}'}</title>"
        f"{_head_links(site)}{extra_head}{_theme_css(site)}</head>\n"
        f'<body class="{body_class}">{top}<header class="site-header"><p class="site-title">'
        f'<a href="{_href(site, "/")}">{escape(site.name)}</a></p>'
        f'<p class="site-description">Pemerintah Kota Pematangsiantar</p>{tools}</header>\n'
        f"{_menu(site)}\n<main>{main}</main>\n{_widgets(site, today)}\n"
        f'<footer class="site-footer">{_footer_extra(site)}<p>{foot}</p>{hidden}</footer>\n</body></html>\n'
    )
    return html.encode("utf-8")


# -- post lists and posts ---------------------------------------------------------------------

def _item_html(site: SimSite, p: Post, today: date) -> str:
    """One entry of a listing."""
    if site.cms == "blog":
        when = relative(today, p.day, p.hh, english=site.variant == 1)
    elif site.cms == "wordpress":
        iso = _dt(p.day, p.hh, p.mm).isoformat()
        when = f'<time class="entry-date published" datetime="{iso}">{shown_date(site, p, today)}</time>'
    else:
        when = shown_date(site, p, today)
    if site.block:   # a block theme's query loop: the date is a link to the post, below the excerpt
        iso = _dt(p.day, p.hh, p.mm).isoformat()
        return (f'<li class="wp-block-post post-{p.n} post type-post status-publish hentry category-{category_id(site)}">'
                f'<h2 class="wp-block-post-title"><a href="{_href(site, p.path)}" target="_self">{escape(p.title)}</a></h2>'
                f'<div class="wp-block-post-excerpt"><p class="wp-block-post-excerpt__excerpt">{escape(p.body[0])} </p></div>'
                f'<div class="wp-block-post-date"><time datetime="{iso}"><a href="{_href(site, p.path)}">'
                f'{shown_date(site, p, today)}</a></time></div></li>')
    excerpt = " ".join([escape(p.body[0])] + [escape(x) for x in _paragraphs(p, 2)])
    return (f'<article class="post"><h2 class="entry-title"><a href="{_href(site, p.path)}">{escape(p.title)}</a></h2>'
            f'<div class="meta"><span class="date">{when}</span></div><p>{excerpt}</p></article>')


BLOCK_HEADING = "Field notes: a journal about quiet places."
"""The fixed English heading a block theme shows above its query loop, whatever the site is about."""


def _query_loop(site: SimSite, posts: list[Post], today: date) -> str:
    """A block theme's listing: the theme's fixed heading over a query loop of li.wp-block-post."""
    items = "".join(_item_html(site, p, today) for p in posts)
    return (f'<h1 class="alignwide">{escape(BLOCK_HEADING)}</h1><div class="wp-block-query alignwide">'
            f'<ul class="wp-block-post-template is-flex-container columns-3">{items}</ul></div>')


def _paragraphs(p: Post, n: int) -> list[str]:
    """`n` filler paragraphs of a post (the same every time: seeded by the post)."""
    rng = random.Random(f"para:{p.n}:{p.slug}")
    return rng.sample(data()["filler"]["paragraphs"], n)


def home(site: SimSite, today: date, bot: bool = False) -> Response:
    """The home page (`bot`: the copy a search engine gets, which differs on a cloaked site)."""
    posts = site.visible_posts(today)
    att = site.hack if site.attacked(today) else None
    if att is not None and att.kind == "cloaking" and bot and att.full_page:
        return Response(200, "text/html; charset=UTF-8", attacks.spam_landing(att, today), _newest(site, today))
    if site.cms == "static":
        main = (f"<h1>Selamat Datang</h1><p>Website resmi {escape(site.name)} Kota Pematangsiantar.</p>"
                "<p>Kami melayani masyarakat dengan sepenuh hati.</p>")
    elif site.block:
        main = _query_loop(site, posts[:10], today)
    elif site.kind == "fresh":
        main = "".join(_item_html(site, p, today) for p in posts)
        main += '<section class="widget"><h3>Komentar Terbaru</h3><p>Seorang Komentator WordPress pada Halo dunia!</p></section>'
    else:
        heading = f"{site.section} Terkini"
        main = f"<h1>{escape(heading)}</h1>" + "".join(_item_html(site, p, today) for p in posts[:5])
        lists = listing_paths(site, 1)
        if lists:
            main += f'<p><a href="{_href(site, lists[0])}">Indeks {escape(site.section)}</a></p>'
    full_title = None
    if att is not None and att.kind == "defacement":
        # the defacer rewrote the front page's title and content; menu and template were left alone
        main, full_title = attacks.defaced_main(att), att.title
    elif att is not None and att.kind == "cloaking" and bot:
        main, full_title = attacks.cloaked_block(att) + main, att.title
    body = shell(site, today, "Beranda", main, home=True, full_title=full_title)
    return Response(200, "text/html; charset=UTF-8", body, _newest(site, today))


def listing(site: SimSite, today: date, page_no: int) -> Response | None:
    """A page of the news section (None when past the last page)."""
    posts = site.visible_posts(today)
    pages = max(1, -(-len(posts) // PER_PAGE))
    if page_no > pages or page_no < 1 or not posts or (site.kind == "fresh" and not site.block):
        return None
    paths = listing_paths(site, pages)
    chunk = posts[(page_no - 1) * PER_PAGE: page_no * PER_PAGE]
    nav = " ".join(f'<a href="{_href(site, paths[i])}">{i + 1}</a>' if i + 1 != page_no else f"<span>{i + 1}</span>"
                   for i in range(pages))
    if page_no < pages:
        nav += f' <a href="{_href(site, paths[page_no])}" rel="next">Selanjutnya &raquo;</a>'
    section = "Tak Berkategori" if site.kind == "fresh" else site.section
    if site.block:
        main = _query_loop(site, chunk, today).replace(escape(BLOCK_HEADING), f"Kategori: {escape(section)}", 1)
    else:
        main = f"<h1>{escape(section)}</h1>" + "".join(_item_html(site, p, today) for p in chunk)
    main += f'<div class="pagination">{nav}</div>'
    title = section if page_no == 1 else f"{section} &#8211; Halaman {page_no}"
    return Response(200, "text/html; charset=UTF-8", shell(site, today, title, main), _newest(site, today))


def post(site: SimSite, today: date, p: Post) -> Response:
    """A post page with its date as the CMS prints it."""
    iso = _dt(p.day, p.hh, p.mm).isoformat()
    extra = ""
    when = shown_date(site, p, today)
    if site.cms == "wordpress":
        extra = (f'<link rel="shortlink" href="{_href(site, f"/?p={p.n}")}">'
                 f'<meta property="og:type" content="article"><meta property="article:published_time" content="{iso}">'
                 f'<meta property="article:modified_time" content="{iso}">')
        when = f'<time class="entry-date published" datetime="{iso}">{when}</time>'
    elif site.cms == "blog":
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": p.title,
              "datePublished": iso, "author": {"@type": "Organization", "name": site.name}}
        # the Blogger-like variant carries machine dates; the other is a homemade CMS with the visible date only
        if site.variant == 0:
            extra = f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
            when = f'<time datetime="{iso}">{when}</time>'
        else:
            when = f'<span class="tanggal">{when}</span>'
    dateline = escape(p.body[0])
    wd = data()["days_id"][p.day.weekday()]
    if p.genuine and site.cms == "blog":   # the blog's newsroom: "SIANTAR, Jumat (10/5/2019) –", "Kamis (11/7/2019) pagi"
        stamp = f"{p.day.day}/{p.day.month}/{p.day.year}"
        city = p.n % 2 or site.date_style == "dateline_only"
        dateline = (f"SIANTAR, {wd} ({stamp}) &#8211; {dateline[:1].lower()}{dateline[1:]}" if city else
                    f"{dateline[:-1]} pada {wd} ({stamp}) pagi.")
    elif p.genuine:   # press datelines, with or without the year, as local newsrooms write them
        stamp = f"{p.day:%d/%m/%Y}" if p.n % 2 else f"{p.day.day}/{p.day.month}"
        dateline = f"PEMATANGSIANTAR &#8211; {dateline[:1].lower()}{dateline[1:-1]}, {wd} ({stamp})."

    paras = [dateline] + [escape(s) for s in p.body[1:]]
    if p.genuine:
        paras += [escape(x) for x in _paragraphs(p, 5)]
    cat = ""
    if site.cms == "wordpress":
        cat_name = "Tak Berkategori" if site.kind == "fresh" else site.section
        cat = f' di <a href="{_href(site, listing_paths(site, 1)[0])}" rel="tag">{escape(cat_name)}</a>'
    posted = f'Diposting: <span class="posted-on">{when}</span> oleh' if shown_date(site, p, today) else "Ditulis oleh"
    main = (f'<article class="single"><h1 class="entry-title">{escape(p.title)}</h1>'
            f'<div class="entry-meta">{posted} Admin{cat}</div>'
            '<div class="entry-content">' + "".join(f"<p>{s}</p>" for s in paras) + "</div></article>")
    if site.kind == "fresh" and p.n == 1:
        main += _sample_comment(site, p)
    modified = _dt(today) if p.empty_date else _dt(p.day, p.hh, p.mm)
    return Response(200, "text/html; charset=UTF-8", shell(site, today, p.title, main, extra), modified)


def _sample_comment(site: SimSite, p: Post) -> str:
    """The fresh install's sample comment, dated at install time, with its reply link (?replytocom=1)."""
    iso = _dt(p.day, p.hh, p.mm).isoformat()
    return (f'<section class="comments"><h2>Komentar</h2><ol class="wp-block-comment-template"><li id="comment-1" '
            f'class="comment depth-1"><div class="wp-block-comment-author-name">Seorang Komentator WordPress</div>'
            f'<div class="wp-block-comment-date"><time datetime="{iso}"><a href="{_href(site, p.path)}#comment-1">'
            f'{fmt_date("id_long", p.day)}</a></time></div><div class="wp-block-comment-content"><p>Hai, ini adalah '
            f'komentar. Untuk mulai memoderasi komentar, buka layar Komentar di dasbor.</p></div>'
            f'<div class="wp-block-comment-reply-link"><a rel="nofollow" class="comment-reply-link" '
            f'href="{_href(site, p.path)}&amp;replytocom=1#respond">Balas</a></div></li></ol></section>')


# -- pages and documents ----------------------------------------------------------------------

def _docs_table(site: SimSite, docs: list[Doc]) -> str:
    """A Judul / Tahun / Download table."""
    rows = "".join(f'<tr><td>{escape(d.title)}</td><td>{d.year}</td><td><a href="{_href(site, d.path)}">Download</a></td></tr>'
                   for d in docs)
    return f'<table class="dokumen"><tr><th>Judul</th><th>Tahun</th><th>Unduh</th></tr>{rows}</table>'


def page(site: SimSite, today: date, pg: Page) -> Response:
    """A static page of any kind."""
    body = "".join(f"<p>{escape(s)}</p>" for s in pg.body)
    if pg.kind == "kontak":
        slug = site.id.replace("-", "")
        body += (f'<div class="kontak"><p>Alamat: Jl. Merdeka No. {10 + site.index}, Kota Pematangsiantar, Sumatera Utara 21111</p>'
                 f"<p>Telepon: (0622) 43{site.index:04d}</p>"
                 f'<p>Email: <a href="mailto:{slug}@simweb.test">{slug}@simweb.test</a></p></div>')
    if pg.links:
        body += "<ul>" + "".join(f'<li><a href="{_href(site, h)}">{escape(lab)}</a></li>' for lab, h in pg.links) + "</ul>"
    if pg.docs:
        body += _docs_table(site, pg.docs)
    if pg.kind == "search":
        body += '<form action="/cari" method="get"><input name="q"><button>Cari</button></form>'
    if pg.kind == "admin":
        body += '<form method="post"><input name="user"><input name="pass" type="password"><button>Masuk</button></form>'
    main = f'<article class="page"><h1 class="entry-title">{escape(pg.title)}</h1><div class="entry-content">{body}</div></article>'
    return Response(200, "text/html; charset=UTF-8", shell(site, today, pg.title, main), _dt(site.created))


def not_found(site: SimSite, today: date) -> Response:
    """The CMS's 404 page."""
    main = "<h1>404 Not Found</h1><p>Maaf, halaman yang Anda cari tidak ditemukan.</p>"
    return Response(404, "text/html; charset=UTF-8", shell(site, today, "Halaman tidak ditemukan", main))


def pdf(site: SimSite, doc: Doc) -> Response:
    """A small valid PDF of one page with the document's title."""
    text = f"{doc.title} - {site.name}".encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 60 760 Td (" + text + b") Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return Response(200, "application/pdf", bytes(out), _dt(site.created))


# -- routing ----------------------------------------------------------------------------------

def route(site: SimSite, today: date, path: str, query: dict[str, str], raw: str, bot: bool = False) -> Response:
    """Answer one GET for `raw` (path + query) on `today` (`bot`: asked by a search engine)."""
    if site.suspended(today):
        # the name now points at the registry's parking server: one page for every path
        if path == "/robots.txt":
            return Response(200, "text/plain; charset=UTF-8", b"User-agent: *\nDisallow: /cgi-bin/\n")
        return Response(200, "text/html; charset=UTF-8", attacks.suspension_page(site))
    if path == "/robots.txt":
        return robots(site)
    if site.kind == "http_5xx":
        return Response(500, "text/html; charset=UTF-8",
                        b"<html><body><h1>500 Internal Server Error</h1><p>Database connection failed.</p></body></html>\n")
    att = site.hack
    if att is not None and att.kind == "spam_page" and att.on(today) and path == att.path:
        return Response(200, "text/html; charset=UTF-8", attacks.spam_landing(att, today), _dt(att.since, 3, 17))
    by_path = _index(site)
    hit = by_path.get(raw) or by_path.get(path)
    if isinstance(hit, Post):
        # unlisted older posts stay reachable by URL; future ones are not published yet
        return post(site, today, hit) if hit.day <= today else not_found(site, today)
    if isinstance(hit, Page):
        return page(site, today, hit)
    if isinstance(hit, Doc):
        return pdf(site, hit)
    if site.plain:
        return _route_plain(site, today, path, query, bot)
    if site.cms == "wordpress":
        if "p" in query and query["p"].isdigit():
            target = next((p for p in site.posts if p.n == int(query["p"]) and p.day <= today), None)
            if target:
                return Response(301, "text/html; charset=UTF-8", b"", None, {"Location": absolute(site, target.path)})
        if site.wp_prefix and path.startswith(site.wp_prefix + "/"):
            path = path[len(site.wp_prefix):]   # PATHINFO permalinks: WordPress reads what follows index.php
        wp = {"/feed/": lambda: feed(site, today), "/wp-json/": lambda: wp_root(site),
              "/wp-json/wp/v2/posts": lambda: wp_posts(site, today, query),
              "/wp-sitemap.xml": lambda: sitemap(site, today, "index"), "/sitemap.xml": lambda: sitemap(site, today, "index"),
              "/wp-sitemap-posts-post-1.xml": lambda: sitemap(site, today, "posts"),
              "/wp-sitemap-posts-page-1.xml": lambda: sitemap(site, today, "pages")}
        if path in wp and (not query or path == "/wp-json/wp/v2/posts"):
            return wp[path]()
    if site.cms == "blog":
        if path == "/feeds/posts/default" and site.variant == 0:
            return atom(site, today)
        if path == "/sitemap.xml":
            return sitemap(site, today, "posts")
    if path == "/" and not query:
        return home(site, today, bot)
    lists = listing_paths(site, 50)
    for i, lp in enumerate(lists):
        if raw == lp or (i == 0 and path == lp and not query):
            return listing(site, today, i + 1) or not_found(site, today)
    return not_found(site, today)


def _route_plain(site: SimSite, today: date, path: str, query: dict[str, str], bot: bool) -> Response:
    """Plain-permalink WordPress: everything goes through the query string; unknown paths end on the home page."""
    def number(key: str) -> int | None:
        v = query.get(key, "")
        return int(v) if v.isdigit() else None

    if path in ("/", "/index.php"):
        if number("p") is not None:
            target = next((p for p in site.posts if p.n == number("p") and p.day <= today), None)
            return post(site, today, target) if target else not_found(site, today)
        if "page_id" in query:
            return not_found(site, today)  # a page id the site does not have (known ones were routed by path)
        if query.get("feed") in ("rss2", "rss", ""):
            return feed(site, today)
        route_ = query.get("rest_route")
        if route_ in ("/", ""):
            return wp_root(site)
        if route_ == "/wp/v2/posts":
            return wp_posts(site, today, query)
        if route_ is not None:
            return Response(404, "application/json; charset=UTF-8", b'{"code":"rest_no_route","data":{"status":404}}')
        sm = query.get("sitemap")
        if sm == "index":
            return sitemap(site, today, "index")
        if sm == "posts":
            return sitemap(site, today, "pages" if query.get("sitemap-subtype") == "page" else "posts")
        if number("cat") == category_id(site):
            return listing(site, today, number("paged") or 1) or not_found(site, today)
        if "cat" in query:
            return not_found(site, today)
        return home(site, today, bot)
    # canonical redirect adds the slash; the slashed unknown path then shows the home page (as /sitemap.xml does)
    if not path.endswith("/"):
        loc = absolute(site, path + "/") + (f"?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else "")
        return Response(301, "text/html; charset=UTF-8", b"", None, {"Location": loc})
    return home(site, today, bot)


def _index(site: SimSite) -> dict[str, Any]:
    """Path -> post, page or document (cached on the site)."""
    idx = getattr(site, "_by_path", None)
    if idx is None:
        idx = {p.path: p for p in site.posts}
        idx.update((pg.path, pg) for pg in site.pages)
        idx.update((d.path, d) for d in site.docs)
        site._by_path = idx  # type: ignore[attr-defined]
    return idx
