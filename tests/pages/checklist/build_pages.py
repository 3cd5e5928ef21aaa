"""Build the frozen labelled checklist pages (run once; the HTML and labels.jsonl are committed)."""
# The pages imitate the OPD site shapes described in docs/field-notes.md:
# WordPress ?page_id=N, CodeIgniter index.php/..., nested PPID menus, document
# tables, placeholders, '#' menus and label traps.  All text is written for ronda.
# Labels are hand judgements written next to each page body, never detector output.
from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent

STYLE = "\n".join(
    f".blk-{i} {{ margin: {i % 7}px {i % 5}px; padding: {i % 3}px; color: #{(i * 7919) % 0xFFFFFF:06x}; "
    f"font-size: {12 + i % 6}px; line-height: 1.{i % 9}; border-bottom: 1px solid #eee; }}"
    for i in range(120)
)
SCRIPT = "var opdConfig = " + json.dumps(
    {"widgets": [{"id": f"w{i}", "slot": f"sidebar-{i % 4}", "order": i, "enabled": i % 3 != 0,
                  "title": f"Widget {i}"} for i in range(60)]}
) + ";"


def li(label, href, children=None, cls="menu-item"):
    """One menu entry, nested when children are given."""
    if children:
        inner = "".join(li(*c) for c in children)
        return (f'<li class="{cls} menu-item-has-children dropdown"><a href="{href}" class="dropdown-toggle" '
                f'data-toggle="dropdown">{label} <span class="caret"></span></a><ul class="sub-menu dropdown-menu">{inner}</ul></li>')
    return f'<li class="{cls}"><a href="{href}">{label}</a></li>'


def page(site, title, body, *, sidebar=True):
    """Wrap a body in the site's theme (header, menu, sidebar, footer)."""
    menu = "".join(li(*m) for m in site["menu"])
    side = site["sidebar"] if sidebar else ""
    head = f"""<!DOCTYPE html>
<html lang="id-ID"><head><meta charset="utf-8">
<title>{title} &#8211; {site['name']}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{site['base']}assets/css/style.css?ver=5.8.2">
<style>{STYLE}</style>
<script>{SCRIPT}</script>
</head>"""
    skel = site.get("skeleton", "wp")
    if skel == "ci":  # CodeIgniter/Bootstrap template: divs only, no HTML5 landmarks
        return head + f"""<body><div class="wrapper">
<div class="top-header"><div class="container">{'Sabtu, 28 November 2026'} | Telp. (0622) 21{site['tel']} | {site['email']}</div></div>
<div id="header"><img src="{site['base']}assets/img/logo.png" alt="logo"><span class="judul-situs">{site['name']}</span></div>
<div class="navbar navbar-default"><ul class="nav navbar-nav">{menu}</ul></div>
<div class="container"><div class="row"><div class="col-md-9">
{body}
</div><div class="col-md-3 sidebar">{side}</div></div></div>
<div id="footer"><div class="container"><h4>Alamat</h4><p>{site['address']}<br>Telp. (0622) 21{site['tel']} &ndash; {site['email']}</p>
<p>Copyright &copy; 2026 {site['name']}</p></div></div></div>
<script src="{site['base']}assets/js/app.js"></script></body></html>
"""
    if skel == "plain":  # an old hand-made template: site name in an h1 on every page
        return head + f"""<body><div id="wrap"><div id="head"><h1 class="logo">{site['name']}</h1>
<div class="jam">Sabtu, 28 November 2026 09:12:44</div></div>
<div id="nav"><ul>{menu}</ul></div>
<div class="content">
{body}
</div>{side}
<div class="foot">{site['address']} &middot; Telp (0622) 21{site['tel']} &middot; {site['email']}<br>&copy; 2019-2026</div></div></body></html>
"""
    return head + f"""<body class="page-template-default page">
<div id="page" class="site">
<div class="top-bar"><div class="container"><span class="tanggal">Sabtu, 28 November 2026</span>
<span class="cuaca">24&deg;C Berawan</span><span class="telp">Telp. (0622) 21{site['tel']}</span></div></div>
<header id="masthead" class="site-header"><div class="site-branding"><a href="{site['base']}" rel="home">
<img src="{site['base']}assets/img/logo.png" alt="Logo {site['name']}"></a>
<p class="site-title">{site['name']}</p><p class="site-description">Pemerintah Kota Pematangsiantar</p></div>
<nav id="site-navigation" class="main-navigation navbar"><ul id="primary-menu" class="menu nav navbar-nav">{menu}</ul></nav>
</header>
<div id="content" class="site-content"><div class="container"><div class="row">
<div id="primary" class="content-area col-md-8"><main id="main" class="site-main">
{body}
</main></div>
<aside id="secondary" class="widget-area col-md-4">{side}</aside>
</div></div></div>
<footer id="colophon" class="site-footer"><div class="container">
<h3 class="widget-title">Alamat Kantor</h3>
<p>{site['address']}<br>Telepon (0622) 21{site['tel']} &middot; Surel: {site['email']}</p>
<p class="copyright">&copy; 2018-2026 {site['name']}. Hak cipta dilindungi.</p>
</div></footer></div>
<script src="{site['base']}assets/js/jquery.min.js"></script>
</body></html>
"""


