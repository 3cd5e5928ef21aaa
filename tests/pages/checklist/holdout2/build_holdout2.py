"""Build the second blind-labelled set (tuning_blind2): labelled by hand before any run, then used for one fix."""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
B = "https://bappeda.pematangsiantar.go.id/"


def laravel(title: str, body: str) -> str:
    """A Bootstrap 5 / Laravel style template with an off-canvas menu and a card layout."""
    return f"""<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title} | BAPPEDA Kota Pematangsiantar</title></head>
<body><div class="offcanvas offcanvas-start" id="sideMenu"><div class="offcanvas-body"><ul class="list-unstyled">
<li><a class="dropdown-item" href="{B}profil/sambutan">Sambutan Kepala Badan</a></li>
<li><a class="dropdown-item" href="{B}profil/tugas-fungsi">Tugas &amp; Fungsi</a></li>
<li><a class="dropdown-item" href="{B}dokumen/rpjmd">RPJMD</a></li>
<li><a class="dropdown-item" href="{B}dokumen/renstra">Renstra</a></li>
<li><a class="dropdown-item" href="{B}ppid">PPID Pelaksana</a></li>
<li><a class="dropdown-item" href="https://jdih.pematangsiantar.go.id/">JDIH</a></li></ul></div></div>
<div class="hero-wrap"><div class="container"><span class="hari-ini">Sabtu, 28 November 2026</span></div></div>
<section class="page-title bg-light"><div class="container"><h1 class="fw-bold">{title}</h1>
<ol class="breadcrumb"><li class="breadcrumb-item"><a href="{B}">Beranda</a></li><li class="breadcrumb-item active">{title}</li></ol></div></section>
<section class="py-5"><div class="container"><div class="card"><div class="card-body">
{body}
</div></div></div></section>
<div class="site-info bg-dark text-white"><div class="container"><div class="row">
<div class="col-md-6"><h5>BAPPEDA</h5><p>Jl. Merdeka No. 4, Pematangsiantar. Telp (0622) 22113</p></div>
<div class="col-md-6"><h5>Tautan</h5><a href="https://www.lapor.go.id/">SP4N LAPOR!</a></div></div></div></div>
</body></html>
"""


PAGES = {
    "b_sambutan.html": ("Sambutan Kepala Badan", "<p>Assalamualaikum. Selamat datang di laman resmi BAPPEDA. Laman ini memuat dokumen perencanaan dan data pembangunan Kota Pematangsiantar.</p><img src='/img/kaban.jpg' alt='Kepala Badan'>"),
    "b_tugas.html": ("Tugas & Fungsi", "<p>BAPPEDA melaksanakan fungsi penunjang urusan perencanaan dan penelitian pengembangan sesuai peraturan wali kota tentang kedudukan dan susunan organisasi.</p>"),
    "b_renstra.html": ("Renstra", "<div class='list-group'><a class='list-group-item' href='/storage/dokumen/renstra-bappeda-2021-2026.pdf'><i class='bi bi-file-pdf'></i> Renstra BAPPEDA 2021-2026</a><a class='list-group-item' href='/storage/dokumen/reviu-renstra-2023.pdf'><i class='bi bi-file-pdf'></i> Reviu Renstra 2023</a></div>"),
    "b_rpjmd.html": ("RPJMD", "<p>Rencana pembangunan jangka menengah daerah 2021-2026 menjadi acuan penyusunan rencana strategis seluruh perangkat daerah.</p><a href='/storage/dokumen/RPJMD-2021-2026.pdf'>Unduh RPJMD</a>"),
    "b_ppid.html": ("PPID Pelaksana", "<p>Layanan informasi publik BAPPEDA dibuka Senin sampai Jumat pukul 08.00&ndash;16.00 WIB di ruang pelayanan lantai satu.</p><ul><li><a href='/ppid/informasi-serta-merta'>Informasi Serta Merta</a></li><li><a href='/ppid/permohonan'>Ajukan Permohonan Informasi</a></li></ul>"),
    "b_empty_lhkpn.html": ("LHKPN", "<p class='text-muted'>Data belum tersedia</p>"),
    "b_musrenbang_news.html": ("Musrenbang Kecamatan Siantar Timur Bahas Usulan Renja 2027", "<small>Rabu, 18 November 2026</small><p>Usulan warga tentang drainase dan penerangan jalan dibahas dalam musyawarah perencanaan pembangunan tingkat kecamatan.</p>"),
    "b_dokumen.html": ("Dokumen", "<table class='table'><thead><tr><th>Nama Dokumen</th><th>Tahun</th><th>Aksi</th></tr></thead><tbody><tr><td>Laporan Kinerja BAPPEDA</td><td>2025</td><td><a class='btn btn-sm' href='/storage/dokumen/lkj-2025.pdf'><i class='bi bi-download'></i></a></td></tr><tr><td>Renja BAPPEDA</td><td>2026</td><td><a class='btn btn-sm' href='/storage/dokumen/renja-2026.pdf'><i class='bi bi-download'></i></a></td></tr><tr><td>DPA BAPPEDA</td><td>2026</td><td><a class='btn btn-sm' href='/storage/dokumen/dpa-2026.pdf'><i class='bi bi-download'></i></a></td></tr></tbody></table>"),
    "b_serta_merta.html": ("Informasi Serta Merta", "<p>Peta rawan banjir dan titik pengungsian sementara diperbarui setiap musim hujan bersama BPBD dan dinas terkait.</p><img src='/img/peta-rawan-banjir.png' alt='peta'>"),
}

if __name__ == "__main__":
    for name, (title, body) in PAGES.items():
        (HERE / name).write_text(laravel(title, body), encoding="utf-8")
