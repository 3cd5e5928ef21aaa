"""Regenerates the labelled pages of tests/pages/spam/ (own text, written from the field notes): python make_pages.py"""
import json, os

OUT = os.path.dirname(os.path.abspath(__file__))
os.makedirs(OUT, exist_ok=True)
previous = [json.loads(l) for l in open(os.path.join(OUT, "labels.jsonl"), encoding="utf-8")] \
    if os.path.exists(os.path.join(OUT, "labels.jsonl")) else []
labels = []

MENU_STYLE = """
<style>
  body{font-family:Arial,sans-serif;margin:0;color:#222}
  .topbar{background:#0b4f8a;color:#fff;font-size:13px;padding:4px 12px}
  .nav ul{list-style:none;margin:0;padding:0}
  .nav li{display:inline-block;position:relative}
  .nav .dropdown-menu{display:none;position:absolute;background:#fff}
  .nav li:hover .dropdown-menu{display:block}
  #mobile-menu{display:none}
  @media (max-width:700px){.nav{display:none} #mobile-menu{display:block}}
  .footer{background:#222;color:#ccc;padding:16px}
  .sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)}
</style>"""

NAV = """
<div class="topbar">Sabtu, 28 November 2026 | 24°C Berawan | <a href="/kontak">Kontak</a></div>
<div class="nav"><ul>
 <li><a href="/">Beranda</a></li>
 <li><a href="#">Profil</a><ul class="dropdown-menu">
   <li><a href="/profil/visi-misi">Visi dan Misi</a></li>
   <li><a href="/profil/tugas-fungsi">Tugas dan Fungsi</a></li>
   <li><a href="/profil/struktur-organisasi">Struktur Organisasi</a></li>
   <li><a href="/profil/data-pegawai">Data Pegawai</a></li></ul></li>
 <li><a href="#">PPID</a><ul class="dropdown-menu">
   <li><a href="/ppid/dip">Daftar Informasi Publik</a></li>
   <li><a href="/ppid/berkala">Informasi Berkala</a></li>
   <li><a href="/ppid/serta-merta">Informasi Serta Merta</a></li>
   <li><a href="/ppid/setiap-saat">Informasi Setiap Saat</a></li>
   <li><a href="/ppid/permohonan">Permohonan Informasi</a></li></ul></li>
 <li><a href="#">Layanan</a><ul class="dropdown-menu">
   <li><a href="/layanan/pengaduan">Pengaduan Masyarakat</a></li>
   <li><a href="/layanan/skm">Survei Kepuasan Masyarakat</a></li>
   <li><a href="/layanan/standar-pelayanan">Standar Pelayanan</a></li></ul></li>
 <li><a href="/berita">Berita</a></li>
 <li><a href="/download">Download</a></li>
</ul></div>
<div id="mobile-menu"><a href="/">Beranda</a> <a href="/berita">Berita</a> <a href="/ppid">PPID</a></div>
"""

FOOTER = """
<div class="footer">
 <h4>Link Terkait</h4>
 <ul>
  <li><a href="https://www.pematangsiantar.go.id/">Portal Kota Pematangsiantar</a></li>
  <li><a href="https://www.lapor.go.id/">SP4N-LAPOR!</a></li>
  <li><a href="https://jdih.pematangsiantar.go.id/">JDIH</a></li>
  <li><a href="https://www.kemendagri.go.id/">Kementerian Dalam Negeri</a></li>
  <li><a href="https://sumutprov.go.id/">Provinsi Sumatera Utara</a></li>
 </ul>
 <div class="share"><a href="https://www.facebook.com/pemkotsiantar">Facebook</a>
 <a href="https://www.instagram.com/pemkotsiantar">Instagram</a>
 <a href="https://www.youtube.com/@pemkotsiantar">YouTube</a></div>
 <p>Jl. Merdeka No. 6, Pematangsiantar. Telp (0622) 000000.</p>
 <p>&copy; 2018-2026 Dinas Komunikasi dan Informatika Kota Pematangsiantar</p>
 %(inject)s
</div>"""

SCRIPTS = """
<script>
  window.googletag = window.googletag || {cmd: []};
  googletag.cmd.push(function(){ googletag.defineSlot('/1234/banner', [728, 90], 'div-ad').addService(googletag.pubads()); });
  function jam(){ var d=new Date(); document.getElementById('jam').textContent=d.toLocaleTimeString('id-ID'); }
</script>"""

NEWS_TEXTS = [
    ("Pelayanan Posyandu Balita di Kelurahan Bantan",
     "Dinas Kesehatan melaksanakan pelayanan posyandu balita di Kelurahan Bantan. Kegiatan meliputi penimbangan, "
     "pemberian vitamin A, imunisasi dasar lengkap dan penyuluhan gizi seimbang bagi para ibu. Kader posyandu "
     "mencatat hasil penimbangan pada kartu menuju sehat dan melaporkannya ke puskesmas setiap bulan."),
    ("Rapat Koordinasi Penyusunan Renstra 2026-2031",
     "Sekretaris dinas memimpin rapat koordinasi penyusunan rencana strategis. Setiap bidang diminta menyerahkan "
     "indikator kinerja utama beserta target tahunan. Dokumen rancangan akan dibahas bersama Bappeda dalam forum "
     "perangkat daerah sebelum ditetapkan oleh Wali Kota."),
    ("Sosialisasi Standar Pelayanan Publik",
     "Bagian organisasi menggelar sosialisasi standar pelayanan publik kepada seluruh unit layanan. Materi "
     "meliputi maklumat pelayanan, mekanisme pengaduan, survei kepuasan masyarakat dan keterbukaan informasi "
     "publik sesuai undang-undang. Peserta diminta memperbarui papan informasi layanan di kantor masing-masing."),
    ("Pendataan Keluarga Penerima Bantuan Pangan",
     "Petugas kelurahan melakukan verifikasi data keluarga penerima bantuan pangan. Warga yang belum terdaftar "
     "dapat melapor ke kantor kelurahan dengan membawa kartu keluarga dan KTP elektronik. Hasil verifikasi akan "
     "diumumkan pada papan pengumuman kelurahan."),
]


def news_list(n=4, repeat=1):
    out = []
    for k in range(repeat):
        for i, (t, b) in enumerate(NEWS_TEXTS[:n]):
            out.append(f'<div class="post"><h3><a href="/berita/detail/{100+k*10+i}/{t.lower().replace(" ", "-")}">{t}</a></h3>'
                       f'<span class="tanggal">Senin, {10+i} November 2026</span><p>{b}</p></div>')
    return "\n".join(out)