# ---------------------------------------------------------------- site 1: WordPress (dinkes)
DK = "https://dinkes.pematangsiantar.go.id/"
DINKES = {
    "name": "Dinas Kesehatan Kota Pematangsiantar", "base": DK, "tel": "345",
    "address": "Jl. Sutomo No. 230, Kota Pematangsiantar 21118", "email": "dinkes@pematangsiantar.go.id",
    "menu": [
        ("Beranda", DK),
        ("Profil", "#", [("Visi dan Misi", DK + "?page_id=12"), ("Tugas dan Fungsi", DK + "?page_id=14"),
                         ("Struktur Organisasi", DK + "?page_id=16"), ("Profil Kepala Dinas", DK + "?page_id=18")]),
        ("PPID", "https://ppid.pematangsiantar.go.id/", [
            ("Informasi Berkala", "#", [("Laporan Kinerja", DK + "?page_id=20"),
                                        ("Renstra", DK + "wp-content/uploads/2022/02/Renstra-Dinkes-2021-2026.pdf"),
                                        ("Renja", DK + "wp-content/uploads/2024/01/RENJA_2024.pdf"),
                                        ("Dokumen Anggaran", DK + "?page_id=22")]),
            ("Informasi Serta Merta", DK + "?page_id=32"),
            ("Informasi Setiap Saat", DK + "?page_id=33"),
            ("Daftar Informasi Publik", DK + "?page_id=24"),
            ("Permohonan Informasi", DK + "?page_id=34")]),
        ("Layanan", "#", [("Standar Pelayanan", DK + "?page_id=28"), ("Maklumat Pelayanan", DK + "?page_id=30"),
                          ("Pengaduan Masyarakat", "https://www.lapor.go.id/instansi/pemerintah-kota-pematang-siantar"),
                          ("Kepuasan Publik / SKM", "#")]),
        ("Berita", DK + "?cat=3"),
        ("Kontak", DK + "?page_id=26"),
    ],
    "sidebar": f"""<section class="widget"><h2 class="widget-title">Berita Terbaru</h2><ul>
<li><a href="{DK}?p=101">Dinkes Gelar Rapat Penyusunan Renja 2026</a></li>
<li><a href="{DK}?p=99">Vaksinasi Anak Sekolah di Kecamatan Siantar Utara</a></li>
<li><a href="{DK}?p=97">Puskesmas Keliling Sambangi Kelurahan Bane</a></li></ul></section>
<section class="widget"><h2 class="widget-title">Agenda</h2><ul><li>30 Nov 2026 &ndash; Rapat Evaluasi Program Gizi</li></ul></section>
<section class="widget"><h2 class="widget-title">Link Terkait</h2>
<a href="https://jdih.pematangsiantar.go.id/"><img src="{DK}img/jdih.png" alt="JDIH Kota Pematangsiantar"></a>
<a href="https://lpse.pematangsiantar.go.id/eproc4"><img src="{DK}img/lpse.png" alt=""></a>
<a href="https://www.lapor.go.id/"><img src="{DK}img/lapor.png" alt="SP4N LAPOR!"></a></section>""",
}
# links every dinkes page carries (menu + sidebar): hand-assigned items
DINKES_LINKS = [
    ("visi_misi", DK + "?page_id=12"), ("tugas_fungsi", DK + "?page_id=14"),
    ("struktur_organisasi", DK + "?page_id=16"), ("profil_pimpinan", DK + "?page_id=18"),
    ("ppid", "https://ppid.pematangsiantar.go.id/"), ("lkjip", DK + "?page_id=20"),
    ("renstra", DK + "wp-content/uploads/2022/02/Renstra-Dinkes-2021-2026.pdf"),
    ("renja", DK + "wp-content/uploads/2024/01/RENJA_2024.pdf"),
    ("anggaran", DK + "?page_id=22"), ("informasi_serta_merta", DK + "?page_id=32"),
    ("daftar_informasi_publik", DK + "?page_id=24"), ("permohonan_informasi", DK + "?page_id=34"),
    ("standar_pelayanan", DK + "?page_id=28"), ("maklumat_pelayanan", DK + "?page_id=30"),
    ("pengaduan", "https://www.lapor.go.id/instansi/pemerintah-kota-pematang-siantar"),
    ("berita", DK + "?cat=3"), ("kontak", DK + "?page_id=26"),
    ("produk_hukum", "https://jdih.pematangsiantar.go.id/"), ("pengadaan", "https://lpse.pematangsiantar.go.id/eproc4"),
    ("pengaduan", "https://www.lapor.go.id/"),
]

P = "<p>{}</p>".format
NEWS = "".join(
    f'<article class="post"><h3 class="entry-title"><a href="{DK}?p={n}">{t}</a></h3>'
    f'<div class="entry-meta">{d}</div><div class="entry-summary"><p>{s}</p></div></article>'
    for n, t, d, s in [
        (101, "Dinkes Gelar Rapat Penyusunan Renja 2026", "20 November 2026",
         "Seluruh kepala bidang dan kepala puskesmas mengikuti rapat untuk menyelaraskan usulan kegiatan tahun depan."),
        (99, "Vaksinasi Anak Sekolah di Kecamatan Siantar Utara", "14 November 2026",
         "Petugas puskesmas memberikan imunisasi lanjutan kepada murid kelas satu sekolah dasar."),
        (97, "Puskesmas Keliling Sambangi Kelurahan Bane", "6 November 2026",
         "Warga memeriksakan tekanan darah dan gula darah secara gratis di halaman kantor lurah."),
    ])

