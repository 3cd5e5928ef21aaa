"""The seeded WordPress sites: what each holds (dates relative to the run's as-of) and what ronda should conclude."""
from __future__ import annotations

import base64
from datetime import date, timedelta


def tiny_pdf(text: str) -> bytes:
    """A small valid one-page PDF showing `text` (an OPD's uploaded report, minus the bulk)."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _dt(d: date, hm: str = "09:30") -> str:
    return f"{d.isoformat()} {hm}:00"


NEWS = [  # (days before as-of, title, body) for the active site; the first is the newest published post
    (3, "Pasar Murah Beras Medium di Empat Kecamatan",
     "<p>Pematangsiantar, Selasa - Dinas menggelar pasar murah beras medium di empat kecamatan. "
     "Warga dapat membeli paling banyak dua karung per kartu keluarga.</p>"),
    (11, "Pemantauan Harga Cabai Merah Menjelang Akhir Tahun",
     "<p>Petugas memantau harga cabai merah di Pasar Horas dan Pasar Dwikora setiap pagi.</p>"),
    (26, "Sosialisasi Pekarangan Pangan Lestari bagi Kelompok Wanita Tani",
     "<p>Sebanyak tiga puluh kelompok wanita tani mengikuti sosialisasi pemanfaatan pekarangan.</p>"),
    (44, "Gerakan Makan Ikan di Sekolah Dasar",
     "<p>Gerakan ini mengajak murid sekolah dasar mengenal menu ikan air tawar dari kolam warga.</p>"),
    (70, "Rapat Koordinasi Cadangan Pangan Pemerintah Daerah",
     "<p>Rapat membahas stok cadangan beras dan jadwal penyaluran bantuan pangan.</p>"),
    (95, "Pelatihan Pengolahan Pangan Lokal Berbahan Ubi",
     "<p>Peserta belajar membuat tepung dan kue dari ubi kayu hasil kebun sendiri.</p>"),
    (140, "Penyaluran Bantuan Pangan Tahap Kedua",
     "<p>Bantuan beras disalurkan melalui kantor kelurahan kepada keluarga penerima manfaat.</p>"),
    (190, "Lomba Cipta Menu Beragam, Bergizi Seimbang dan Aman",
     "<p>Lomba diikuti perwakilan tim penggerak PKK dari delapan kecamatan.</p>"),
    (230, "Uji Petik Keamanan Pangan Segar di Pasar Tradisional",
     "<p>Sampel sayur dan buah diuji cepat untuk residu pestisida.</p>"),
    (280, "Penilaian Kinerja Penyuluh Pangan",
     "<p>Penilaian dilakukan terhadap dua belas penyuluh di lingkungan dinas.</p>"),
    (330, "Kunjungan Kerja ke Lumbung Pangan Masyarakat",
     "<p>Tim meninjau tiga lumbung pangan masyarakat yang dibangun tahun lalu.</p>"),
]

OLD_NEWS = [  # the abandoned (and compromised) site's last posts
    (76, "Penerimaan Peserta Didik Baru Jalur Zonasi",
     "<p>Pendaftaran dibuka bagi calon murid yang tinggal di sekitar sekolah.</p>"),
    (130, "Bimbingan Teknis Kurikulum bagi Guru Sekolah Dasar",
     "<p>Sebanyak seratus guru mengikuti bimbingan teknis selama tiga hari.</p>"),
    (210, "Penyerahan Bantuan Seragam Sekolah",
     "<p>Bantuan seragam diserahkan kepada murid dari keluarga kurang mampu.</p>"),
]

SPAM_WIDGET = (
    '<div style="position:absolute;left:-9999px;top:-9999px">'
    '<a href="https://gacor-hari-ini.example/">slot gacor hari ini</a> '
    '<a href="https://situs88.example/">situs slot88 maxwin</a> '
    '<a href="https://togel4d.example/">togel online pay4d</a> '
    '<a href="https://rtp-live.example/">pola RTP slot gacor</a></div>'
)


def specs(as_of: date) -> dict[str, dict]:
    """One JSON-able seeding spec per site key, dates relative to `as_of` (Asia/Jakarta)."""
    ago = lambda n: as_of - timedelta(days=n)  # noqa: E731
    options = {"timezone_string": "Asia/Jakarta", "blogdescription": "Pemerintah Kota Pematangsiantar",
               "date_format": "j F Y", "time_format": "H.i", "posts_per_page": 10}
    pangan_pages = [
        {"key": "profil", "slug": "profil", "title": "Profil", "order": 1,
         "content": "<p>Sejarah singkat dinas: dibentuk untuk menjaga ketersediaan dan keamanan pangan warga kota. "
                    "Dinas dipimpin seorang kepala dinas dan dibantu seorang sekretaris.</p>"},
        {"key": "visi_misi", "slug": "visi-dan-misi", "title": "Visi dan Misi", "parent": "profil", "order": 1,
         "content": "<h2>Visi</h2><p>Warga kota yang cukup pangan, sehat dan sejahtera.</p>"
                    "<h2>Misi</h2><ol><li>Menjaga ketersediaan pangan.</li><li>Memperluas akses pangan.</li></ol>"},
        {"key": "struktur", "slug": "struktur-organisasi", "title": "Struktur Organisasi", "parent": "profil", "order": 2,
         "content": "<p>Susunan organisasi dinas terdiri atas kepala dinas, sekretariat, bidang ketersediaan pangan, "
                    "bidang distribusi pangan dan bidang konsumsi serta keamanan pangan.</p>"},
        {"key": "tugas", "slug": "tugas-dan-fungsi", "title": "Tugas dan Fungsi", "parent": "profil", "order": 3,
         "content": "<p>Dinas melaksanakan urusan pemerintahan bidang pangan yang menjadi kewenangan daerah, "
                    "dengan fungsi perumusan kebijakan teknis, pelaksanaan dan evaluasi di bidang pangan.</p>"},
        {"key": "ppid", "slug": "ppid", "title": "PPID", "order": 2,
         "content": "<p>Pejabat Pengelola Informasi dan Dokumentasi (PPID) Pelaksana dinas melayani warga yang "
                    "membutuhkan informasi publik pada jam kerja.</p>"},
        {"key": "dip", "slug": "daftar-informasi-publik", "title": "Daftar Informasi Publik", "parent": "ppid", "order": 1,
         "content": "<table><tr><th>No</th><th>Ringkasan Isi Informasi</th><th>Penanggung Jawab</th></tr>"
                    "<tr><td>1</td><td>Data cadangan beras daerah</td><td>Bidang Ketersediaan</td></tr>"
                    "<tr><td>2</td><td>Peta ketahanan dan kerentanan pangan</td><td>Bidang Konsumsi</td></tr></table>"},
        {"key": "lkjip", "slug": "laporan-kinerja", "title": "Laporan Kinerja", "parent": "ppid", "order": 2,
         "content": '<p>Laporan kinerja instansi pemerintah dinas dapat diunduh di bawah ini.</p>'
                    '<p><a href="@DOC_URL@">Unduh LKjIP Tahun 2025 (PDF)</a></p>'},
        {"key": "standar", "slug": "standar-pelayanan", "title": "Standar Pelayanan", "parent": "ppid", "order": 3,
         "content": "<p>Halaman ini sedang dalam pengembangan.</p>"},
        {"key": "kontak", "slug": "kontak", "title": "Kontak", "order": 3,
         "content": "<p>Jl. Sutomo No. 10, Kota Pematangsiantar, Sumatera Utara 21118</p>"
                    "<p>Telepon: (0622) 7654321</p><p>Surel: pangan@pematangsiantar.example.go.id</p>"},
    ]
    for p in pangan_pages:
        p["date"] = _dt(ago(380))
    pangan_menu = [
        {"key": "beranda", "title": "Beranda", "url": "/"},
        {"key": "m_profil", "title": "Profil", "page": "profil"},
        {"key": "m_visi", "title": "Visi dan Misi", "page": "visi_misi", "parent": "m_profil"},
        {"key": "m_struktur", "title": "Struktur Organisasi", "page": "struktur", "parent": "m_profil"},
        {"key": "m_tugas", "title": "Tugas dan Fungsi", "page": "tugas", "parent": "m_profil"},
        {"key": "m_berita", "title": "Berita", "category": "berita"},
        {"key": "m_ppid", "title": "PPID", "page": "ppid"},
        {"key": "m_dip", "title": "Daftar Informasi Publik", "page": "dip", "parent": "m_ppid"},
        {"key": "m_lkjip", "title": "Laporan Kinerja", "page": "lkjip", "parent": "m_ppid"},
        {"key": "m_standar", "title": "Standar Pelayanan", "page": "standar", "parent": "m_ppid"},
        {"key": "m_kontak", "title": "Kontak", "page": "kontak"},
    ]
    pangan_posts = [{"key": f"news{i}", "title": t, "content": c, "status": "publish", "category": "berita",
                     "date": _dt(ago(n))} for i, (n, t, c) in enumerate(NEWS)]
    pangan_posts += [
        {"key": "draft", "title": "Draf: Rencana Operasi Pasar Tahun Depan", "status": "draft", "category": "berita",
         "content": "<p>Belum final.</p>", "date": _dt(ago(1))},
        {"key": "future", "title": "Pengumuman Jadwal Pasar Murah Bulan Depan", "status": "future", "category": "berita",
         "content": "<p>Dijadwalkan terbit otomatis.</p>", "date": _dt(as_of + timedelta(days=5))},
    ]
    return {
        "pangan": {
            "title": "Dinas Ketahanan Pangan", "locale": "id_ID", "theme": "twentytwentyone",
            "permalinks": "/%year%/%monthnum%/%day%/%postname%/", "options": options,
            "sample_date": _dt(ago(400), "08:00"),   # installed long ago: "Halo dunia!" is older than every real post
            "categories": {"berita": "Berita"},
            "posts": pangan_posts, "pages": pangan_pages, "menus": [
                {"name": "Menu Utama", "location": "primary", "items": pangan_menu}],
            "attachments": [{"key": "lkjip_pdf", "page": "lkjip", "filename": "LKjIP-2025.pdf",
                             "title": "LKjIP 2025", "date": _dt(ago(200)), "date_path": ago(200).strftime("%Y/%m"),
                             "body_b64": base64.b64encode(tiny_pdf("Laporan Kinerja Instansi Pemerintah Tahun 2025")).decode()}],
        },
        "kecamatan": {
            # A fresh install left as it is: only "Halo dunia!" and "Halaman Contoh", dated at install time (today).
            "title": "Kecamatan Siantar Contoh", "locale": "id_ID", "theme": "twentytwentythree", "options": {
                "timezone_string": "Asia/Jakarta"}},
        "pendidikan": {
            "title": "Dinas Pendidikan", "locale": "id_ID", "theme": "twentytwentyone",
            "permalinks": "/index.php/%year%/%monthnum%/%day%/%postname%/", "options": options,
            "delete_sample": True, "categories": {"berita": "Berita"},
            "posts": [{"key": f"old{i}", "title": t, "content": c, "status": "publish", "category": "berita",
                       "date": _dt(ago(n))} for i, (n, t, c) in enumerate(OLD_NEWS)],
            "widgets": [
                {"sidebar": "sidebar-1", "title": "Jam Pelayanan", "text": "<p>Senin sampai Jumat, 08.00 - 16.00 WIB</p>"},
                {"sidebar": "sidebar-1", "title": "", "text": SPAM_WIDGET},
            ],
        },
    }


def expected(as_of: date) -> dict[str, dict]:
    """What ronda should conclude per site from the seeded content."""
    return {
        "pangan": {"status": "active", "last_update": (as_of - timedelta(days=NEWS[0][0])).isoformat(),
                   "last_update_title": NEWS[0][1],
                   "found": {"profil", "visi_misi", "struktur_organisasi", "tugas_fungsi", "ppid",
                             "daftar_informasi_publik", "lkjip", "kontak", "berita"},
                   "placeholder": "standar_pelayanan"},
        "kecamatan": {"status": "idle", "last_update": None},
        "pendidikan": {"status": "compromised", "last_update": (as_of - timedelta(days=OLD_NEWS[0][0])).isoformat()},
    }