def page(title, main, inject="", head_extra="", big=False, meta_desc="Website resmi perangkat daerah Kota Pematangsiantar"):
    body = main if not big else main + "\n" + news_list(4, repeat=12)
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>{title}</title>
<meta name="description" content="{meta_desc}">
<meta name="generator" content="WordPress 5.2.4">
{MENU_STYLE}{head_extra}
</head><body>
{NAV}
<div class="content">{body}</div>
{FOOTER % {"inject": inject}}
{SCRIPTS}
</body></html>"""


def add(name, html, kinds, url, note, suspended=False, **extra):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as fh:
        fh.write(html)
    labels.append({"file": name, "url": url, "kinds": sorted(kinds), "suspended": suspended, "note": note, **extra})


HOME = "https://dinkes.pematangsiantar.go.id/"
home_main = "<h2>Berita Terbaru</h2>" + news_list()

SPAM_LINKS = [
    ("https://gacor-maxwin88.com/", "slot gacor hari ini"),
    ("https://toto-jitu4d.net/", "togel online"),
    ("https://rajaslot88.xyz/", "slot88"),
    ("https://bocoran-rtp.live/", "RTP live"),
    ("https://mahjong-pay4d.org/daftar", "link daftar situs slot"),
    ("https://dewa-scatter.site/", "scatter hitam"),
    ("https://pola-rtp.win/", "pola RTP maxwin"),
    ("https://sbobet-resmi.club/", "sbobet"),
]


def links_html(links, sep="\n"):
    return sep.join(f'<a href="{h}">{t}</a>' for h, t in links)


# ---------------- positives: hidden link blocks ----------------
hidden_forms = [
    ("hidden_display_none.html", '<div style="display:none">%s</div>', "display:none footer block"),
    ("hidden_display_none_spaced.html", '<div style="DISPLAY : NONE ;">%s</div>', "display:none with odd spacing and case"),
    ("hidden_visibility.html", '<div style="visibility:hidden;position:absolute">%s</div>', "visibility:hidden"),
    ("hidden_offscreen.html", '<div style="position:absolute; left:-9999px; top:-9999px">%s</div>', "off-screen absolute block"),
    ("hidden_textindent.html", '<p style="text-indent:-10000px;overflow:hidden">%s</p>', "text-indent off screen"),
    ("hidden_fontsize0.html", '<span style="font-size:0px">%s</span>', "font-size 0"),
    ("hidden_fontsize1.html", '<div style="font-size:1px;color:#fff">%s</div>', "font-size 1px"),
    ("hidden_height0.html", '<div style="height:0;overflow:hidden">%s</div>', "height 0 + overflow hidden"),
    ("hidden_attr.html", '<div hidden>%s</div>', "hidden attribute"),
    ("hidden_opacity.html", '<div style="opacity:0;position:absolute">%s</div>', "opacity 0"),
    ("hidden_noscript.html", '<noscript>%s</noscript>', "links inside noscript"),
]
for name, wrap, note in hidden_forms:
    add(name, page("Dinas Kesehatan Kota Pematangsiantar", home_main, inject=wrap % links_html(SPAM_LINKS)),
        ["hidden_links"], HOME, note)

add("hidden_class_rule.html",
    page("Dinas Pendidikan Kota Pematangsiantar", home_main,
         inject='<div class="mitra-kami">%s</div>' % links_html(SPAM_LINKS[:5]),
         head_extra="<style>/* partner */ .mitra-kami { display: none !important }</style>"),
    ["hidden_links"], "https://disdik.pematangsiantar.go.id/", "class hidden by a <style> rule")
add("hidden_id_rule.html",
    page("Inspektorat Kota Pematangsiantar", home_main,
         inject='<section id="ftr-partner"><ul><li>%s</li></ul></section>' % links_html(SPAM_LINKS[2:7], "</li><li>"),
         head_extra="<style>div.x, #ftr-partner{position:absolute;left:-5000px;top:0}</style>"),
    ["hidden_links"], "https://inspektorat.pematangsiantar.go.id/", "id moved off-screen by a <style> rule")
add("hidden_domains_only.html",
    page("Dinas Sosial Kota Pematangsiantar", home_main,
         inject='<div style="display:none">%s</div>' % links_html([
             ("https://slotmania-vip.com/", "klik di sini"), ("https://gacorwin.net/", "situs resmi"),
             ("https://hoki88.org/", "info terbaru"), ("https://dewa4d.site/", "kunjungi"),
             ("https://jp-kilat.xyz/", "selengkapnya")])),
    ["hidden_links"], "https://dinsosp3a.pematangsiantar.go.id/", "neutral anchors, spam-looking domains")
add("hidden_pharma.html",
    page("Dinas Kesehatan Kota Pematangsiantar", home_main,
         inject='<div style="position:absolute;top:-2000px">%s</div>' % links_html([
             ("https://obat-aborsi-ampuh.com/", "jual obat aborsi"), ("https://cytotec-asli.shop/", "cytotec asli"),
             ("https://obatkuat-pria.store/", "obat kuat pria"), ("https://viagra-murah.id/", "viagra murah")])),
    ["hidden_links"], HOME, "pharma spam hidden off-screen")
add("hidden_porn.html",
    page("Kecamatan Siantar Barat", home_main,
         inject='<div style="display:none"><a href="https://bokepindo.example/">video bokep terbaru</a> '
                '<a href="https://nonton-porn.example/">porn streaming</a></div>'),
    ["hidden_links"], "https://kec-siantar-barat.pematangsiantar.go.id/", "porn links hidden")
add("hidden_inner_anchor_styled.html",
    page("Dinas Perhubungan Kota Pematangsiantar", home_main,
         inject='<p>Dikelola oleh Diskominfo. <a style="font-size:0" href="https://slot-thailand88.com/">slot thailand</a>'
                '<a style="font-size:0" href="https://toto-macau4d.com/">toto macau</a></p>'),
    ["hidden_links"], "https://dishub.pematangsiantar.go.id/", "each anchor hidden by its own style")

# ---------------- positives: visible spam text / links ----------------
add("visible_spam_paragraph.html",
    page("Dinas Pariwisata Kota Pematangsiantar", home_main,
         inject="<p>Situs slot gacor hari ini dengan RTP live tertinggi, maxwin setiap hari. Link daftar slot88 "
                "terpercaya, deposit pulsa tanpa potongan, bonus new member 100%.</p>"),
    ["spam_text"], "https://disparbud.pematangsiantar.go.id/", "visible injected promo paragraph in the footer")
add("visible_partner_links.html",
    page("Dinas Koperasi dan UKM Kota Pematangsiantar", home_main,
         inject="<h4>Partner</h4>" + links_html(SPAM_LINKS[:4], " · ")),
    ["spam_text"], "https://dinkopukm.pematangsiantar.go.id/", "visible partner links to gambling domains")
add("visible_meta_keywords.html",
    page("Dinas Perpustakaan Kota Pematangsiantar", home_main,
         meta_desc="Slot gacor maxwin, situs togel resmi, pola rtp hari ini, daftar slot88 deposit pulsa"),
    ["spam_text"], "https://perpustakaan.pematangsiantar.go.id/", "spam only in the meta description")
add("visible_spam_title.html",
    page("SLOT GACOR HARI INI | Link Daftar Maxwin - Dinas Pertanian", home_main),
    ["spam_text"], "https://pertanian.pematangsiantar.go.id/", "title replaced, content normal (served to everyone)")
add("visible_hidden_keyword_stuffing.html",
    page("BPBD Kota Pematangsiantar", home_main,
         inject='<div style="display:none">slot gacor maxwin togel online rtp live pola rtp situs slot88 pay4d</div>'),
    ["spam_text"], "https://bpbd.pematangsiantar.go.id/", "hidden text without links (keyword stuffing)")

# ---------------- positives: injected spam pages ----------------
SPAM_BODY = """
<h1>{h1}</h1>
<p>{brand} adalah situs slot gacor hari ini yang menyediakan permainan slot online dengan RTP live tertinggi.
Pemain bisa mendapatkan maxwin dengan modal kecil karena pola RTP selalu diperbarui setiap jam.</p>
<p>Link daftar dan link login {brand} selalu aktif. Deposit pulsa tanpa potongan, deposit dana dan e-wallet
diproses kurang dari satu menit. Tersedia slot demo, scatter hitam, mahjong ways dan gates of olympus.</p>
<h2>Bocoran RTP slot hari ini</h2>
<ul><li>Gates of Olympus 97%</li><li>Sweet Bonanza 96%</li><li>Mahjong Ways 2 98%</li><li>Starlight Princess 95%</li></ul>
<p>Gabung sekarang di situs slot88 resmi dan rasakan sensasi maxwin, togel online, toto macau dan sbobet.</p>
<p><a href="https://{dom}/register">DAFTAR SEKARANG</a> <a href="https://{dom}/login">LOGIN</a></p>
"""


def spam_page(title, h1, brand, dom):
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>
<meta name="description" content="{brand} situs slot gacor hari ini maxwin">
<link rel="canonical" href="https://{dom}/"></head><body>{SPAM_BODY.format(h1=h1, brand=brand, dom=dom)}</body></html>"""