DINKES_PAGES = [
    # (file, path, title, body, held, extra links, placeholder)
    ("dinkes_home.html", "", "Beranda",
     f"""<section class="home-sambutan"><h2>Sambutan Kepala Dinas</h2>
<img src="{DK}wp-content/uploads/kadis.jpg" alt="Kepala Dinas">
{P("Puji syukur kami panjatkan. Situs ini kami hadirkan agar masyarakat Kota Pematangsiantar mudah memperoleh informasi layanan kesehatan, jadwal puskesmas dan program pencegahan penyakit.")}</section>
<section class="home-news"><h2>Berita Terbaru</h2>{NEWS}</section>""",
     ["profil_pimpinan", "berita"], [], False),
    ("dinkes_visi_misi.html", "?page_id=12", "Visi dan Misi",
     f"""<article class="page"><header class="entry-header"><h1 class="entry-title">Visi dan Misi</h1></header>
<div class="entry-content"><h3>Visi</h3>{P("Terwujudnya masyarakat Kota Pematangsiantar yang sehat, mandiri dan berkeadilan.")}
<h3>Misi</h3><ol><li>Meningkatkan mutu pelayanan kesehatan dasar dan rujukan.</li><li>Mendorong perilaku hidup bersih dan sehat di setiap kelurahan.</li>
<li>Memperkuat tata kelola dan sumber daya kesehatan.</li></ol></div></article>""",
     ["visi_misi"], [], False),
    ("dinkes_tugas_fungsi.html", "?page_id=14", "Tugas dan Fungsi",
     f"""<article class="page"><h1 class="entry-title">TUGAS DAN FUNGSI</h1><div class="entry-content">
{P("Dinas Kesehatan mempunyai tugas membantu Wali Kota melaksanakan urusan pemerintahan bidang kesehatan yang menjadi kewenangan daerah dan tugas pembantuan.")}
{P("Dalam melaksanakan tugas tersebut, Dinas menyelenggarakan fungsi perumusan kebijakan, pelaksanaan kebijakan, evaluasi dan pelaporan, serta administrasi dinas.")}</div></article>""",
     ["tugas_fungsi"], [], False),
    ("dinkes_struktur.html", "?page_id=16", "Struktur Organisasi",
     f"""<article class="page"><h1 class="entry-title">Struktur Organisasi</h1><div class="entry-content">
<p><a href="{DK}wp-content/uploads/2023/03/bagan-sotk-dinkes.jpg"><img src="{DK}wp-content/uploads/2023/03/bagan-sotk-dinkes-1024x700.jpg" alt="bagan"></a></p></div></article>""",
     ["struktur_organisasi"], [("struktur_organisasi", DK + "wp-content/uploads/2023/03/bagan-sotk-dinkes.jpg")], False),
    ("dinkes_profil_kadis.html", "?page_id=18", "Profil Kepala Dinas",
     f"""<article class="page"><h1 class="entry-title">Profil Kepala Dinas</h1><div class="entry-content">
<p>Halaman ini sedang dalam pengembangan.</p></div></article>""",
     [], [], True),
    ("dinkes_lkjip.html", "?page_id=20", "Laporan Kinerja",
     f"""<article class="page"><h1 class="entry-title">Laporan Kinerja</h1><div class="entry-content">
<table class="table"><thead><tr><th>No</th><th>Judul</th><th>Tahun</th><th>Download</th></tr></thead><tbody>
<tr><td>1</td><td>Laporan Kinerja Instansi Pemerintah (LKjIP)</td><td>2023</td><td><a href="{DK}wp-content/uploads/2024/02/lkjip-2023.pdf">Download</a></td></tr>
<tr><td>2</td><td>Laporan Kinerja Instansi Pemerintah (LKjIP)</td><td>2025</td><td><a href="{DK}wp-content/uploads/2026/02/dok_1432.pdf">Download</a></td></tr>
<tr><td>3</td><td>Perjanjian Kinerja Kepala Dinas</td><td>2026</td><td><a href="{DK}wp-content/uploads/2026/01/PK_2026.pdf">Unduh</a></td></tr>
</tbody></table></div></article>""",
     ["lkjip"], [("lkjip", DK + "wp-content/uploads/2024/02/lkjip-2023.pdf"),
                 ("lkjip", DK + "wp-content/uploads/2026/02/dok_1432.pdf"),
                 ("lkjip", DK + "wp-content/uploads/2026/01/PK_2026.pdf")], False),
    ("dinkes_anggaran.html", "?page_id=22", "Dokumen Anggaran",
     f"""<article class="page"><h1 class="entry-title">Dokumen Anggaran</h1><div class="entry-content">
{P("Dokumen anggaran Dinas Kesehatan yang dapat diunduh masyarakat.")}
<ul><li><a href="{DK}wp-content/uploads/2025/01/RKA-Dinkes-2025.pdf">Rencana Kerja dan Anggaran (RKA) Tahun 2025</a></li>
<li><a href="{DK}wp-content/uploads/2026/01/DPA_DINKES_2026.pdf">DPA Dinas Kesehatan TA 2026</a></li>
<li><a href="{DK}wp-content/uploads/2025/03/dipa-dekon-2025.pdf">DIPA Dana Dekonsentrasi 2025</a></li></ul></div></article>""",
     ["anggaran"], [("anggaran", DK + "wp-content/uploads/2025/01/RKA-Dinkes-2025.pdf"),
                    ("anggaran", DK + "wp-content/uploads/2026/01/DPA_DINKES_2026.pdf")], False),
    ("dinkes_dip.html", "?page_id=24", "Daftar Informasi Publik",
     f"""<article class="page"><h1 class="entry-title">Daftar Informasi Publik (DIP)</h1><div class="entry-content">
<table><tr><th>Ringkasan Informasi</th><th>Penanggung Jawab</th><th>Bentuk</th></tr>
<tr><td>Profil dan struktur dinas</td><td>Sekretariat</td><td>Cetak dan elektronik</td></tr>
<tr><td>Data jumlah tenaga kesehatan per puskesmas</td><td>Bidang SDK</td><td>Elektronik</td></tr>
<tr><td>Jadwal imunisasi dan posyandu</td><td>Bidang P2P</td><td>Elektronik</td></tr></table></div></article>""",
     ["daftar_informasi_publik"], [], False),
    ("dinkes_kontak.html", "?page_id=26", "Kontak",
     f"""<article class="page"><h1 class="entry-title">Kontak</h1><div class="entry-content">
<p>Jl. Sutomo No. 230, Kota Pematangsiantar<br>Telepon: (0622) 21345<br>Email: dinkes@pematangsiantar.go.id</p>
<iframe src="https://www.google.com/maps/embed?pb=dinkes" width="600" height="300"></iframe></div></article>""",
     ["kontak"], [], False),
    ("dinkes_standar.html", "?page_id=28", "Standar Pelayanan",
     f"""<article class="page"><h1 class="entry-title">Standar Pelayanan</h1><div class="entry-content">
<h2 style="text-align:center">COMING SOON</h2></div></article>""",
     [], [], True),
    ("dinkes_serta_merta.html", "?page_id=32", "Informasi Serta Merta",
     f"""<article class="page"><h1 class="entry-title">Informasi Serta Merta</h1><div class="entry-content">
{P("Informasi yang dapat mengancam hajat hidup orang banyak dan ketertiban umum, antara lain kejadian luar biasa penyakit menular, diumumkan segera melalui halaman ini.")}
<ul><li>Waspada demam berdarah pada musim hujan: lakukan 3M plus di rumah masing-masing.</li></ul></div></article>""",
     ["informasi_serta_merta"], [], False),
    ("dinkes_setiap_saat.html", "?page_id=33", "Informasi Setiap Saat",
     f"""<article class="page"><h1 class="entry-title">Informasi Setiap Saat</h1><div class="entry-content">
{P("Informasi yang wajib tersedia setiap saat dapat diminta langsung ke meja layanan informasi di kantor dinas pada hari dan jam kerja.")}
<ul><li><a href="{DK}?page_id=24">Daftar Informasi Publik</a></li><li><a href="{DK}wp-content/uploads/2025/05/SOP-Pelayanan-Informasi.pdf">SOP Pelayanan Informasi</a></li></ul></div></article>""",
     [], [("daftar_informasi_publik", DK + "?page_id=24"), ("sop", DK + "wp-content/uploads/2025/05/SOP-Pelayanan-Informasi.pdf")], False),
    ("dinkes_permohonan.html", "?page_id=34", "Tata Cara Permohonan Informasi",
     f"""<article class="page"><h1 class="entry-title">Tata Cara Permohonan Informasi</h1><div class="entry-content">
<ol><li>Pemohon datang ke meja layanan atau mengisi formulir daring.</li><li>Petugas mencatat permohonan dalam register dan memberi nomor pendaftaran.</li>
<li>Jawaban diberikan paling lambat sepuluh hari kerja.</li></ol>
<p><a href="{DK}wp-content/uploads/2024/06/formulir-permohonan-informasi.docx">Formulir Permohonan Informasi</a></p></div></article>""",
     ["permohonan_informasi"], [("permohonan_informasi", DK + "wp-content/uploads/2024/06/formulir-permohonan-informasi.docx")], False),
    ("dinkes_post_renja.html", "?p=101", "Dinkes Gelar Rapat Penyusunan Renja 2026",
     f"""<article class="post"><h1 class="entry-title">Dinkes Gelar Rapat Penyusunan Renja 2026</h1>
<div class="entry-meta">Diposting pada 20 November 2026 oleh Admin</div><div class="entry-content">
{P("Pematangsiantar &ndash; Dinas Kesehatan menggelar rapat penyusunan rencana kerja tahun 2026 di aula kantor dinas, Jumat (20/11/2026).")}
{P("Sekretaris dinas meminta setiap bidang menyelaraskan usulan dengan rencana strategis dan target standar pelayanan minimal.")}</div></article>""",
     [], [], False),
    ("dinkes_cat_berita.html", "?cat=3", "Berita",
     f"""<header class="page-header"><h1 class="page-title">Kategori: Berita</h1></header>{NEWS}""",
     ["berita"], [], False),
]

