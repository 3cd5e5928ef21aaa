"""Build the blind-labelled checklist pages (tuning_blind1): written after the detector, labelled by hand, then used to fix it."""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
B = "https://disdik.pematangsiantar.go.id/"


def joomla(title: str, body: str) -> str:
    """A Joomla 3 style template: module positions, no HTML5 landmarks."""
    return f"""<!DOCTYPE html><html lang="id-id" dir="ltr"><head><meta charset="utf-8">
<title>{title}</title><base href="{B}"></head><body class="site com_content view-article">
<div class="body"><div class="container">
<div class="header"><a class="brand pull-left" href="/"><img src="images/logo-disdik.png" alt="Dinas Pendidikan"></a>
<div class="header-search pull-right"><div class="custom">Hotline (0622) 24680 | disdik@pematangsiantar.go.id</div></div></div>
<div class="navigation"><div class="moduletable_menu"><ul class="nav menu mod-list">
<li class="item-101 default"><a href="/">Beranda</a></li>
<li class="item-102 deeper parent"><a href="/index.php/profil">Profil</a><ul class="nav-child unstyled small">
<li class="item-103"><a href="/index.php/profil/visi-dan-misi">Visi dan Misi</a></li>
<li class="item-104"><a href="/index.php/profil/struktur-organisasi">Struktur Organisasi</a></li></ul></li>
<li class="item-110"><a href="/index.php/ppid">PPID</a></li>
<li class="item-111"><a href="/index.php/layanan/standar-pelayanan">Standar Pelayanan</a></li>
<li class="item-112"><a href="/index.php/kontak-kami">Kontak Kami</a></li></ul></div></div>
<div class="row-fluid"><main id="content" role="main" class="span9">
{body}
</main><div id="aside" class="span3"><div class="well "><h3 class="page-header">Pengumuman</h3>
<ul class="latestnews"><li><a href="/index.php/berita/88-pengumuman-ppdb-2026">Pengumuman PPDB 2026</a></li></ul></div></div></div>
</div></div>
<div class="footer"><div class="container"><p class="pull-right"><a href="#top" id="back-top">Back to Top</a></p>
<p>Jl. Merdeka No. 2, Pematangsiantar &copy; 2026 Dinas Pendidikan</p></div></div></body></html>
"""