add("injected_css.html", spam_page("SLOT GACOR ⚡ Situs Slot88 Maxwin Hari Ini", "Slot Gacor Hari Ini", "RAJAHOKI88", "rajahoki88.example"),
    ["spam_page"], "https://ekinerja.pematangsiantar.go.id/css/slot-gacor.html", "standalone page under /css/")
add("injected_assets.html", spam_page("RTP Live Slot Tertinggi - Bocoran Pola RTP", "RTP LIVE HARI INI", "DEWA4D", "dewa4d.example"),
    ["spam_page"], "https://ekinerja.pematangsiantar.go.id/assets/img/rtp/index.html", "under /assets/img/")
add("injected_dash.html", spam_page("Link Daftar Slot Thailand Gacor", "SLOT THAILAND", "MEGA303", "mega303.example"),
    ["spam_page"], "https://disdik.pematangsiantar.go.id/-/slot-gacor/", "under /-/slot-gacor/")
add("injected_uploads.html", spam_page("Togel Online Terpercaya - Toto Macau 4D", "Situs Togel", "PANDAWA4D", "pandawa4d.example"),
    ["spam_page"], "https://bkpsdm.pematangsiantar.go.id/wp-content/uploads/2024/05/togel/", "under /wp-content/uploads/")
add("injected_application.html", spam_page("RTP Slot Gacor Hari Ini", "RTP SLOT GACOR", "JOKER123", "joker123.example"),
    ["spam_page"], "https://dpmptsp.pematangsiantar.go.id/application/-/rtp-slot-gacor/", "under /application/-/")
add("injected_in_layout.html",
    page("Slot Gacor Hari Ini Maxwin - Dinas Perindustrian", SPAM_BODY.format(h1="Daftar Slot Gacor Maxwin", brand="KOI88", dom="koi88.example")),
    ["spam_page"], "https://disperindag.pematangsiantar.go.id/berita/detail/991/slot-gacor-maxwin",
    "spam post published inside the OPD layout")
add("injected_xml_decl.html",
    '<?xml version="1.0" encoding="UTF-8"?>\n' + spam_page("Situs Slot Online Pay4D", "PAY4D", "PAY4D", "pay4d.example"),
    ["spam_page"], "https://ekinerja.pematangsiantar.go.id/img/pay4d.html", "XHTML-style page with encoding declaration")

# ---------------- positives: defacement ----------------
add("defaced_title.html", """<!DOCTYPE html><html><head><title>Hacked By xNoobz Crew</title></head>
<body style="background:#000;color:#0f0;text-align:center"><h1>HACKED BY xNoobz Crew</h1>
<p>Your security is low. Patch your system.</p><p>Greetz: KopiHitam - AnakSenja - all member</p></body></html>""",
    ["defacement"], "https://setwan.pematangsiantar.go.id/", "classic defacement page")
add("defaced_h4ck3d.html", """<html><head><title>Dinas Pemuda dan Olahraga</title></head><body>
<center><h1>h4ck3d by Siluman_07</h1><p>just testing your security</p></center></body></html>""",
    ["defacement"], "https://dispora.pematangsiantar.go.id/", "leet spelling in h1, title kept")
add("defaced_owned.html", """<html><head><title>Owned by Shadow Kopi Team</title></head><body>
<h2>Shadow Kopi Team was here</h2><p>Indonesian Cyber Crew</p></body></html>""",
    ["defacement"], "https://damkar.pematangsiantar.go.id/", "owned by ... team")
add("defaced_index_in_layout.html",
    page("Dinas Ketenagakerjaan Kota Pematangsiantar", "<h1>Defaced by AnonSiantar</h1><p>greetz to all crew</p>"),
    ["defacement"], "https://disnaker.pematangsiantar.go.id/", "defacement inside the layout")
add("defaced_indonesian.html", """<html><head><title>Kecamatan Siantar Utara</title></head><body>
<h1>Situs ini diretas oleh GarudaSenyap</h1><p>Tingkatkan keamanan server anda.</p></body></html>""",
    ["defacement"], "https://kec-siantar-utara.pematangsiantar.go.id/", "Indonesian wording")

# ---------------- suspension pages ----------------
add("suspended_registry.html", """<!DOCTYPE html><html><head><title>Domain Ditangguhkan</title></head><body>
<div class="box"><h2>Mohon Maaf</h2>
<p>Nama domain ini untuk sementara tidak dapat diakses karena sedang dalam proses penyelesaian pembayaran sewa nama domain.</p>
<p>Silakan hubungi pengelola domain instansi Anda untuk informasi lebih lanjut.</p></div></body></html>""",
    [], "https://dinkes.pematangsiantar.go.id/", "registry suspension page", suspended=True)
add("suspended_english.html", """<html><head><title>Suspended</title></head><body>
<h1>This domain has been suspended</h1><p>Nama domain ini telah ditangguhkan oleh pengelola nama domain go.id.</p></body></html>""",
    [], "https://pkp.pematangsiantar.go.id/", "suspension page, mixed wording", suspended=True)

# ---------------- negatives: traps ----------------
add("clean_home_big.html", page("Dinas Kesehatan Kota Pematangsiantar", home_main, big=True),
    [], HOME, "30 KB home: hidden dropdowns, ad slot script, external gov links")
add("anti_gambling_news.html", page("Satgas Pemberantasan Judi Online Blokir Ribuan Situs Slot - Diskominfo", """
<h1>Satgas Pemberantasan Judi Online Blokir Ribuan Situs Slot</h1><span class="tanggal">Kamis, 12 September 2024</span>
<p>Satuan tugas pemberantasan judi online kembali memblokir ribuan situs slot dan togel yang menyusup ke laman
pemerintah daerah. Diskominfo Kota Pematangsiantar mengimbau warga agar tidak tergiur iklan "slot gacor" dan
janji "maxwin" yang beredar di media sosial.</p>
<p>Menurut satgas, judi online menimbulkan dampak sosial yang besar: kecanduan, utang dan tindak pidana. Warga yang
menemukan situs judi online diminta melapor melalui kanal aduan konten. Polres setempat juga telah menindak
beberapa pelaku yang mempromosikan situs slot di media sosial.</p>"""),
    [], "https://kominfo.pematangsiantar.go.id/berita/detail/512/satgas-judi-online", "news about fighting online gambling")