# ---------------------------------------------------------------- site 2: CodeIgniter (bpbd)
BB = "https://bpbd.pematangsiantar.go.id/"
BPBD = {
    "skeleton": "ci", "name": "BPBD Kota Pematangsiantar", "base": BB, "tel": "678",
    "address": "Jalan Merdeka No. 8, Pematangsiantar", "email": "bpbd@pematangsiantar.go.id",
    "menu": [
        ("Home", BB),
        ("Profil", "javascript:void(0)", [("Sejarah", BB + "index.php/profil/sejarah"), ("Visi-Misi", BB + "index.php/profil/visi-misi"),
                                           ("Tupoksi", BB + "index.php/profil/tupoksi"), ("Pejabat Struktural", "#")]),
        ("Informasi", "#", [("Informasi Berkala", "#", [("LAKIP", BB + "index.php/page_menu/index/9"),
                                                        ("Renstra", BB + "index.php/page_menu/index/11")]),
                            ("Peringatan Dini", BB + "index.php/page_menu/index/7")]),
        ("Publikasi", "#", [("Berita", BB + "index.php/berita"), ("Agenda", BB + "index.php/publikasi/agenda")]),
        ("Regulasi", BB + "index.php/regulasi"),
        ("Hubungi Kami", BB + "index.php/kontak"),
    ],
    "sidebar": f"""<div class="panel"><h4>Tautan</h4><ul><li><a href="https://inarisk.bnpb.go.id/">InaRISK BNPB</a></li>
<li><a href="https://sisada.pematangsiantar.go.id/">Satu Data Siantar</a></li></ul></div>""",
}
BPBD_LINKS = [
    ("profil", BB + "index.php/profil/sejarah"), ("visi_misi", BB + "index.php/profil/visi-misi"),
    ("tugas_fungsi", BB + "index.php/profil/tupoksi"), ("lkjip", BB + "index.php/page_menu/index/9"),
    ("renstra", BB + "index.php/page_menu/index/11"), ("peringatan_dini", BB + "index.php/page_menu/index/7"),
    ("berita", BB + "index.php/berita"), ("agenda", BB + "index.php/publikasi/agenda"),
    ("produk_hukum", BB + "index.php/regulasi"), ("kontak", BB + "index.php/kontak"),
    ("data_terbuka", "https://sisada.pematangsiantar.go.id/"),
]
BPBD_PAGES = [
    ("bpbd_home.html", "", "Home",
     f"""<div class="welcome"><h2>Selamat Datang</h2>{P("Badan Penanggulangan Bencana Daerah melayani warga dalam pencegahan, kesiapsiagaan, tanggap darurat dan pemulihan pascabencana.")}</div>
<div class="berita-terkini"><h2>Berita Terkini</h2>
<div class="item"><a href="{BB}index.php/berita/detail/45">BPBD Sosialisasi Jalur Evakuasi di Siantar Marihat</a><span>Kamis, 19 November 2026</span>
<p>Warga diajak mengenali titik kumpul dan rambu jalur evakuasi di lingkungan masing-masing.</p></div>
<div class="item"><a href="{BB}index.php/berita/detail/44">Apel Kesiapsiagaan Menghadapi Musim Hujan</a><span>Senin, 9 November 2026</span>
<p>Personel gabungan mengecek kesiapan perahu karet, tenda dan dapur umum.</p></div></div>""",
     ["berita"], [], False),
    ("bpbd_sejarah.html", "index.php/profil/sejarah", "Sejarah",
     f"""<div class="page-content"><h1>Sejarah</h1>{P("BPBD Kota Pematangsiantar dibentuk berdasarkan peraturan daerah sebagai pelaksana urusan penanggulangan bencana. Sebelumnya urusan ini ditangani oleh satuan kerja di bawah Sekretariat Daerah.")}</div>""",
     ["profil"], [], False),
    ("bpbd_visi_misi.html", "index.php/profil/visi-misi", "Visi-Misi",
     f"""<div class="page-content"><h1>VISI-MISI</h1><p><b>Visi:</b> Masyarakat Pematangsiantar yang tangguh menghadapi bencana.</p>
<p><b>Misi:</b> membangun budaya sadar bencana, memperkuat sistem peringatan, dan mempercepat pemulihan.</p></div>""",
     ["visi_misi"], [], False),
    ("bpbd_tupoksi.html", "index.php/profil/tupoksi", "Tupoksi",
     f"""<div class="page-content"><h1>TUPOKSI</h1><div class="isi"></div></div>""",
     [], [], True),
    ("bpbd_peringatan_dini.html", "index.php/page_menu/index/7", "Peringatan Dini",
     f"""<div class="page-content"><h1>Prosedur Peringatan Dini dan Evakuasi</h1>
<ol><li>Informasi cuaca ekstrem dari BMKG diteruskan ke kelurahan melalui grup radio dan pesan singkat.</li>
<li>Sirine dibunyikan tiga kali bila ketinggian air sungai melewati batas siaga.</li>
<li>Warga menuju titik kumpul mengikuti rambu jalur evakuasi.</li></ol>
<img src="{BB}uploads/peta-jalur-evakuasi.png" alt="Peta jalur evakuasi"></div>""",
     ["peringatan_dini"], [], False),
    ("bpbd_lakip.html", "index.php/page_menu/index/9", "LAKIP",
     f"""<div class="page-content"><h1>LAKIP</h1><ul class="list-dokumen">
<li><a href="{BB}uploads/dokumen/LAKIP_2019.pdf">LAKIP_2019.pdf</a></li>
<li><a href="{BB}uploads/dokumen/LAKIP_2020.pdf">LAKIP_2020.pdf</a></li></ul></div>""",
     ["lkjip"], [("lkjip", BB + "uploads/dokumen/LAKIP_2019.pdf"), ("lkjip", BB + "uploads/dokumen/LAKIP_2020.pdf")], False),
    ("bpbd_news_evakuasi.html", "index.php/berita/detail/45", "BPBD Sosialisasi Jalur Evakuasi di Siantar Marihat",
     f"""<div class="detail-berita"><h1>BPBD Sosialisasi Jalur Evakuasi di Siantar Marihat</h1><span class="tgl">Kamis, 19 November 2026 | 10:15 WIB</span>
{P("Pematangsiantar &ndash; BPBD bersama lurah dan kepala lingkungan memasang rambu titik kumpul di tiga kelurahan, Kamis (19/11/2026).")}
{P("Kegiatan ini melengkapi latihan kesiapsiagaan yang digelar bulan lalu bersama relawan.")}</div>""",
     [], [], False),
    ("bpbd_regulasi.html", "index.php/regulasi", "Regulasi",
     f"""<div class="page-content"><h1>Regulasi</h1><table class="table"><tr><th>Judul</th><th>Tahun</th><th></th></tr>
<tr><td>Peraturan Daerah tentang Penyelenggaraan Penanggulangan Bencana</td><td>2019</td><td><a href="{BB}uploads/regulasi/perda-pb.pdf">Lihat</a></td></tr>
<tr><td>Peraturan Wali Kota tentang Rincian Tugas BPBD</td><td>2023</td><td><a href="{BB}uploads/regulasi/perwal-rincian-tugas.pdf">Lihat</a></td></tr></table></div>""",
     ["produk_hukum"], [("produk_hukum", BB + "uploads/regulasi/perda-pb.pdf"), ("produk_hukum", BB + "uploads/regulasi/perwal-rincian-tugas.pdf")], False),
    ("bpbd_kontak.html", "index.php/kontak", "Hubungi Kami",
     f"""<div class="page-content"><h1>Hubungi Kami</h1>
<form action="{BB}index.php/kontak/kirim" method="post"><input name="nama"><textarea name="pesan"></textarea><button>Kirim</button></form>
<p>Pusdalops BPBD siaga 24 jam: 0813-6000-1122 &middot; bpbd@pematangsiantar.go.id</p></div>""",
     ["kontak"], [], False),
    ("bpbd_agenda.html", "index.php/publikasi/agenda", "Agenda",
     f"""<div class="page-content"><h1>Agenda Kegiatan</h1><table><tr><th>Tanggal</th><th>Kegiatan</th><th>Tempat</th></tr>
<tr><td>2 Desember 2026</td><td>Simulasi evakuasi sekolah</td><td>SD Negeri 122</td></tr>
<tr><td>9 Desember 2026</td><td>Rapat koordinasi musim hujan</td><td>Aula BPBD</td></tr></table></div>""",
     ["agenda"], [], False),
]