PAGES = {
    "h_joomla_standar.html": ("Standar Pelayanan Publik - Dinas Pendidikan", """<div class="item-page" itemscope>
<div class="page-header"><h2 itemprop="headline">Standar Pelayanan Publik</h2></div>
<div class="icons"><a href="/index.php/layanan/standar-pelayanan?tmpl=component&amp;print=1" title="Cetak">Cetak</a>
<a href="/index.php/component/mailto/?tmpl=component&amp;link=abc" title="E-mail">E-mail</a></div>
<div itemprop="articleBody"><p>Standar pelayanan legalisir ijazah dan surat keterangan pindah sekolah:</p>
<table><tr><td>Persyaratan</td><td>Fotokopi ijazah dan ijazah asli</td></tr><tr><td>Waktu</td><td>1 hari kerja</td></tr>
<tr><td>Biaya</td><td>Tidak dipungut biaya</td></tr></table></div></div>"""),
    "h_title_only_maklumat.html": ("Maklumat Pelayanan | Dinas Pendidikan", """<div class="judul">MAKLUMAT PELAYANAN</div>
<p><img src="images/maklumat-disdik-2025.jpg" alt=""></p>"""),
    "h_h4_sop.html": ("Dinas Pendidikan", """<div class="blog"><h4 class="judul-halaman">SOP Pelayanan</h4>
<p>Standar operasional prosedur setiap layanan di Dinas Pendidikan dapat dilihat pada daftar berikut.</p>
<ul><li><a href="images/sop/sop-legalisir.pdf">SOP Legalisir Ijazah</a></li><li><a href="images/sop/sop-mutasi.pdf">SOP Mutasi Siswa</a></li></ul></div>"""),
    "h_news_pengumuman.html": ("Pengumuman Seleksi Terbuka JPT Pratama", """<div class="item-page"><h2>Pengumuman Seleksi Terbuka JPT Pratama</h2>
<dd class="published">Diterbitkan: Senin, 23 November 2026 09:00</dd>
<p>Panitia seleksi mengumumkan nama peserta yang lulus seleksi administrasi. Peserta diminta hadir pada tes kompetensi sesuai jadwal.</p></div>"""),
    "h_ppid_pelaksana.html": ("PPID Pelaksana - Dinas Pendidikan", """<div class="item-page"><h2>PPID Pelaksana Dinas Pendidikan</h2>
<p>PPID Pelaksana bertugas menyediakan, menyimpan dan melayani permintaan informasi publik di lingkungan Dinas Pendidikan.</p>
<ul><li><a href="index.php/ppid/dip">Daftar Informasi Publik</a></li><li><a href="images/ppid/Formulir-Keberatan.pdf">Formulir Keberatan</a></li></ul></div>"""),
    "h_renstra_empty.html": ("Renstra - Dinas Pendidikan", """<div class="item-page"><h2>Renstra</h2><p>Konten belum tersedia.</p></div>"""),
    "h_home_running_text.html": ("Beranda - Dinas Pendidikan", """<div class="running-text"><marquee>Mohon maaf, website sedang dalam perbaikan tampilan</marquee></div>
<div class="blog-featured"><h2>Berita Pendidikan</h2>
<div class="item"><h3><a href="/index.php/berita/90-guru-penggerak">Guru Penggerak Angkatan 12 Dilantik</a></h3><p>Sebanyak 48 guru dari jenjang SD dan SMP resmi menjadi guru penggerak setelah mengikuti pendidikan selama sembilan bulan.</p></div>
<div class="item"><h3><a href="/index.php/berita/89-lomba-literasi">Lomba Literasi Tingkat Kota</a></h3><p>Lomba membaca nyaring diikuti perwakilan 60 sekolah dasar di aula dinas.</p></div></div>"""),
    "h_renja_table.html": ("Rencana Kerja - Dinas Pendidikan", """<div class="item-page"><h2>Rencana Kerja</h2>
<table class="table"><tr><th>Nama File</th><th>Ukuran</th></tr>
<tr><td><a href="images/dokumen/Renja%202025.pdf">Renja 2025.pdf</a></td><td>2,1 MB</td></tr>
<tr><td><a href="images/dokumen/renja-perubahan-2024.pdf">RENJA PERUBAHAN 2024</a></td><td>1,8 MB</td></tr></table></div>"""),
    "h_kontak_map.html": ("Kontak Kami - Dinas Pendidikan", """<div class="contact"><h2>Kontak Kami</h2>
<iframe src="https://maps.google.com/maps?q=disdik&amp;output=embed" width="100%" height="350"></iframe>
<form action="/index.php/kontak-kami" method="post"><input type="text" name="jform[contact_name]"><textarea name="jform[contact_message]"></textarea></form></div>"""),
    "h_skm_gform.html": ("Survei Kepuasan Masyarakat - Dinas Pendidikan", """<div class="item-page"><h2>Survei Kepuasan Masyarakat</h2>
<p>Bantu kami meningkatkan mutu layanan dengan mengisi survei singkat berikut, kurang dari lima menit.</p>
<p><a href="https://docs.google.com/forms/d/e/1FAIpQLSd-skm-disdik/viewform">Isi Survei Kepuasan Masyarakat</a></p></div>"""),
    "h_trap_data_ikm.html": ("Data IKM - Dinas Koperasi", """<div class="item-page"><h2>Data IKM Kota Pematangsiantar</h2>
<p>Jumlah unit usaha industri kecil menengah menurut kecamatan pada tahun 2025, hasil pendataan lapangan petugas dinas.</p>
<table><tr><td>Siantar Barat</td><td>212</td></tr><tr><td>Siantar Timur</td><td>187</td></tr></table></div>"""),
    "h_trap_spm.html": ("Sosialisasi SPM - Dinas Kesehatan", """<div class="item-page"><h2>Sosialisasi Standar Pelayanan Minimal Bidang Pendidikan</h2>
<p>Kepala sekolah se-Kota Pematangsiantar mengikuti sosialisasi standar pelayanan minimal pendidikan dasar di aula dinas, Rabu (18/11/2026).</p></div>"""),
    "h_informasi_berkala.html": ("Informasi Berkala - Dinas Pendidikan", """<div class="item-page"><h2>Informasi Berkala</h2>
<ol><li><a href="images/ppid/Laporan-Keuangan-2025.pdf">Laporan Keuangan 2025</a></li>
<li><a href="images/ppid/LRA-Semester-I-2026.xlsx">LRA Semester I 2026</a></li>
<li><a href="images/ppid/Renstra-2019-2024.pdf">Renstra 2019-2024</a></li></ol></div>"""),
    "h_struktur_embed.html": ("Struktur Organisasi - Dinas Pendidikan", """<div class="item-page"><h2>Struktur Organisasi</h2>
<embed src="images/sotk-disdik.pdf" type="application/pdf" width="100%" height="600"></div>"""),
    "h_agenda_js.html": ("Agenda - Dinas Pendidikan", """<div class="item-page"><h2>Agenda</h2><div id="calendar"></div>
<script>document.addEventListener('DOMContentLoaded', function () {{ loadCalendar('/api/agenda'); }});</script></div>"""),
    "h_visi_misi_strong.html": ("Visi dan Misi - Dinas Pendidikan", """<div class="item-page"><h2>Visi dan Misi</h2>
<p><strong>VISI</strong></p><p>Pendidikan yang merata, bermutu dan berkarakter.</p><p><strong>MISI</strong></p>
<p>1. Memperluas akses pendidikan. 2. Meningkatkan mutu pendidik.</p></div>"""),
}

if __name__ == "__main__":
    for name, (title, body) in PAGES.items():
        (HERE / name).write_text(joomla(title, body), encoding="utf-8")