add("anti_gambling_news_2.html", page("Bahaya Judol bagi Pelajar - Dinas Pendidikan", """
<h1>Sosialisasi Bahaya Judol bagi Pelajar SMP</h1>
<p>Dinas Pendidikan menggelar sosialisasi bahaya judi online (judol) di sekolah menengah pertama. Narasumber
menjelaskan modus situs slot dan togel: iming-iming deposit pulsa, bonus new member dan "RTP" palsu untuk
menjerat korban berusia muda. Orang tua diminta waspada terhadap transaksi pulsa yang tidak wajar.</p>
<p>Larangan judi diatur dalam KUHP dan UU ITE. Pelajar juga diajak melaporkan konten judol yang ditemui.</p>"""),
    [], "https://disdik.pematangsiantar.go.id/berita/detail/77/bahaya-judol", "anti-gambling socialisation with quoted promo words")
add("police_togel_news.html", page("Polres Tangkap Bandar Togel di Siantar Martoba", """
<h1>Polres Tangkap Bandar Togel di Siantar Martoba</h1>
<p>Polres Pematangsiantar menangkap seorang bandar togel di Kecamatan Siantar Martoba. Dari tangan tersangka
polisi menyita buku rekap, telepon genggam dan uang tunai. Tersangka dijerat pasal perjudian.</p>"""),
    [], "https://kec-siantar-martoba.pematangsiantar.go.id/berita/88", "crime news about a togel dealer")
add("slot_waktu.html", page("Jadwal Vaksinasi - Dinas Kesehatan", """
<h1>Pendaftaran Vaksinasi Dibuka</h1>
<p>Pendaftaran vaksinasi dibuka melalui aplikasi. Setiap puskesmas menyediakan 200 slot per hari; pilih slot waktu
yang masih tersedia. Jika slot penuh, silakan memilih tanggal lain. Slot parkir kendaraan terbatas.</p>"""),
    [], HOME + "berita/vaksinasi", "slot as a time slot")
add("pragmatic_english.html", page("A Pragmatic Approach to Open Data", """
<h1>A Pragmatic Approach to Open Data</h1>
<p>This paper describes a pragmatic approach to publishing open data in a city government. Each time slot of the
data pipeline is monitored; hitting the jackpot of clean data is rare, so we validate every deposit of files.</p>"""),
    [], "https://sisada.pematangsiantar.go.id/artikel/pragmatic", "English text with pragmatic, slot, jackpot, deposit")
add("bonanza_shop_toto_name.html", page("Katalog UMKM - Dinas Koperasi", """
<h1>Katalog UMKM Binaan</h1>
<ul><li>Toko Bonanza Jaya - kerajinan kayu, Jl. Sutomo</li><li>Roti Bonanza - toko roti, Jl. Merdeka</li>
<li>Bengkel Pak Toto - servis sepeda motor, pemilik: Toto Suharto</li></ul>
<p>Pelaku UMKM dapat mengajukan deposit jaminan untuk stan pameran.</p>"""),
    [], "https://dinkopukm.pematangsiantar.go.id/umkm", "shop named Bonanza, person named Toto")
add("rtp_ruang_terbuka.html", page("Pembangunan RTP dan RTH - Dinas PUTR", """
<h1>Pembangunan Ruang Terbuka Publik (RTP)</h1>
<p>Dinas PUTR membangun RTP baru di Kelurahan Martoba. RTP dan RTH ditargetkan mencapai 30 persen luas kota.
Rencana slot parkir dan jalur pejalan kaki disusun bersama konsultan.</p>"""),
    [], "https://putr.pematangsiantar.go.id/berita/rtp", "RTP = Ruang Terbuka Publik")
add("sports_toto.html", page("Berita Olahraga", """
<h1>Toto Wolff Puji Pembalap Muda</h1>
<p>Kepala tim Toto Wolff memuji pembalap muda yang finis di posisi kedua. Menurutnya hasil itu seperti jackpot
bagi tim setelah musim yang sulit.</p>"""),
    [], "https://dispora.pematangsiantar.go.id/berita/f1", "sports news with Toto as a name")
add("bird_gacor.html", page("Lomba Burung Berkicau - Dinas Pertanian", """
<h1>Lomba Burung Berkicau Meriahkan HUT Kota</h1>
<p>Ratusan peserta mengikuti lomba burung berkicau. Murai batu yang paling gacor keluar sebagai juara. Juri menilai
burung gacor dari volume dan variasi suara.</p>"""),
    [], "https://pertanian.pematangsiantar.go.id/berita/lomba-burung", "gacor used for birdsong")
add("hackathon.html", page("Hackathon Smart City Siantar 2026", """
<h1>Hackathon Smart City Siantar</h1>
<p>Diskominfo membuka pendaftaran hackathon bagi mahasiswa. Peserta membuat aplikasi layanan publik; tim terbaik
mendapat pendampingan. Hack your city!</p>"""),
    [], "https://kominfo.pematangsiantar.go.id/hackathon", "hack in a legitimate event")
long_para = " ".join(["Tim Diskominfo melakukan pemulihan server, memeriksa log akses, mengganti kata sandi dan memperbarui CMS."] * 40)
add("defacement_news.html", page("Situs Dinas Diretas, Diskominfo Lakukan Pemulihan", f"""
<h1>Situs Dinas Diretas, Diskominfo Lakukan Pemulihan</h1>
<p>Laman salah satu dinas sempat menampilkan tulisan "Hacked by" dari kelompok tak dikenal sebelum dipulihkan.</p>
<p>{long_para}</p>"""),
    [], "https://kominfo.pematangsiantar.go.id/berita/pemulihan", "long news article quoting a defacement")
long_para2 = " ".join(["Perangkat daerah diminta mengecek masa aktif domain dan mengajukan perpanjangan tepat waktu."] * 40)
add("domain_renewal_news.html", page("Perpanjangan Nama Domain go.id", f"""
<h1>Perpanjangan Nama Domain Perangkat Daerah</h1>
<p>Diskominfo mengingatkan bahwa pembayaran sewa nama domain harus dilakukan sebelum jatuh tempo agar domain tidak
ditangguhkan. {long_para2}</p>"""),
    [], "https://kominfo.pematangsiantar.go.id/berita/domain", "news about paying the domain fee")
add("hidden_menu_only.html", page("Dinas Perhubungan Kota Pematangsiantar", home_main,
    inject='<div style="display:none" class="share-popup"><a href="https://wa.me/?text=x">WhatsApp</a>'
           '<a href="https://twitter.com/intent/tweet">X</a><a href="https://t.me/share">Telegram</a></div>'
           '<div hidden><a href="https://lpse.pematangsiantar.go.id/">LPSE</a><a href="https://sirup.lkpp.go.id/">SiRUP</a></div>'),
    [], "https://dishub.pematangsiantar.go.id/", "hidden share popup and hidden gov links (legit)")
add("json_body.html", '{"title": "slot gacor maxwin togel", "kind": "api"}', [], HOME + "wp-json/wp/v2/posts",
    "JSON served as JSON", content_type="application/json")