# ---------------------------------------------------------------- site 3: a neglected kecamatan site
KC = "http://kec-siantar-barat.pematangsiantar.go.id/"
KEC = {
    "skeleton": "plain", "name": "Kecamatan Siantar Barat", "base": KC, "tel": "901",
    "address": "Jl. Kartini No. 3, Siantar Barat", "email": "kec.siantarbarat@gmail.com",
    "menu": [("Beranda", KC), ("Profil", "#"), ("Visi Misi", "javascript:void(0)"),
             ("Struktur Organisasi", KC + "struktur"), ("Berita", KC + "berita"),
             ("Pengaduan", "https://www.lapor.go.id/"), ("Kontak", KC + "kontak")],
    "sidebar": "",
}
KEC_LINKS = [("struktur_organisasi", KC + "struktur"), ("berita", KC + "berita"),
             ("pengaduan", "https://www.lapor.go.id/"), ("kontak", KC + "kontak")]
KEC_PAGES = [
    ("kec_home.html", "", "Beranda",
     f"""<div class="hero"><h1>Selamat Datang di Website Kecamatan Siantar Barat</h1>
{P("Kecamatan Siantar Barat melayani administrasi kependudukan tingkat kecamatan, rekomendasi izin dan pembinaan kelurahan.")}</div>""",
     [], [], False),
    ("kec_struktur.html", "struktur", "Struktur Organisasi",
     """<div class="content"><h1>Struktur Organisasi</h1><p>Segera Hadir</p></div>""",
     [], [], True),
    ("kec_berita.html", "berita", "Berita",
     """<div class="content"><h1>Berita</h1><p>Belum ada berita.</p></div>""",
     [], [], True),
    ("kec_kontak.html", "kontak", "Kontak",
     """<div class="content"><h1>Kontak</h1><p>Kantor Camat Siantar Barat, Jl. Kartini No. 3. Telp. (0622) 21901.
Pengaduan layanan dapat disampaikan langsung pada jam kerja.</p></div>""",
     ["kontak"], [], False),
]
KEC_DEAD = ["profil", "visi_misi"]

