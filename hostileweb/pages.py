"""The page texts of the hostile corner: ordinary-looking OPD pages written for these tests."""
from __future__ import annotations

import struct
import zlib
from functools import lru_cache


def page(title: str, body: str, links: list[tuple[str, str]] = (), charset: str = "utf-8") -> str:
    """A small OPD-like HTML page with a menu of links."""
    menu = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="{charset}"><title>{title}</title></head>'
            f"<body><header><h1>{title}</h1><nav><ul>{menu}</ul></nav></header>"
            f"<main>{body}</main><footer>&copy; 2026 Pemerintah Kota</footer></body></html>")


HOME_BODY = ("<article><h2><a href=\"/berita/rapat-koordinasi\">Rapat koordinasi pelayanan publik</a></h2>"
             "<p class=\"tanggal\">Jumat, 20 November 2026</p>"
             "<p>Dinas menggelar rapat koordinasi peningkatan pelayanan publik bersama kelurahan.</p></article>")

NEWS = page("Rapat koordinasi pelayanan publik",
            "<article><h2>Rapat koordinasi pelayanan publik</h2><p>Diposting pada 20 November 2026 oleh Admin</p>"
            "<p>Peserta rapat membahas standar pelayanan dan maklumat layanan.</p></article>",
            [("/", "Beranda")])


def home(title: str, extra_links: list[tuple[str, str]] = (), body: str = HOME_BODY) -> str:
    """A plausible home page that links to one dated news post, plus any bait links."""
    links = [("/", "Beranda"), ("/profil/visi-misi", "Visi dan Misi"), ("/berita/rapat-koordinasi", "Berita")]
    return page(title, body, links + list(extra_links))


def calendar(month: int) -> str:
    """An agenda page linking to the next and previous month and to each day: an endless trap."""
    days = [(f"/agenda?bulan={month}&hari={d}", f"{d}") for d in range(1, 29)]
    nav = [(f"/agenda?bulan={month - 1}", "Bulan sebelumnya"), (f"/agenda?bulan={month + 1}", "Bulan berikutnya"),
           (f"/agenda/{2026 + month // 12}/{month % 12 + 1}", "Arsip")]
    return page(f"Agenda kegiatan bulan ke-{month}", "<p>Tidak ada kegiatan.</p>", nav + days)


def calendar_path(year: int, month: int) -> str:
    """The same trap with numbers in the path (``/agenda/2027/3``) instead of the query string."""
    nxt = (year + (month // 12), month % 12 + 1)
    return page(f"Arsip agenda {month}/{year}", "<p>Arsip kosong.</p>",
                [(f"/agenda/{nxt[0]}/{nxt[1]}", "Berikutnya"), (f"/agenda/{year - 1}/{month}", "Tahun lalu")])


def sitemap(urls: list[str]) -> bytes:
    """A urlset sitemap."""
    items = "".join(f"<url><loc>{u}</loc><lastmod>2026-11-20</lastmod></url>" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{items}</urlset>").encode()


def sitemap_index(urls: list[str]) -> bytes:
    """A sitemap index."""
    items = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{items}</sitemapindex>").encode()


BOMB_MIB = 512  # inflated size; far above any sane DOWNLOAD_MAXSIZE


@lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """About half a megabyte of gzip that inflates to 512 MiB of zeros."""
    return _bomb(31, b"\0")


@lru_cache(maxsize=1)
def deflate_bomb() -> bytes:
    """The same with zlib-wrapped deflate (HTTP "deflate"), inflating to 512 MiB of spaces."""
    return _bomb(15, b" ")


def _bomb(wbits: int, fill: bytes) -> bytes:
    # After a full flush the compressor forgets its history, so every further identical megabyte
    # compresses to identical bytes: compress two, repeat the second, write the trailer by hand.
    chunk = fill * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, wbits)
    first = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    end = b"\x03\x00"  # an empty final fixed-Huffman block
    if wbits == 31:
        crc = 0
        for _ in range(BOMB_MIB):
            crc = zlib.crc32(chunk, crc)
        trailer = struct.pack("<II", crc, (BOMB_MIB << 20) & 0xFFFFFFFF)
    else:
        adler = 1
        for _ in range(BOMB_MIB):
            adler = zlib.adler32(chunk, adler)
        trailer = struct.pack(">I", adler)
    return first + again * (BOMB_MIB - 1) + end + trailer


def nested(depth: int) -> str:
    """Deeply nested and never closed markup, then a dated post."""
    return ("<html><head><title>Halaman bersarang</title></head><body>" + "<div><span><b>" * depth
            + "<p>Diposting pada 18 November 2026</p><table><tr><td><ul><li>tidak ditutup")


def hostile_title() -> str:
    """A title full of terminal escapes, NULs, line breaks, bidi overrides, and a megabyte long."""
    evil = "\x1b[2J\x1b[31mDINAS\x1b[0m\x00\r\nSet-Cookie: x=1\u202egnp.exe\x07\x08"
    return page(evil + "A" * 1_000_000, HOME_BODY, [("/berita/rapat-koordinasi", "Berita")])