# ---------------- cloaking pairs ----------------
normal = page("Dinas Kesehatan Kota Pematangsiantar", home_main)
add("cloak1_normal.html", normal, [], HOME, "normal copy of a cloaked home (clean)")
bot = page("Slot Gacor Hari Ini ⚡ Link Daftar Maxwin Terbaru", home_main)
add("cloak1_bot.html", bot, ["spam_text"], HOME, "bot copy: title only replaced")
labels[-2]["bot_file"] = "cloak1_bot.html"
labels[-2]["cloaking"] = True
bot2 = page("Dinas Kesehatan Kota Pematangsiantar", home_main,
            meta_desc="Situs togel resmi, pola rtp gacor, link alternatif slot88",
            inject='<div style="display:none">%s</div>' % links_html(SPAM_LINKS[:3]))
add("cloak2_normal.html", normal, [], HOME + "profil/visi-misi", "normal copy (clean)")
add("cloak2_bot.html", bot2, ["hidden_links", "spam_text"], HOME + "profil/visi-misi", "bot copy: meta + hidden links")
labels[-2]["bot_file"] = "cloak2_bot.html"
labels[-2]["cloaking"] = True
bot3 = normal.replace("Sabtu, 28 November 2026", "Minggu, 29 November 2026").replace("Rapat Koordinasi", "Rapat Kerja")
add("cloak3_normal.html", normal, [], HOME + "berita", "normal copy (clean)")
add("cloak3_bot.html", bot3, [], HOME + "berita", "bot copy differs harmlessly (date bar, a title)")
labels[-2]["bot_file"] = "cloak3_bot.html"
labels[-2]["cloaking"] = False
anti = open(os.path.join(OUT, "anti_gambling_news.html")).read()
add("cloak4_bot.html", anti.replace("Rapat Koordinasi", "Rapat Kerja"), [], "https://kominfo.pematangsiantar.go.id/berita/detail/512/satgas-judi-online",
    "anti-gambling news, bot copy differs harmlessly")
labels.append({"file": "anti_gambling_news.html", "bot_file": "cloak4_bot.html", "url": labels[-1]["url"], "kinds": [],
               "suspended": False, "cloaking": False, "note": "anti-gambling news, both copies"})

with open(os.path.join(OUT, "labels.jsonl"), "w", encoding="utf-8") as fh:
    for l in labels:
        fh.write(json.dumps(l, ensure_ascii=False) + "\n")
print(len(labels), "labels")

# ---------------- round 2: harder cases ----------------
labels = [json.loads(l) for l in open(os.path.join(OUT, "labels.jsonl"), encoding="utf-8")]
anti_main = anti.split('<div class="content">', 1)[1].split("</div>\n\n<div class=\"footer\">")[0]
add("anti_news_with_injected_footer.html",
    page("Satgas Pemberantasan Judi Online Blokir Ribuan Situs Slot - Diskominfo", anti_main,
         inject="<p>Situs slot gacor hari ini dengan RTP live tertinggi, maxwin setiap hari. Link daftar slot88 "
                "terpercaya, deposit pulsa tanpa potongan, bonus new member 100%.</p>"),
    ["spam_text"], "https://kominfo.pematangsiantar.go.id/berita/detail/513/satgas", "anti-gambling article AND an injected promo footer")
add("anti_news_with_partner_links.html",
    page("Satgas Pemberantasan Judi Online Blokir Ribuan Situs Slot - Diskominfo", anti_main,
         inject="<h4>Partner</h4>" + links_html(SPAM_LINKS[:4], " · ")),
    ["spam_text"], "https://kominfo.pematangsiantar.go.id/berita/detail/514/satgas", "anti-gambling article AND visible spam links")
add("injected_dropdown_class.html",
    page("Dinas Kesehatan Kota Pematangsiantar", home_main,
         inject='<ul class="dropdown-menu">%s</ul>' % "".join(f"<li>{links_html([l])}</li>" for l in SPAM_LINKS[3:8])),
    ["hidden_links"], HOME, "spam list hidden by reusing the theme's dropdown-menu class")
add("english_casino_uploads.html", """<!DOCTYPE html><html><head><title>Best Online Casino 2026 - Free Spins No Deposit Bonus</title></head>
<body><h1>Best Online Casino Sites</h1><p>Claim free spins and a no deposit bonus at the best online casino. Play online slots,
live casino tables and sports betting with the best betting odds. Casino bonus codes updated daily.</p>
<p><a href="https://casino-royale-bonus.example/">Claim bonus</a></p></body></html>""",
    ["spam_page"], "https://bappeda.pematangsiantar.go.id/uploads/files/casino.html", "English casino spam page in uploads")
add("hidden_media_partners.html",
    page("Jadwal Layanan - Dinas Kependudukan", "<h1>Jadwal Layanan</h1><p>Pilih slot waktu layanan perekaman KTP-el.</p>",
         inject='<div class="carousel" style="display:none">%s</div>' % links_html(
             [(f"https://{n}.example.com/", n.title()) for n in
              ("kompasiana", "detikcom", "tribunnews", "antaranews", "okezone", "liputan", "tempoco", "mistarid", "hetanews", "sinataid")])),
    [], "https://disdukcapil.pematangsiantar.go.id/layanan", "hidden carousel of 10 news sites on a page that says 'slot waktu'")
add("blocked_list_text.html", page("Daftar Situs Judi yang Diblokir - Diskominfo", """
<h1>Daftar Situs Judi Online yang Diblokir</h1>
<p>Berikut contoh nama situs judi online dan togel yang telah diblokir oleh Kementerian atas laporan masyarakat:
rajaslot88, dewa4d, mega303, hoki88. Warga diimbau waspada dan tidak mengakses situs tersebut karena berbahaya.</p>"""),
    [], "https://kominfo.pematangsiantar.go.id/berita/daftar-blokir", "anti-gambling list naming brands as plain text")

with open(os.path.join(OUT, "labels.jsonl"), "w", encoding="utf-8") as fh:
    for l in labels:
        fh.write(json.dumps(l, ensure_ascii=False) + "\n")
print(len(labels), "labels")

# ---------------- round 3: link farms as real kits inject them (field notes, "Link farms") ----------------
# Invented hosts and brand names. Each positive page carries one kind of evidence only (the gambling word in the
# link's path, in its title attribute or in a brand-like name; links after </html>; or many other government and
# campus hosts at asset paths), so that each page tests one rule.
labels = [json.loads(l) for l in open(os.path.join(OUT, "labels.jsonl"), encoding="utf-8")]
PEMDA = ["sukamaju", "lembahhijau", "tanjungasri", "bukitraya", "muarabaru", "padangluas", "telukindah",
         "sungaiputih", "karangsari", "rantauelok"]
OPD = ["dinkes", "disdik", "bappeda", "dpmptsp", "dispar", "kominfo"]
CAMPUS = ["univ-nusaraya.ac.id", "poltek-harapan.ac.id", "stikes-mandiri.ac.id", "iain-lembahhijau.ac.id",
          "unsukamaju.ac.id", "stie-telukindah.ac.id"]
GOV_HOSTS = [f"{o}.{p}kab.go.id" for p in PEMDA for o in OPD]          # 60 other government hosts
ASSET_DIRS = ["wp-content/uploads", "img", "assets", "upload", "images", "file"]