# ---------------------------------------------------------------- stand-alone pages and traps
PP = "https://ppid.pematangsiantar.go.id/"
PPID = {
    "skeleton": "ci", "name": "PPID Kota Pematangsiantar", "base": PP, "tel": "111", "address": "Jl. Merdeka No. 6, Pematangsiantar",
    "email": "ppid@pematangsiantar.go.id",
    "menu": [("Beranda", PP), ("Informasi Publik", "#", [
        ("Informasi Berkala", "#", [("LKjIP", PP + "informasi-berkala/lkjip"), ("Laporan Keuangan", PP + "informasi-berkala/laporan-keuangan")]),
        ("Informasi Dikecualikan", PP + "informasi-dikecualikan")]),
        ("Layanan", "#", [("Pengajuan Keberatan", PP + "keberatan"), ("Laporan Layanan Informasi", PP + "laporan-layanan")])],
    "sidebar": "",
}
PPID_LINKS = [("lkjip", PP + "informasi-berkala/lkjip"), ("laporan_keuangan", PP + "informasi-berkala/laporan-keuangan"),
              ("informasi_dikecualikan", PP + "informasi-dikecualikan"), ("permohonan_informasi", PP + "keberatan"),
              ("laporan_layanan_informasi", PP + "laporan-layanan")]

GEN = {"skeleton": "plain", "name": "Dinas Koperasi, UKM, Perindustrian dan Perdagangan", "base": "https://diskopdag.pematangsiantar.go.id/",
       "tel": "222", "address": "Jl. Diponegoro No. 11, Pematangsiantar", "email": "diskopdag@pematangsiantar.go.id",
       "menu": [("Beranda", "https://diskopdag.pematangsiantar.go.id/")], "sidebar": ""}