def widget(inner, title="Info"):
    """A CMS text widget in the sidebar, where kits hide their blocks."""
    return (f'<aside class="sidebar"><div class="widget widget_text"><h3 class="widget-title">{title}</h3>'
            f'<div class="textwidget"><p>Jam layanan: Senin-Jumat 08.00-16.00 WIB.</p>{inner}</div></div></aside>')


def farm(links, text="url", rel=' rel="dofollow"', title=None):
    """Anchors of a farm: text is the bare URL, the host, or given words."""
    out = []
    for i, url in enumerate(links):
        t = url if text == "url" else url.split("/")[2] if text == "host" else text[i % len(text)]
        tt = f' title="{title[i % len(title)]}"' if title else ""
        out.append(f'<a href="{url}"{rel}{tt}>{t}</a>')
    return " ".join(out)


def farm_page(title, inject, tail="", **kw):
    html = page(title, home_main, inject=inject, **kw)
    return html + tail if tail else html


# --- the gambling word only in the link's path (hosts are other government and campus sites, no asset folders)
add("farm_path_bare_urls.html",
    farm_page("Dinas Kesehatan Kota Pematangsiantar", '<div style="display:none">%s</div>' % farm([
        f"https://{GOV_HOSTS[0]}/sgacor/", f"https://{GOV_HOSTS[7]}/layanan/slot-pulsa/",
        f"https://{CAMPUS[0]}/pmb/hokislots/", f"https://{GOV_HOSTS[15]}/berita/slotgacor-malam/"])),
    ["hidden_links"], HOME, "hidden block, anchors are bare URLs, gambling words only in the paths")
add("farm_path_host_text.html",
    farm_page("Dinas Pendidikan Kota Pematangsiantar", widget('<div style="position:absolute;left:-8000px">%s</div>' % farm([
        f"https://{CAMPUS[1]}/jurnal/merpatislots/", f"https://{CAMPUS[2]}/repo/slotpulsa/",
        f"https://{GOV_HOSTS[21]}/ppid/sgacor-vip/", f"https://{CAMPUS[3]}/lppm/gacorjaya/"], text="host"))),
    ["hidden_links"], "https://disdik.pematangsiantar.go.id/", "off-screen widget block, anchor text is the host")
add("farm_path_ip_hosts.html",
    farm_page("Dinas Perhubungan Kota Pematangsiantar",
              '<p style="font-size:0">%s</p>' % farm([
                  "http://127.203.113.17/slot-pulsa/", "http://127.51.100.4:8080/slotdana/",
                  f"https://{GOV_HOSTS[33]}/index.php/slot-pulsa/", "http://127.0.2.55/sgacor/"],
                  text=["Beranda", "Selengkapnya", "Info", "Lihat"])),
    ["hidden_links"], "https://dishub.pematangsiantar.go.id/", "font-size 0 links to bare IPs and a Pemda host, neutral anchors")

# --- the gambling words only in the title attribute (paths and anchors neutral)
TITLES = ["slot gacor hari ini", "link daftar slot88", "situs togel resmi", "pola rtp maxwin"]
add("farm_title_attr.html",
    farm_page("Dinas Sosial Kota Pematangsiantar", '<div style="display:none">%s</div>' % farm(
        [f"https://{h}/" for h in GOV_HOSTS[40:44]], title=TITLES)),
    ["hidden_links"], "https://dinsosp3a.pematangsiantar.go.id/", "hidden block, spam words only in title attributes")
add("farm_title_attr_hidden.html",
    farm_page("Inspektorat Kota Pematangsiantar", widget('<div hidden>%s</div>' % farm(
        [f"https://{c}/berita/" for c in CAMPUS[:4]], text="host", title=["Slot Gacor Maxwin", "Bocoran RTP Live"]))),
    ["hidden_links"], "https://inspektorat.pematangsiantar.go.id/", "hidden attribute, campus hosts, titles carry the words")
add("farm_title_attr_class.html",
    farm_page("Dinas Pariwisata Kota Pematangsiantar",
              '<div class="ftr-link">%s</div>' % farm([f"https://{h}/index.php" for h in GOV_HOSTS[50:53]],
                                                      text=["kunjungi", "portal", "tautan"],
                                                      title=["deposit pulsa tanpa potongan", "toto macau 4d", "link alternatif login"]),
              head_extra="<style>.ftr-link{height:0;overflow:hidden}</style>"),
    ["hidden_links"], "https://disparbud.pematangsiantar.go.id/", "class rule hides links whose titles are promo words")

# --- brand-like names in the anchor text (word+slots, word+188, slot+word), hosts and paths neutral
add("farm_brand_slots.html",
    farm_page("Dinas Koperasi dan UKM Kota Pematangsiantar", '<div style="display:none">%s</div>' % farm(
        [f"https://{h}/" for h in GOV_HOSTS[2:6]], text=["Hokislots", "Merpatislots", "Lumbungslots", "Kilatslots"])),
    ["hidden_links"], "https://dinkopukm.pematangsiantar.go.id/", "hidden brand names <Word>slots")
add("farm_brand_188.html",
    farm_page("Dinas Perpustakaan Kota Pematangsiantar", widget('<div style="visibility:hidden;height:0">%s</div>' % farm(
        [f"https://{c}/" for c in CAMPUS[2:6]], text=["dewa188", "rajawin188", "bintang188", "ombak188"], rel=""))),
    ["hidden_links"], "https://perpustakaan.pematangsiantar.go.id/", "hidden brand names <word>188 to campus hosts")
add("farm_brand_mixed.html",
    farm_page("BPBD Kota Pematangsiantar", '<span style="font-size:0">%s</span>' % farm(
        [f"https://{h}/web/" for h in GOV_HOSTS[24:28]], text=["Slotmerdeka", "Gacorjaya", "Pelangislots", "Nusa188"])),
    ["hidden_links"], "https://bpbd.pematangsiantar.go.id/", "slot<word>, gacor<word>, <word>slots, <word>188")

# --- appended after </html> (the parser drops or keeps it; either way it is read)
add("tail_links_spam_words.html",
    farm_page("Dinas Pertanian Kota Pematangsiantar", "",
              tail="\n" + farm(["https://gacor-maxwin.example/", "https://toto-kilat.example/"],
                               text=["slot gacor hari ini", "toto macau"], rel="") + "\n"),
    ["hidden_links"], "https://pertanian.pematangsiantar.go.id/", "links with promo words after </html>")
add("tail_links_brands.html",
    farm_page("Dinas Ketenagakerjaan Kota Pematangsiantar", "",
              tail="\n<div>" + farm([f"https://{h}/" for h in GOV_HOSTS[30:33]] + ["http://127.203.113.90/"],
                                    text=["naga88", "garuda4d", "kilat88", "ombak4d"], rel="") + "</div>\n"),
    ["hidden_links"], "https://disnaker.pematangsiantar.go.id/", "brand names after </body></html>, to Pemda hosts and an IP")
add("tail_text_upper.html",
    farm_page("Dinas Kesehatan Kota Pematangsiantar", "").replace("</html>", "</HTML>")
    + "\n<p>Situs slot gacor hari ini, pola rtp maxwin, link daftar togel online deposit pulsa tanpa potongan.</p>\n",
    ["spam_text"], HOME, "spam text after an upper-case </HTML>")

# --- many other government and campus hosts at asset folders, no gambling word at all
NEUTRAL = ["cuanmax", "hokiwin", "jpterus", "rejeki", "sultanku", "mantap"]
farm60 = [f"https://{h}/{ASSET_DIRS[i % 6]}/{NEUTRAL[i % 6]}/" for i, h in enumerate(GOV_HOSTS)]
add("farm_assets_widget.html",
    farm_page("Dinas Kesehatan Kota Pematangsiantar", widget('<div style="display:none">%s</div>' % farm(farm60))),
    ["hidden_links"], HOME, "60 bare-URL links to other Pemda hosts at upload folders, hidden in a text widget")
add("farm_assets_campus_ip.html",
    farm_page("Dinas Pendidikan Kota Pematangsiantar",
              '<div style="position:absolute;top:-3000px">%s</div>' % farm(
                  [f"https://{c}/assets/{NEUTRAL[i]}/" for i, c in enumerate(CAMPUS)]
                  + ["http://127.203.113.21/images/hokiwin/", "http://127.51.100.9/file/jpterus/"], text="host")),
    ["hidden_links"], "https://disdik.pematangsiantar.go.id/", "off-screen links to campus hosts and IPs at asset folders")
add("farm_assets_tail.html",
    farm_page("Dinas Perhubungan Kota Pematangsiantar", "",
              tail="\n" + farm([f"https://{h}/upload/{NEUTRAL[i % 6]}/" for i, h in enumerate(GOV_HOSTS[10:30])]) + "\n"),
    ["hidden_links"], "https://dishub.pematangsiantar.go.id/", "20 links to Pemda upload folders appended after </html>")
add("farm_real_injection.html",
    farm_page("Pemerintah Kecamatan Siantar Timur", widget('<div style="display:none">%s</div>' % farm(
        [f"https://{h}/wp-content/uploads/{['hokislots', 'sgacor', 'slot-pulsa', 'slotdana'][i % 4]}/"
         for i, h in enumerate(GOV_HOSTS[:30])] + [f"https://{h}/img/slot-pulsa/" for h in GOV_HOSTS[30:]],
        text=["https://" + h for h in GOV_HOSTS[:20]] + ["Hokislots", "dewa188", "Merpatislots"]), title="Tautan")),
    ["hidden_links"], "https://kec-siantar-timur.pematangsiantar.go.id/", "the typical kit: widget, 60 links, words only in paths")

# --- the same kits where this page does not show the hiding (a class from a stylesheet elsewhere): visible links
add("farm_assets_unseen_hiding.html",
    farm_page("Dinas Kesehatan Kota Pematangsiantar", widget('<div class="tw-ext">%s</div>' % farm(farm60[:24]))),
    ["spam_text"], HOME, "24 links to other Pemda hosts at upload folders, hidden by a stylesheet the page does not hold")
add("farm_path_unseen_hiding.html",
    farm_page("Dinas Pendidikan Kota Pematangsiantar", widget('<div class="tw-ext">%s</div>' % farm([
        f"https://{GOV_HOSTS[44]}/berita/hokislots/", f"https://{CAMPUS[4]}/pmb/sgacor/",
        f"https://{GOV_HOSTS[45]}/layanan/slot-pulsa/"], text="host"))),
    ["spam_text"], "https://disdik.pematangsiantar.go.id/", "gambling words only in the paths of links the page shows")

# --- must stay clean
RELATED = [("https://www.pematangsiantar.go.id/", "Portal Kota"), ("https://jdih.pematangsiantar.go.id/produk-hukum/", "JDIH"),
           ("https://ppid.pematangsiantar.go.id/index.php/dip", "PPID Kota"), ("https://www.lapor.go.id/", "SP4N-LAPOR!"),
           ("https://sumutprov.go.id/berita/", "Provinsi Sumatera Utara"), ("https://www.kemendagri.go.id/", "Kemendagri"),
           ("https://www.menpan.go.id/site/berita-terkini", "KemenPAN-RB"), ("https://lpse.pematangsiantar.go.id/eproc4", "LPSE"),
           ("https://sirup.lkpp.go.id/sirup/", "SiRUP"), ("https://www.bps.go.id/id", "BPS"),
           ("https://www.usu.ac.id/", "Universitas Sumatera Utara"), ("https://www.unimed.ac.id/berita/", "Universitas Negeri Medan"),
           ("https://simalungunkab.go.id/", "Kabupaten Simalungun"), ("https://www.kemkes.go.id/id/layanan", "Kemenkes")]
related_list = "<ul>" + "".join(f'<li><a href="{u}" target="_blank" rel="noopener">{t}</a></li>' for u, t in RELATED) + "</ul>"
add("visible_link_terkait.html",
    page("Dinas Kesehatan Kota Pematangsiantar", home_main + '<div class="widget"><h3>Link Terkait</h3>' + related_list + "</div>"),
    [], HOME, "visible Link Terkait widget: 14 government and campus sites, home pages and normal paths")