G = GEN["base"]
ALONE = [
    # (theme, file, path, title, body, held, links, placeholder)
    (PPID, "ppid_lkjip.html", "informasi-berkala/lkjip", "LKjIP",
     f"""<nav class="breadcrumb"><a href="{PP}">PPID</a> &rsaquo; <a href="#">Informasi Berkala</a> &rsaquo; LKjIP</nav>
<h1>LKjIP Perangkat Daerah</h1><ul>
<li><a href="{PP}files/lkjip/LKjIP%20Dinas%20Pendidikan%202025.pdf">LKjIP Dinas Pendidikan 2025</a></li>
<li><a href="{PP}files/lkjip/LKjIP-Bappeda-2025.pdf">LKjIP Bappeda 2025</a></li></ul>""",
     ["lkjip"], [("ppid", PP), ("lkjip", PP + "files/lkjip/LKjIP%20Dinas%20Pendidikan%202025.pdf"),
                 ("lkjip", PP + "files/lkjip/LKjIP-Bappeda-2025.pdf")], False),
    (PPID, "ppid_keuangan.html", "informasi-berkala/laporan-keuangan", "Laporan Keuangan",
     f"""<h1>Laporan Keuangan</h1><table><tr><th>Dokumen</th><th>Tahun</th><th>Unduh</th></tr>
<tr><td>Laporan Realisasi Anggaran (LRA)</td><td>2025</td><td><a href="{PP}files/keu/lra-2025.pdf">Download</a></td></tr>
<tr><td>Neraca</td><td>2025</td><td><a href="{PP}files/keu/neraca-2025.xlsx">Download</a></td></tr>
<tr><td>Catatan atas Laporan Keuangan (CaLK)</td><td>2024</td><td><a href="{PP}files/keu/calk_2024.pdf">Download</a></td></tr></table>""",
     ["laporan_keuangan"], [("laporan_keuangan", PP + "files/keu/lra-2025.pdf"), ("laporan_keuangan", PP + "files/keu/neraca-2025.xlsx"),
                            ("laporan_keuangan", PP + "files/keu/calk_2024.pdf")], False),
    (PPID, "ppid_dikecualikan.html", "informasi-dikecualikan", "Informasi Dikecualikan",
     f"""<h1>Informasi yang Dikecualikan</h1>{P("Berdasarkan uji konsekuensi, informasi berikut dikecualikan: data pribadi pasien, dokumen pengadaan yang masih dalam proses evaluasi, dan rincian sistem keamanan jaringan.")}""",
     ["informasi_dikecualikan"], [], False),
    (PPID, "ppid_laporan_layanan.html", "laporan-layanan", "Laporan Layanan Informasi",
     f"""<h1>Laporan Layanan Informasi Publik</h1>{P("Ringkasan jumlah permohonan, waktu rata-rata penyelesaian dan jumlah keberatan setiap tahun.")}
<a href="{PP}files/laporan-layanan-informasi-publik-2025.pdf">Laporan Layanan Informasi Publik Tahun 2025</a>""",
     ["laporan_layanan_informasi"], [("laporan_layanan_informasi", PP + "files/laporan-layanan-informasi-publik-2025.pdf")], False),
    (GEN, "trap_rka.html", "?page_id=41", "Rencana Kerja dan Anggaran",
     f"""<h1>Rencana Kerja dan Anggaran (RKA) Tahun 2026</h1>{P("RKA disusun sebagai dasar pembahasan rancangan APBD bersama tim anggaran pemerintah daerah dan badan anggaran DPRD.")}
<a href="{G}uploads/RKA_2026.pdf">RKA 2026 (PDF)</a>""",
     ["anggaran"], [("anggaran", G + "uploads/RKA_2026.pdf")], False),
    (GEN, "trap_laporan_kinerja.html", "laporan-kinerja", "Laporan Kinerja",
     f"""<h1>Laporan Kinerja</h1>{P("Laporan kinerja memuat capaian sasaran strategis, analisis efisiensi penggunaan sumber daya dan rencana perbaikan tahun berikutnya.")}
<a href="{G}uploads/Laporan-Kinerja-2025.pdf">Laporan Kinerja 2025</a>
<p>Punya keluhan? <a href="https://www.lapor.go.id/">Lapor!</a></p>""",
     ["lkjip"], [("lkjip", G + "uploads/Laporan-Kinerja-2025.pdf"), ("pengaduan", "https://www.lapor.go.id/")], False),
    (GEN, "trap_dipa.html", "dipa", "DIPA",
     f"""<h1>DIPA Dana Tugas Pembantuan 2025</h1>{P("Daftar isian pelaksanaan anggaran dari kementerian untuk program revitalisasi pasar rakyat di Kota Pematangsiantar.")}
<a href="{G}uploads/DIPA-TP-2025.pdf">DIPA TP 2025</a>""",
     [], [], False),
    (GEN, "trap_ikm.html", "ikm", "IKM",
     f"""<h1>Pembinaan IKM (Industri Kecil dan Menengah)</h1>{P("Sentra IKM tenun dan makanan olahan mendapat pelatihan desain kemasan dan sertifikasi halal dari dinas.")}
<ul><li><a href="{G}ikm/sentra">Sentra IKM</a></li><li><a href="{G}skm">Survei Kepuasan Masyarakat (SKM)</a></li></ul>""",
     [], [("survei_kepuasan", G + "skm")], False),
    (GEN, "gen_skm.html", "skm", "Survei Kepuasan Masyarakat",
     f"""<h1>Hasil Survei Kepuasan Masyarakat Semester I 2026</h1>{P("Nilai indeks kepuasan masyarakat atas layanan izin usaha mikro mencapai 84,2 dengan mutu pelayanan B (baik).")}
<a href="{G}uploads/Laporan_SKM_Semester_I_2026.pdf">Laporan SKM Semester I 2026</a>""",
     ["survei_kepuasan"], [("survei_kepuasan", G + "uploads/Laporan_SKM_Semester_I_2026.pdf")], False),
    (GEN, "gen_pengadaan.html", "pengadaan", "Pengadaan Barang dan Jasa",
     f"""<h1>Pengadaan Barang/Jasa</h1>{P("Rencana umum pengadaan dinas diumumkan melalui SiRUP dan paket tender melalui LPSE Kota Pematangsiantar.")}
<ul><li><a href="https://sirup.lkpp.go.id/sirup/ro/rekap/klpd/D123">RUP Dinas di SiRUP</a></li><li><a href="https://lpse.pematangsiantar.go.id/">Klik di sini</a></li></ul>""",
     ["pengadaan"], [("pengadaan", "https://sirup.lkpp.go.id/sirup/ro/rekap/klpd/D123"), ("pengadaan", "https://lpse.pematangsiantar.go.id/")], False),
    (GEN, "gen_sop.html", "sop", "SOP",
     f"""<h1>Standar Operasional Prosedur (SOP)</h1><ol>
<li><a href="{G}uploads/sop/SOP_Izin_Usaha.pdf">SOP Penerbitan Izin Usaha Mikro</a></li>
<li><a href="{G}uploads/sop/SOP_Tera_Ulang.pdf">SOP Tera Ulang Timbangan</a></li></ol>""",
     ["sop"], [("sop", G + "uploads/sop/SOP_Izin_Usaha.pdf"), ("sop", G + "uploads/sop/SOP_Tera_Ulang.pdf")], False),
    (GEN, "gen_maklumat.html", "maklumat", "Maklumat Pelayanan",
     f"""<h1>Maklumat Pelayanan</h1><img src="{G}uploads/maklumat-pelayanan.jpg" alt="Maklumat">""",
     ["maklumat_pelayanan"], [], False),
    (GEN, "gen_lhkpn.html", "lhkpn", "LHKPN",
     f"""<h1>LHKPN &amp; LHKASN</h1>{P("Kepala dinas dan pejabat administrator telah menyampaikan laporan harta kekayaan tahun 2025 melalui aplikasi e-LHKPN.")}
<a href="https://elhkpn.kpk.go.id/">e-LHKPN KPK</a>""",
     ["lhkpn"], [("lhkpn", "https://elhkpn.kpk.go.id/")], False),
    (GEN, "gen_program.html", "program", "Program dan Kegiatan",
     f"""<h1>Program dan Kegiatan Tahun 2026</h1><table><tr><th>Program</th><th>Kegiatan</th></tr>
<tr><td>Program Pengembangan UMKM</td><td>Pelatihan pemasaran daring</td></tr>
<tr><td>Program Perlindungan Konsumen</td><td>Tera ulang alat ukur di pasar tradisional</td></tr></table>""",
     ["program_kegiatan"], [], False),
    (GEN, "gen_open_data.html", "data", "Open Data",
     f"""<h1>Data Terbuka</h1>{P("Data jumlah koperasi aktif, pelaku UMKM binaan dan harga bahan pokok mingguan tersedia di portal satu data kota.")}
<a href="https://sisada.pematangsiantar.go.id/dataset?organization=diskopdag">Dataset Diskopdag di Satu Data Siantar</a>""",
     ["data_terbuka"], [("data_terbuka", "https://sisada.pematangsiantar.go.id/dataset?organization=diskopdag")], False),
    (GEN, "gen_lowongan.html", "rekrutmen", "Rekrutmen",
     f"""<h1>Rekrutmen Tenaga Pendamping UMKM</h1>{P("Dibuka kesempatan bagi lulusan D3 atau S1 untuk menjadi pendamping UMKM. Berkas lamaran diterima sampai akhir bulan di kantor dinas.")}""",
     ["ketenagakerjaan"], [], False),
    (GEN, "gen_under_construction.html", "galeri", "Galeri",
     """<div class="uc"><h1>Galeri</h1><p>This page is under construction</p></div>""",
     [], [], True),
    (GEN, "gen_agenda_empty.html", "agenda", "Agenda Pimpinan",
     """<h1>Agenda Pimpinan</h1>""",
     [], [], True),
    (GEN, "gen_wbs.html", "wbs", "Whistleblowing System",
     f"""<h1>Whistleblowing System (WBS)</h1>{P("Laporkan dugaan pelanggaran pegawai secara rahasia. Identitas pelapor dilindungi dan setiap laporan ditindaklanjuti inspektorat.")}
<a href="{G}wbs/form">Formulir WBS</a>""",
     ["pengaduan"], [("pengaduan", G + "wbs/form")], False),
]