add("hidden_dropdown_tautan.html",
    page("Dinas Kesehatan Kota Pematangsiantar", home_main.replace(
        "<h2>Berita Terbaru</h2>", '<div class="nav"><ul><li><a href="#">Tautan</a><ul class="dropdown-menu">'
        + "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in RELATED) + "</ul></li></ul></div><h2>Berita Terbaru</h2>")),
    [], HOME, "the same 14 sites in a Tautan dropdown the theme hides")
LOGOS = [("https://www.usu.ac.id/", "logo-usu.png"), ("https://www.unimed.ac.id/", "unimed-2024-88.png"),
         ("https://www.bpjs-kesehatan.go.id/", "bpjs188.png"), ("https://www.kemkes.go.id/", "kemkes-4d.png"),
         ("https://www.bkkbn.go.id/", "bkkbn_2023.png"), ("https://www.pmi.or.id/", "pmi88.jpg"),
         ("https://www.poltekkes-medan.ac.id/", "poltekkes.png"), ("https://dinkes.sumutprov.go.id/", "dinkesprov2025.png")]
strip = "".join(f'<a href="{u}" class="mitra-item"><img src="/wp-content/uploads/2024/03/{f}" alt="Mitra"></a>' for u, f in LOGOS)
add("partner_logo_strip.html",
    page("Dinas Kesehatan Kota Pematangsiantar", home_main + f'<div class="mitra"><h3>Mitra Kami</h3>{strip}</div>'
         + '<div class="mitra-slide" style="display:none">' + strip.replace('src="/', 'src="https://dinkes.pematangsiantar.go.id/')
         + "</div>"),
    [], HOME, "partner logo strip (and its hidden slider copy): logos with digits from the site's own uploads")
own = ["2024/01/lakip2023.pdf", "2025/02/renja-188.pdf", "2024/05/foto-kegiatan88.jpg", "2024/07/dokumen4d.pdf",
       "2023/11/sk-slot-jadwal-2024.pdf", "2024/05/", "2025/01/rka188.xlsx", "2024/09/banner777.png"]
own_links = "".join(f'<li><a href="https://dinkes.pematangsiantar.go.id/wp-content/uploads/{p}">Dokumen {i + 1}</a></li>'
                    for i, p in enumerate(own))
add("own_uploads_digits.html",
    page("Unduhan - Dinas Kesehatan Kota Pematangsiantar", f"<h1>Unduhan</h1><ul>{own_links}</ul>"
         f'<div class="nav"><ul><li><a href="#">Dokumen</a><ul class="dropdown-menu">{own_links}</ul></li></ul></div>'),
    [], HOME + "unduhan", "the site's own uploads, file names with digits, also in a hidden dropdown")
docs = "".join(f'<li><a href="https://{h}/{d}/2024/perda-{i}-2024.pdf">Perda {i}/2024</a></li>'
               for i, (h, d) in enumerate(zip(GOV_HOSTS[:7], ASSET_DIRS + ["upload"])))
add("hidden_dropdown_gov_documents.html",
    page("Regulasi - Bagian Hukum", "<h1>Regulasi</h1><p>Produk hukum daerah.</p>"
         f'<div class="nav"><ul><li><a href="#">Regulasi Daerah Lain</a><ul class="dropdown-menu">{docs}</ul></li></ul></div>'),
    [], "https://hukum.pematangsiantar.go.id/regulasi", "hidden dropdown of documents (PDF) in other Pemdas' upload folders")
add("anti_news_brands_paths.html",
    page("Diskominfo Temukan Tautan Judi Online Tersembunyi - Diskominfo", """
<h1>Diskominfo Temukan Tautan Judi Online Tersembunyi di Laman Dinas</h1>
<p>Tim Diskominfo menemukan ratusan tautan judi online tersembunyi pada laman beberapa perangkat daerah. Tautan itu
mengarah ke folder seperti /slot-pulsa/ dan /wp-content/uploads/ di situs pemerintah daerah lain yang juga diretas,
dengan nama situs seperti Hokislots dan dewa188. Satgas pemberantasan judi online telah memblokir situs tersebut.</p>
<p>Pengelola website diimbau waspada, memperbarui CMS dan melaporkan temuan ke <a href="https://bssn.go.id/">BSSN</a>
dan <a href="https://aduankonten.id/">aduan konten</a>. Penindakan terhadap pelaku dilakukan kepolisian.</p>"""),
    [], "https://kominfo.pematangsiantar.go.id/berita/detail/530/tautan-tersembunyi",
    "anti-gambling news naming brand-like names and farm paths in prose")
add("tail_benign.html",
    page("Dinas Kesehatan Kota Pematangsiantar", home_main)
    + '\n<!-- cache: 0.12s -->\n<script>var _paq = window._paq || [];</script>\n'
      '<div class="credit">Dikembangkan oleh <a href="https://tim-web.example.com/">Tim Web</a></div>\n',
    [], HOME, "a credit line and an analytics script after </html>")

# --- code, build and server-metadata folders of other hacked hosts, no gambling word (seen in real farms, issue 16)
CODE_DIRS = ["css", "js/demo", "vendor/jquery", "dist/js", "storage/app", "js"]
add("farm_code_folders_widget.html",
    farm_page("Dinas Kesehatan Kota Pematangsiantar", widget('<div style="display:none">%s</div>' % farm(
        [f"https://{h}/{CODE_DIRS[i % 6]}/" for i, h in enumerate(GOV_HOSTS[:10] + CAMPUS[:2])]))),
    ["hidden_links"], HOME, "12 bare-URL links to other hosts' css/js/vendor/dist/storage folders in a hidden widget")
add("farm_dot_folders_tail.html",
    farm_page("Dinas Perhubungan Kota Pematangsiantar", "",
              tail="\n<div>" + farm([f"https://{h}/{['.well-known', '.sass-cache', '.tmb'][i % 3]}/{NEUTRAL[i % 6]}/"
                                      for i, h in enumerate(GOV_HOSTS[20:28])], text="host") + "</div>\n"),
    ["hidden_links"], "https://dishub.pematangsiantar.go.id/", "8 links to other hosts' dot-folders after </html>, host as text")
add("farm_code_folders_ips.html",
    farm_page("Dinas Pendidikan Kota Pematangsiantar",
              '<div style="position:absolute;left:-9000px">%s</div>' % farm(
                  ["http://127.203.113.40/vendor/jquery/", "http://127.51.100.41/js/"]
                  + [f"https://{c}/dist/js/" for c in CAMPUS[2:5]], text=["Beranda", "Info", "Lihat"])),
    ["hidden_links"], "https://disdik.pematangsiantar.go.id/", "off-screen links to IPs and campus hosts at code folders")
APPS = [f"https://{h}/{d}" for h, d in zip(GOV_HOSTS[30:40], ["public/login", "index.php/auth", "web/guest/-/layanan",
        "public/", "login", "app/", "-/pengumuman", "public/pengaduan", "auth/login", "portal/"])]
add("hidden_dropdown_gov_apps.html",
    page("Dinas Kesehatan Kota Pematangsiantar", home_main.replace(
        "<h2>Berita Terbaru</h2>", '<div class="nav"><ul><li><a href="#">Aplikasi</a><ul class="dropdown-menu">'
        + "".join(f'<li><a href="{u}">{u.split("/")[2]}</a></li>' for u in APPS) + "</ul></li></ul></div><h2>Berita Terbaru</h2>")),
    [], HOME, "a hidden Aplikasi dropdown: 10 other Pemda apps at login, public and portal paths")
own_code = "".join(f'<li><a href="https://dinkes.pematangsiantar.go.id/{d}/">{d}</a></li>' for d in CODE_DIRS + [".well-known"])
add("own_code_folders_hidden.html",
    page("Dinas Kesehatan Kota Pematangsiantar", home_main + f'<ul class="debug" style="display:none">{own_code}</ul>'),
    [], HOME, "a hidden debug list of the site's own code folders")

# --- a short news item reporting an intrusion, with one other context word (seen on a real regional news page)
add("anti_news_intrusion_short.html",
    page("Dua Website OPD Disisipi Tautan Judi Online - Diskominfo", """
<h1>Dua Website OPD Disisipi Tautan Judi Online</h1>
<p>SIANTAR, Senin (8/7/2024) - Judi secara daring kini merambah website pemerintahan. Diskominfo mendapati dua
website perangkat daerah tersusupi situs judi online. Halaman yang disisipi itu memuat tautan judol yang tidak
terlihat oleh pengunjung.</p>
<p>"Kedua website itu diretas karena aplikasinya lama tidak diperbarui," kata Kepala Diskominfo. Tim kami sedang
memulihkan website tersebut bersama BSSN.</p>"""),
    [], "https://kominfo.pematangsiantar.go.id/berita/detail/541/opd-disisipi",
    "news of an intrusion: topic words only, intrusion words and one agency as context")
add("promo_claims_unhackable.html",
    page("Situs Slot Gacor Anti Blokir", """
<h1>Situs Slot Gacor Hari Ini Anti Blokir</h1>
<p>Daftar slot gacor maxwin, deposit pulsa tanpa potongan, link alternatif login. Server kami aman, tidak bisa
diretas atau dibobol, anti blokir. Bonus new member, pola rtp live, bocoran admin jarwo.</p>"""),
    ["spam_page"], "https://dispar.pematangsiantar.go.id/", "promo text that boasts it cannot be hacked or blocked")

# Pages written by hand (not generated here) keep their labels: a rerun must not drop them.
made = {l["file"] for l in labels}
labels += [l for l in previous if l["file"] not in made]
with open(os.path.join(OUT, "labels.jsonl"), "w", encoding="utf-8") as fh:
    for l in labels:
        fh.write(json.dumps(l, ensure_ascii=False) + "\n")
print(len(labels), "labels")