def main() -> None:
    """Write the pages, labels.jsonl and the per-site resource lists."""
    labels = []

    def emit(theme, fname, path, title, body, held, links, placeholder, base_links=(), dead=()):
        html = page(theme, title, body)
        (HERE / fname).write_text(html, encoding="utf-8")
        url = theme["base"] + path
        all_links = [{"item": i, "url": u} for i, u in list(base_links) + list(links)]
        labels.append({"file": fname, "url": url, "held": held, "placeholder": placeholder,
                       "links": all_links, "dead": list(dead)})

    for f, p, t, b, h, lk, ph in DINKES_PAGES:
        emit(DINKES, f, p, t, b, h, lk, ph, DINKES_LINKS, ["survei_kepuasan"])
    for f, p, t, b, h, lk, ph in BPBD_PAGES:
        emit(BPBD, f, p, t, b, h, lk, ph, BPBD_LINKS, ["profil_pimpinan"])
    for f, p, t, b, h, lk, ph in KEC_PAGES:
        emit(KEC, f, p, t, b, h, lk, ph, KEC_LINKS, KEC_DEAD)
    for theme, f, p, t, b, h, lk, ph in ALONE:
        base = PPID_LINKS if theme is PPID else []
        emit(theme, f, p, t, b, h, lk, ph, base)
    with open(HERE / "labels.jsonl", "w", encoding="utf-8") as out:
        for rec in labels:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
