"""Citations in evidence texts -> the documents they cite.

Institutions write their evidence as citations: "Keputusan Bupati X Nomor:
061-402.011/17/2015 tentang Pembentukan Tim Reformasi Birokrasi sebagaimana
telah diubah dengan Keputusan Bupati X Nomor: 061-402.011/88/2018", "Perbup
Nomor 7 Tahun 2018 tentang ...", "Rapat Koordinasi Tim PMPRB tanggal 3 Juni
2020 (undangan, daftar hadir, foto, notulen)". :func:`parse` reads such a
text and returns the documents it cites, in order of appearance, each a dict
with exactly the keys of :data:`FIELDS`:

- ``kind``: one of :data:`KINDS`. ``perda`` is a statutory regulation made
  above the head of an institution (Peraturan Daerah; at national level
  Undang-Undang, Peraturan Pemerintah, Peraturan Presiden); ``perkada`` a
  regulation the head issues alone (Peraturan Wali Kota/Bupati/Gubernur,
  Perwal/Perbup/Pergub, and for a ministry or agency Peraturan Menteri or
  Kepala). Drafts ("Rancangan", "Draft") are ``dokumen``. ``kegiatan`` is a
  meeting, workshop or event and its proof (undangan, daftar hadir, foto).
- ``issuer`` as written ("Bupati X"), ``number`` as written after
  "Nomor"/"Nomor:"/"No." (trimmed), ``year`` (from "Tahun", else the date,
  else the year that ends the number), ``date``/``date_end`` (ISO; a range
  "14 s.d. 15 Oktober 2020" gives both), ``period`` (a year range the subject
  names, ``[2016, 2020]``; "Tahun 2019" alone gives ``[2019, 2019]``),
  ``subject`` (after "tentang"/"perihal"; for reports, events, documents and
  applications without one, their title), ``amends`` (the index of the
  document it amends: "A sebagaimana telah diubah dengan B" makes B amend A,
  "B tentang Perubahan atas A" too) and ``span`` ([start, end) in the text).

Numbered and bulleted lists split into documents. What the parser cannot
read becomes one ``lainnya`` document whose ``subject`` is the text; it never
raises. Everything is a single pass over word tokens plus small anchored
regular expressions with bounded repetition, so any input parses in time
linear in its length (a 200 KB hostile string included).
"""

from __future__ import annotations

import datetime as _dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

KINDS = ("perda", "perkada", "keputusan", "surat_edaran", "surat", "pengumuman", "perjanjian", "laporan",
         "notulen", "berita_acara", "kegiatan", "dokumen", "aplikasi", "lainnya")
FIELDS = ("kind", "issuer", "number", "year", "date", "date_end", "period", "subject", "amends", "span")

# Kinds whose citation names an issuer and a subject ("Keputusan Bupati X ... tentang ...");
# the others are titled by their own words ("Rapat Koordinasi Tim PMPRB", "Road Map RB 2016-2020").
REGULATION_KINDS = frozenset({"perda", "perkada", "keputusan", "surat_edaran", "surat"})

MAX_SUBJECT = 400          # longer subjects are cut (only pathological inputs reach it)
MAX_NUMBER = 80
YEAR_MIN, YEAR_MAX = 1900, 2100

# ---------------------------------------------------------------------------
# vocabulary

# (phrase, kind, options). Options: "confirm" (an abbreviation that counts only when a number,
# "Nomor" or "Tahun" follows), "issuer_from" (token offset where the issuer starts, e.g. 1 in
# "Peraturan Bupati X" -> "Bupati X"), "any_issuer" (words after it name the issuer: Perbup Madiun).
_PHRASES: list[tuple[str, str, dict]] = []


def _add(kind: str, phrases: str, **opts) -> None:
    for p in phrases.split(","):
        p = p.strip()
        if p:
            _PHRASES.append((p, kind, opts))


_add("perda", "peraturan daerah", issuer_from=2, any_issuer=True)
_add("perda", "perda, qanun, perdes", any_issuer=True)
_add("perda", "undang undang, peraturan pemerintah, peraturan presiden, perpres, perppu, "
              "peraturan pemerintah pengganti undang undang")
_add("perda", "uu, pp", confirm=True)
_add("perkada", "peraturan walikota, peraturan wali kota, peraturan bupati, peraturan gubernur, "
                "peraturan kepala daerah, peraturan menteri, peraturan kepala, peraturan sekretaris, "
                "peraturan lembaga, peraturan badan, peraturan ketua, peraturan direktur, peraturan inspektur",
     issuer_from=1, any_issuer=True)
_add("perkada", "perwal, perwali, perwako, perbup, pergub, permen, permenpan, permenpanrb, permendagri, "
                "permenkeu, perka, perkab, perkaban", any_issuer=True)
_add("perkada", "peraturan")
_add("keputusan", "keputusan, surat keputusan, keppres")
_add("keputusan", "kepmen, kepmenpan, kepmenpanrb, kepmendagri, kepbup, kepwal, kepgub, kepka", any_issuer=True)
_add("keputusan", "sk")
_add("keputusan", "kep", confirm=True)
_add("surat_edaran", "surat edaran, edaran")
_add("surat_edaran", "se", confirm=True)
_add("surat", "surat, nota dinas, nodin, memo, memorandum, surat tugas, surat perintah, surat undangan, "
              "surat pernyataan, surat pemberitahuan, surat permohonan, surat usulan, disposisi")
_add("surat", "sprint, st", confirm=True)
_add("pengumuman", "pengumuman")
_add("perjanjian", "perjanjian, perjanjian kinerja, perjanjian kerja sama, perjanjian kerjasama, mou, "
                   "nota kesepahaman, kesepakatan bersama, pakta integritas, penetapan kinerja, kontrak kinerja, "
                   "komitmen bersama")
_add("perjanjian", "pk, pks", confirm=True)
_add("laporan", "laporan, lakip, lkjip, lkj, lkip, lhp, lhe, lppd, lkpj, lkpd, lhkpn, lhkasn, "
                "hasil survei, hasil survey, hasil evaluasi, hasil monitoring, hasil monev, hasil reviu, "
                "hasil review, hasil pemeriksaan, hasil penilaian, hasil audit, hasil pemantauan, "
                "hasil pengukuran, hasil asesmen, hasil assessment, hasil seleksi, rekapitulasi hasil")
_add("notulen", "notulen, notulensi, notula, risalah rapat, risalah, catatan rapat")
_add("berita_acara", "berita acara")
_add("berita_acara", "ba", confirm=True)
_add("kegiatan", "rapat, rakor, rakortek, rakornis, rapat koordinasi, workshop, lokakarya, sosialisasi, "
                 "bimbingan teknis, bimtek, pelatihan, diklat, fgd, focus group discussion, seminar, webinar, "
                 "apel, pertemuan, kegiatan, pencanangan, penandatanganan, asistensi, konsultasi, studi banding, "
                 "kunjungan, sarasehan, coaching, mentoring, in house training, iht, forum, diskusi, musyawarah, "
                 "musrenbang, upacara, lomba, pameran, pelantikan, monitoring, monev, evaluasi, reviu, review, "
                 "survei, survey, undangan, daftar hadir, absensi, foto, foto foto, dokumentasi, video, "
                 "internalisasi, penilaian, seleksi, seleksi terbuka, lelang jabatan, assessment, asesmen, "
                 "pemantauan, uji kompetensi, public campaign, kampanye, penyuluhan, orientasi, simulasi, "
                 "pembinaan, supervisi, verifikasi, pemeriksaan, audit, ekspose, expose, paparan, presentasi, "
                 "rembug, gelar, temu, jambore, festival, launching, peluncuran")
_add("dokumen", "dokumen, road map, roadmap, rencana, rencana kerja, rencana aksi, rencana strategis, renstra, "
                "renja, rkt, rpjmd, rpjmn, rkpd, ratl, sop, standar operasional prosedur, standar operasional, "
                "prosedur operasional, standar pelayanan, maklumat pelayanan, maklumat, peta proses bisnis, "
                "proses bisnis, peta jabatan, analisis jabatan, anjab, abk, analisis beban kerja, pedoman, panduan, "
                "petunjuk teknis, petunjuk pelaksanaan, juknis, juklak, modul, buku, profil, pohon kinerja, "
                "cascading, iku, indikator kinerja utama, indikator kinerja, kertas kerja, lke, matriks, daftar, "
                "formulir, form, brosur, leaflet, banner, spanduk, poster, baliho, naskah akademis, "
                "naskah akademik, naskah, kajian, policy paper, kamus kompetensi, standar kompetensi, "
                "informasi faktor jabatan, proyeksi, rekapitulasi, rekap, data, piagam, kode etik, kode perilaku, "
                "peta risiko, register risiko, daftar risiko, kebijakan, program, konsep, rancangan, draft, draf, "
                "ranperda, raperda, ranperbup, ranperwal, rancangan peraturan, telaah, telaahan, instrumen, "
                "kuesioner, katalog, desain, blueprint, arsitektur, masterplan, grand design, skp, "
                "sasaran kinerja pegawai, usulan, pakta")
_add("aplikasi", "aplikasi, sistem informasi, website, situs, laman, portal, web, media sosial, instagram, "
                 "facebook, twitter, youtube, whatsapp, grup whatsapp, tiktok, screenshot, screen shot, "
                 "tangkapan layar, akun, tautan, link, dashboard, dasbor, command center, sp4n, simpeg, "
                 "email, e mail, surel, intranet, sistem elektronik, perangkat lunak, software")


@dataclass(frozen=True)
class _Phrase:
    words: tuple
    kind: str
    confirm: bool
    issuer_from: int
    any_issuer: bool


def _build_heads() -> dict[str, list[_Phrase]]:
    heads: dict[str, dict[tuple, _Phrase]] = {}
    for text, kind, opts in _PHRASES:
        words = tuple(text.split())
        heads.setdefault(words[0], {})[words] = _Phrase(
            words, kind, bool(opts.get("confirm")), int(opts.get("issuer_from", len(words))),
            bool(opts.get("any_issuer")))
    # Longest phrase first: "surat keputusan" before "surat".
    return {w: sorted(d.values(), key=lambda p: -len(p.words)) for w, d in heads.items()}


HEADS = _build_heads()

OFFICE = frozenset("""bupati walikota wali gubernur menteri kepala sekretaris sekda sekjen sesmen inspektur
    inspektorat direktur dirjen deputi ketua camat lurah presiden kadis kaban rektor dprd kabupaten kab kota
    provinsi prov pemerintah pemkab pemkot pemprov badan dinas sekretariat kementerian kemenpan kemenpanrb
    kemendagri lembaga komisi menpan menpanrb pj plt plh penjabat pimpinan panitia dewan majelis asisten kabag
    bappeda bkd bkpsdm bkpp bpsdm kpu ombudsman jaksa mahkamah kapolri wakil kepolisian kejaksaan""".split())
NOMOR = frozenset({"nomor", "nomer", "nmr", "no", "nomr"})
TENTANG = frozenset({"tentang", "ttg", "tntg", "perihal", "prihal", "mengenai"})
DATE_MARK = frozenset({"tanggal", "tgl", "tertanggal", "tangal", "tggl"})
TAHUN = frozenset({"tahun", "th", "thn", "ta"})
ORDINAL = frozenset({"pertama", "kedua", "ketiga", "keempat", "kelima", "keenam", "ketujuh", "kedelapan",
                     "kesembilan", "kesepuluh"})
AMEND_FILLER = frozenset({"beberapa", "kali", "terakhir", "untuk", "pertama", "kedua", "ketiga", "keempat",
                          "kelima", "sebagaimana", "mestinya"})
SEQ_JOIN = frozenset({"dan", "serta", "juga"})

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "febuari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agust": 8, "agst": 8, "agt": 8, "ags": 8, "agu": 8, "aug": 8, "august": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}

_WORD = re.compile(r"[^\W_]+")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\])]+", re.I)
_LINE_BULLET = re.compile(r"(?m)^[ \t]{0,8}(?:\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|[-–•*·▪●◦○■□➢►>])[ \t]+")
_INLINE_NUM = re.compile(r"(?<![^\s;:,(])(\d{1,2})[.)](?=[ \t]{1,4}[^\W\d_])")
_INLINE_LETTER = re.compile(r"(?<![^\s;:,(])([a-z])[.)](?=[ \t]{1,4}[^\W\d_])")
_PARAGRAPH = re.compile(r"\n[ \t]{0,40}\n")
_NUMERIC_DATE = re.compile(r"(?<![\d/.\-])(\d{1,2})([./\-])(\d{1,2})\2(\d{4})(?![\d/.\-])")
_ISO_DATE = re.compile(r"(?<![\d/.\-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/.\-])")
_RANGE_SEP = r"(?:-|–|—|s\.?\s?d\.?|s\s?/\s?d|sd|sampai\s{1,3}dengan|hingga|dan)"
_DAY_BEFORE = re.compile(r"(?<!\d)(\d{1,2})\s{0,3}" + _RANGE_SEP + r"\s{0,3}$", re.I)
_SEP_AFTER = re.compile(r"\s{0,3}" + _RANGE_SEP + r"\s{0,3}", re.I)
_YEAR_RANGE = re.compile(r"(?<![\d/])((?:19|20)\d\d)\s{0,3}(?:-|–|—|s\.?\s?d\.?|s\s?/\s?d|sd|sampai\s{1,3}dengan"
                         r"|hingga|/)\s{0,3}((?:19|20)\d\d)(?!\d)", re.I)
_YEAR_AFTER_RANGE_SEP = re.compile(r"\s{0,3}(?:-|–|—|s\.?\s?d|s\s?/\s?d|sampai|hingga|/)\s{0,3}(?:19|20)\d\d",
                                   re.I)
_NOMOR_BEFORE = re.compile(r"(?:nomor|nomer|nmr|no)\s{0,3}\.?\s{0,3}:?\s{0,3}\S{1,40}\s{1,3}$", re.I)
_NUMBER_YEAR = re.compile(r"(?:^|[/\-.])((?:19|20)\d\d)$")


# ---------------------------------------------------------------------------
# public API


def parse(text, strict: bool = False) -> list[dict]:
    """The documents ``text`` cites, in order of appearance (see the module docstring).

    Never raises on any text; ``strict=True`` (tests) lets an internal error through instead of
    returning the text as one ``lainnya`` document."""
    if text is None:
        return []
    if not isinstance(text, str):
        text = str(text)
    try:
        return _Parser(text).run()
    except Exception:
        if strict:
            raise
        stripped = text.strip()
        if not stripped:
            return []
        lo = text.index(stripped[0])
        return [_empty_doc("lainnya", lo, lo + len(stripped), subject=_clean(stripped))]


def parse_many(texts) -> list[dict]:
    """Several citation texts (e.g. one per evidence row) as one list; ``amends`` index the list.

    ``span`` stays relative to each document's own text."""
    out: list[dict] = []
    for text in texts:
        docs = parse(text)
        base = len(out)
        for d in docs:
            if d["amends"] is not None:
                d["amends"] += base
        out.extend(docs)
    return out


def parse_json(text) -> dict:
    """``{"documents": [...]}``: what ``pmprb evidence parse TEXT --json`` prints."""
    return {"documents": parse(text)}


def from_record(number=None, title=None, document_date=None) -> list[dict]:
    """The structured documents of one stored evidence document (number, title, document date).

    The title is parsed; the record's own number and date describe its first document and win
    over what the title says (they were entered as such). Returns one or more documents (a title
    that cites an amendment also names the amended document); never an empty list."""
    docs = parse(title or "")
    if not docs:
        docs = [_empty_doc("lainnya", 0, 0)]
    first = docs[0]
    num = number.strip() if isinstance(number, str) else (str(number) if number is not None else None)
    if num:
        first["number"] = num
        if first["year"] is None:
            first["year"] = _year_of_number(num)
    day = _as_date(document_date)
    if day is not None:
        first["date"] = day.isoformat()
        if first["date_end"] is not None and first["date_end"] < first["date"]:
            first["date_end"] = None
        if first["year"] is None:
            first["year"] = day.year
    return docs


def from_records(records, memo: dict | None = None) -> list[dict]:
    """The documents of several stored evidence documents, as one list for
    ``Evaluator.evaluate(documents={criterion: ...})``: ``amends`` index this list.

    Each record is a mapping with ``number``, ``title`` and ``document_date``
    (missing keys are None) or a ``(number, title, document_date)`` tuple.
    ``memo`` (a dict the caller keeps for one operation): a document linked to
    several criteria is parsed once; every list gets its own copies."""
    out: list[dict] = []
    for rec in records:
        rec = (rec.get("number"), rec.get("title"), rec.get("document_date")) if isinstance(rec, dict) else tuple(rec)
        try:
            parsed = None if memo is None else memo.get(rec)
        except TypeError:   # an unhashable field: parsed without the memo
            parsed, memo = None, None
        if memo is None:
            docs = from_record(*rec)
        else:
            if parsed is None:
                parsed = memo[rec] = from_record(*rec)
            docs = [{k: list(v) if type(v) is list else v for k, v in d.items()} for d in parsed]
        base = len(out)
        for d in docs:
            if d["amends"] is not None:
                d["amends"] += base
        out.extend(docs)
    return out


def _as_date(value) -> _dt.date | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


# ---------------------------------------------------------------------------
# helpers


def _empty_doc(kind: str, lo: int, hi: int, **fields) -> dict:
    doc = {k: None for k in FIELDS}
    doc["kind"] = kind
    doc["span"] = [lo, hi]
    doc.update(fields)
    return doc


_TRIM = " \t\r\n,;:.-–—\"'“”‘’(["


def _clean(s: str) -> str | None:
    s = " ".join(s.split())
    s = s.strip(_TRIM)
    return s or None


def _year_ok(y: int) -> bool:
    return YEAR_MIN <= y <= YEAR_MAX


def _year_of_number(num: str) -> int | None:
    m = _NUMBER_YEAR.search("".join(num.split()))
    if m and _year_ok(int(m.group(1))):
        return int(m.group(1))
    return None


def _date(y: int, m: int, d: int) -> _dt.date | None:
    if not _year_ok(y):
        return None
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


class _Spans:
    """Sorted [start, end) spans: which one covers a position, which starts first in a range (bisect)."""

    def __init__(self, spans):
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]

    def covers(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos) - 1
        return k >= 0 and self.spans[k][0] <= pos < self.spans[k][1]

    def first_start(self, lo: int, hi: int) -> int | None:
        k = bisect_left(self.starts, lo)
        return self.starts[k] if k < len(self.starts) and self.starts[k] < hi else None


@dataclass
class _Head:
    tok: int                  # token index of the keyword's first word
    kind: str
    kw_end_tok: int           # token index after the keyword
    issuer_tok: int           # token index where an issuer may start
    any_issuer: bool
    mode: str                 # start | seq | amend | embed
    cut: int                  # where the previous document ends (seq/amend), else the head's start


@dataclass
class _Doc:
    head: _Head
    start: int
    end: int = -1
    amends: int | None = None          # local index
    index: int = 0
    children: list = field(default_factory=list)


@dataclass
class _DateHit:
    start: int
    end: int
    first: _dt.date | None
    last: _dt.date | None
    year: int | None
    marked: bool


class _Parser:
    def __init__(self, text: str):
        self.text = text
        # URLs are blanked (same length) so their slashes, digits and words read as nothing.
        self.s = _URL.sub(lambda m: " " * (m.end() - m.start()), text)
        self.urls = _Spans((m.start(), m.end()) for m in _URL.finditer(text))
        starts, ends, lows = [], [], []
        for m in _WORD.finditer(self.s):
            starts.append(m.start())
            ends.append(m.end())
            lows.append(m.group().lower())
        self.starts, self.ends, self.lows = starts, ends, lows
        self.n = len(lows)
        self.dates_seen = _Spans(())   # the dates of the document being read

    # -- tokens ------------------------------------------------------------
    def gap(self, i: int) -> str:
        """Characters between token i and token i+1."""
        if i + 1 >= self.n:
            return self.s[self.ends[i]:] if i < self.n else ""
        return self.s[self.ends[i]:self.starts[i + 1]]

    def tok_range(self, lo: int, hi: int) -> tuple[int, int]:
        return bisect_left(self.starts, lo), bisect_left(self.starts, hi)

    def is_year(self, i: int) -> bool:
        w = self.lows[i]
        return len(w) == 4 and w.isdecimal() and _year_ok(int(w))

    # -- segments ----------------------------------------------------------
    def run(self) -> list[dict]:
        out: list[dict] = []
        for lo, hi in self.segments():
            base = len(out)
            for d in self.segment_docs(lo, hi):
                if d["amends"] is not None:
                    d["amends"] += base
                out.append(d)
        return out

    def segments(self) -> list[tuple[int, int]]:
        s = self.s
        cuts: dict[int, int] = {}      # cut position -> where the content starts

        def cut(at: int, content: int) -> None:
            if cuts.get(at, -1) < content:
                cuts[at] = content

        for m in _LINE_BULLET.finditer(s):
            cut(m.start(), m.end())
        for m in _PARAGRAPH.finditer(s):
            cut(m.start(), m.end())
        for regex, first, nxt in ((_INLINE_NUM, "1", lambda v: str(int(v) + 1)),
                                  (_INLINE_LETTER, "a", lambda v: chr(ord(v) + 1))):
            chain, want = [], first
            for m in regex.finditer(s):
                if m.group(1) == want and not self._after_marker(m.start()):
                    chain.append(m)
                    want = nxt(want)
            if len(chain) >= 2:
                for m in chain:
                    cut(m.start(), m.end())
        # A new line or a ';' followed by a document keyword starts a new citation.
        for i in range(self.n):
            g = self.gap(i)
            if ("\n" in g or ";" in g) and i + 1 < self.n:
                j = i + 1
                if self.lows[j] in SEQ_JOIN and j + 1 < self.n:
                    j += 1
                if self.head_at(j) is not None:
                    pos = self.ends[i] + max(g.find("\n"), g.find(";"))
                    cut(pos, pos + 1)
        bounds = sorted(cuts.items())
        segs, lo = [], 0
        for at, content in bounds:
            if at > lo:
                segs.append((lo, at))
            lo = max(lo, content)
        segs.append((lo, len(s)))
        return [(a, b) for a, b in segs if _WORD.search(self.text, a, b)]

    def _after_marker(self, pos: int) -> bool:
        """'Nomor 1. ...' or 'Tahun 2.' is not a list item."""
        i = bisect_left(self.starts, pos) - 1
        return i >= 0 and (self.lows[i] in NOMOR or self.lows[i] in TAHUN or self.lows[i] in DATE_MARK)

    # -- heads ---------------------------------------------------------------
    def head_at(self, i: int, limit: int | None = None):
        """The document keyword starting at token i: (phrase, token after it) or None."""
        limit = self.n if limit is None else limit
        if i >= limit:
            return None
        w = self.lows[i]
        if w == "e" and i + 1 < limit and self.gap(i).strip() == "-" and not self.lows[i + 1].isdecimal():
            return _Phrase(("e",), "aplikasi", False, 2, False), i + 2
        for p in HEADS.get(w, ()):
            k = len(p.words)
            if i + k > limit:
                continue
            if any(self.lows[i + j] != p.words[j] or self.gap(i + j - 1).strip() not in ("", "-")
                   for j in range(1, k)):
                continue
            if p.confirm and not self.confirmed(i + k, limit):
                continue
            return p, i + k
        return None

    def confirmed(self, j: int, limit: int) -> bool:
        for t in range(j, min(j + 4, limit)):
            w = self.lows[t]
            if w in NOMOR or w in TAHUN or w[0].isdecimal():
                return True
        return False

    def strong(self, j: int, limit: int) -> bool:
        """A keyword that surely starts a citation: a number or a date follows soon."""
        for t in range(j, min(j + 14, limit)):
            w = self.lows[t]
            if w in TENTANG:
                return False
            if w in NOMOR or w in DATE_MARK:
                return True
            if w in MONTHS and t > 0 and self.lows[t - 1].isdecimal():
                return True
            if t == j and w[0].isdecimal():
                return True
        return False

    def amend_connector(self, i: int, limit: int):
        """'[sebagaimana] [telah] diubah [beberapa kali terakhir] dengan' at i: (cut pos, next token)."""
        if self.lows[i] != "diubah":
            return None
        t = i + 1
        while t < limit and t < i + 6 and self.lows[t] in AMEND_FILLER:
            t += 1
        if t >= limit or self.lows[t] != "dengan":
            return None
        b = i
        while b - 1 >= 0 and b > i - 3 and self.lows[b - 1] in ("telah", "sebagaimana", "yang"):
            b -= 1
        return self.starts[b], t + 1

    def change_of(self, i: int, limit: int):
        """'Perubahan [Kedua] atas|terhadap' at i: the token after it."""
        if self.lows[i] != "perubahan":
            return None
        t = i + 1
        if t < limit and self.lows[t] in ORDINAL:
            t += 1
        if t < limit and self.lows[t] in ("atas", "terhadap"):
            return t + 1
        return None

    def inside_parens(self, lo: int, hi: int) -> _Spans:
        ranges, stack = [], []
        for k in range(lo, hi):
            ch = self.s[k]
            if ch in "([":
                stack.append(k)
            elif ch in ")]" and stack:
                a = stack.pop()
                if not stack:
                    ranges.append((a + 1, k))
        return _Spans(ranges)

    def find_heads(self, t0: int, t1: int, lo: int, hi: int) -> list[_Head]:
        parens = self.inside_parens(lo, hi)

        heads: list[_Head] = []

        def make(i, found, mode, cut_at):
            p, after = found
            issuer_tok = i + p.issuer_from if p.issuer_from < len(p.words) else after
            return _Head(i, p.kind, after, issuer_tok, p.any_issuer or p.issuer_from < len(p.words), mode, cut_at)

        # A document already holds a number or a date: only then may ", dan <keyword>" start the
        # next one ("Perwal Nomor 7 ... dan Perwal Nomor 8 ..." but not "Daftar hadir, undangan dan foto").
        complete = False
        i = t0
        while i < t1:
            w = self.lows[i]
            if w in NOMOR or w in DATE_MARK or w[0].isdecimal():
                complete = True
            con = self.amend_connector(i, t1)
            if con is not None:
                cut_at, nxt = con
                found = self.head_at(nxt, t1) if nxt < t1 else None
                if found is not None and heads:
                    heads.append(make(nxt, found, "amend", cut_at))
                    complete = False
                    i = found[1]
                    continue
            ch = self.change_of(i, t1)
            if ch is not None and ch < t1 and heads:
                found = self.head_at(ch, t1)
                if found is not None:
                    heads.append(make(ch, found, "embed", self.starts[ch]))
                    i = found[1]
                    continue
            found = self.head_at(i, t1) if not parens.covers(self.starts[i]) else None
            if found is not None:
                if not heads:
                    if i == t0 or self.strong(found[1], t1):
                        heads.append(make(i, found, "start", self.starts[i]))
                        complete = False
                        i = found[1]
                        continue
                else:
                    prev_gap = self.gap(i - 1) if i > t0 else ""
                    joined = i - 1 >= t0 and self.lows[i - 1] in SEQ_JOIN
                    if complete and (joined or "," in prev_gap or ";" in prev_gap) and self.strong(found[1], t1):
                        if joined:
                            cut_at = self.starts[i - 1]
                            g = self.gap(i - 2) if i - 2 >= t0 else ""
                            if "," in g:
                                cut_at = self.ends[i - 2] + g.index(",")
                        else:
                            cut_at = self.ends[i - 1]
                        heads.append(make(i, found, "seq", cut_at))
                        complete = False
                        i = found[1]
                        continue
            i += 1
        return heads

    # -- documents ---------------------------------------------------------
    def segment_docs(self, lo: int, hi: int) -> list[dict]:
        t0, t1 = self.tok_range(lo, hi)
        heads = self.find_heads(t0, t1, lo, hi)
        if not heads:
            lo2, hi2 = self.trim(lo, hi)
            text = self.text[lo2:min(hi2, lo2 + MAX_SUBJECT)]
            doc = _empty_doc("lainnya", lo2, hi2,
                             subject=(_clean(text) or "") + (" …" if hi2 - lo2 > MAX_SUBJECT else "") or None)
            self.fill_common(doc, lo2, hi2, lo2, hi2, None)
            return [doc]
        docs: list[_Doc] = []
        stack: list[_Doc] = []
        for h in heads:
            d = _Doc(h, self.starts[h.tok], index=len(docs))
            if h.mode == "embed":
                parent = stack[-1]
                if parent.amends is None:
                    parent.amends = len(docs)
                parent.children.append(d)
            else:
                for o in stack:
                    o.end = h.cut
                if h.mode == "amend" and stack:
                    d.amends = stack[-1].index
                stack = []
            docs.append(d)
            stack.append(d)
        for o in stack:
            o.end = hi
        return [self.document(d) for d in docs]

    def trim(self, lo: int, hi: int) -> tuple[int, int]:
        while hi > lo and (self.text[hi - 1] in _TRIM or self.text[hi - 1] in ")]" and self.unbalanced(lo, hi)):
            hi -= 1
        while lo < hi and self.text[lo] in _TRIM:
            lo += 1
        return lo, max(lo, hi)

    def unbalanced(self, lo: int, hi: int) -> bool:
        """More closing than opening brackets in [lo, hi) (checked on short spans only)."""
        if hi - lo > 2000:
            return False
        t = self.text[lo:hi]
        return t.count(")") + t.count("]") > t.count("(") + t.count("[")

    def subject_text(self, lo: int, hi: int) -> str | None:
        u = self.urls.first_start(lo, hi)
        hi = hi if u is None else u
        cut = hi - lo > MAX_SUBJECT
        s = self.text[lo:min(hi, lo + MAX_SUBJECT)]
        if not cut:
            s = _strip_tail(s)
        s = _clean(s)
        return (s + " …") if (s and cut) else s

    def document(self, d: _Doc) -> dict:
        h = d.head
        start, end = self.trim(d.start, max(d.start, d.end))
        own_hi = min([c.start for c in d.children] + [end])
        doc = _empty_doc(h.kind, start, end, amends=d.amends)
        t_kw_end = min(h.kw_end_tok, self.n)
        kw_end = self.ends[t_kw_end - 1]
        a, b = self.tok_range(kw_end, own_hi)
        tentang = next((t for t in range(a, b) if self.lows[t] in TENTANG
                        or (self.lows[t] == "hal" and self.gap(t).strip().startswith(":"))), None)
        header_hi = self.starts[tentang] if tentang is not None else own_hi
        subject_lo = None
        if tentang is not None:
            subject_lo = self.ends[tentang]
            while subject_lo < end and self.s[subject_lo] in " \t:":
                subject_lo += 1
        number_span = self.fill_common(doc, kw_end, header_hi, start, own_hi, subject_lo)
        # Issuer (regulations) or title (everything else).
        if h.kind in REGULATION_KINDS:
            words_lo = self.starts[h.issuer_tok] if h.issuer_tok < self.n else kw_end
            stop = self.header_stop(h.issuer_tok, header_hi)
            if number_span is None and stop < header_hi and self.s[stop].isdecimal():
                # "Perbup 7/2018": a number without "Nomor".
                num, nspan = _scan_number(self.s, stop, header_hi)
                if num:
                    doc["number"] = num
                    number_span = nspan
                    if doc["year"] is None:
                        doc["year"] = _year_of_number(num)
            words = _clean(_PARENS.sub(" ", self.text[words_lo:stop])) if stop > words_lo else None
            if words:
                first = _WORD.search(words)
                if h.any_issuer or (first and first.group().lower() in OFFICE):
                    doc["issuer"] = words
                elif tentang is None:
                    doc["subject"] = words
            if tentang is not None:
                doc["subject"] = self.subject_text(subject_lo, end)
        else:
            if tentang is not None:
                doc["subject"] = self.subject_text(subject_lo, end)
            else:
                stop = self.title_stop(h.tok, own_hi)
                doc["subject"] = self.subject_text(start, stop)
        # Period: the subject (or title) names it; the part before any embedded document.
        if subject_lo is not None:
            doc["period"] = self.period(subject_lo, max(subject_lo, own_hi), number_span)
        elif h.kind not in REGULATION_KINDS:
            doc["period"] = self.period(start, own_hi, number_span)
        return doc

    def header_stop(self, t: int, header_hi: int) -> int:
        """Where an issuer's words end: at Nomor, a date marker, Tahun, a digit or punctuation."""
        a, b = self.tok_range(self.starts[t] if t < self.n else header_hi, header_hi)
        for k in range(a, b):
            w = self.lows[k]
            if w in NOMOR or w in DATE_MARK or w in TAHUN or w[0].isdecimal():
                return self.starts[k]
            nxt = self.starts[k + 1] if k + 1 < self.n else header_hi
            for idx in range(self.ends[k], min(nxt, header_hi)):
                if self.s[idx] in ",;:":
                    return idx
        return header_hi

    def title_stop(self, t: int, own_hi: int) -> int:
        """Where a title ends: at Nomor, a date marker, a date, a URL or ';'."""
        for stop in (self.dates_seen.first_start(self.starts[t] + 1, own_hi),
                     self.urls.first_start(self.starts[t] + 1, own_hi)):
            if stop is not None:
                own_hi = min(own_hi, stop)
        a, b = t, self.tok_range(own_hi, own_hi)[0]
        parens = self.inside_parens(self.starts[t], own_hi)
        for k in range(a, b):
            w = self.lows[k]
            if parens.covers(self.starts[k]):
                continue
            if k > a and (w in NOMOR or w in DATE_MARK):
                return self.starts[k]
            if k > a and w.isdecimal() and len(w) <= 2 and k + 1 < b and self.lows[k + 1] in MONTHS:
                return self.starts[k]
            g = self.gap(k) if k + 1 < b else ""
            if ";" in g:
                return self.ends[k] + g.index(";")
        return own_hi

    # -- number, year, date, period -------------------------------------------
    def fill_common(self, doc: dict, head_lo: int, head_hi: int, own_lo: int, own_hi: int, subject_lo):
        """number/year from the header, date from the document's own text; returns the number's span."""
        a, b = self.tok_range(head_lo, head_hi)
        number_span = None
        tahun_year = None
        for k in range(a, b):
            w = self.lows[k]
            if number_span is None and w in NOMOR:
                p = self.ends[k]
                q = p
                while q < head_hi and q - p < 6 and self.s[q] in " \t.:":
                    q += 1
                num, span = _scan_number(self.s, q, head_hi)
                if num:
                    doc["number"] = num
                    number_span = span
            elif tahun_year is None and w in TAHUN and k + 1 < b:
                j = k + 1
                if self.lows[j] == "anggaran" and j + 1 < b:
                    j += 1
                if self.is_year(j) and (number_span is None or self.starts[j] >= number_span[1]) \
                        and not _YEAR_AFTER_RANGE_SEP.match(self.s, self.ends[j], min(self.ends[j] + 30, head_hi)):
                    tahun_year = int(self.lows[j])
        hits = self.dates(own_lo, own_hi, number_span)
        self.dates_seen = _Spans((h.start, h.end) for h in hits)
        full = [h for h in hits if h.first is not None]
        chosen = next((h for h in full if h.marked), full[0] if full else None)
        if chosen is not None:
            doc["date"] = chosen.first.isoformat()
            if chosen.last is not None and chosen.last > chosen.first:
                doc["date_end"] = chosen.last.isoformat()
        year = tahun_year
        if year is None and chosen is not None:
            year = chosen.first.year
        if year is None and doc["number"]:
            year = _year_of_number(doc["number"])
        if year is None:
            year = next((h.year for h in hits if h.year is not None), None)
        doc["year"] = year
        if doc["kind"] == "lainnya":
            doc["period"] = self.period(own_lo, own_hi, number_span)
        return number_span

    def dates(self, lo: int, hi: int, exclude) -> list[_DateHit]:
        hits: list[_DateHit] = []
        s = self.s

        def excluded(p: int) -> bool:
            return exclude is not None and exclude[0] <= p < exclude[1]

        def marked(p: int) -> bool:
            k = bisect_left(self.starts, p) - 1
            for t in (k, k - 1, k - 2):
                if t >= 0 and self.lows[t] in DATE_MARK and p - self.ends[t] < 30:
                    return True
            return False

        # Dates with month names: "[d1 s.d.] d [Month] [YYYY] [s.d. d2 Month2 YYYY]"
        a, b = self.tok_range(lo, hi)
        k = a
        while k < b:
            w = self.lows[k]
            if w not in MONTHS or excluded(self.starts[k]):
                k += 1
                continue
            m = MONTHS[w]
            day = year = None
            first_tok = k
            if k - 1 >= a and self.lows[k - 1].isdecimal() and len(self.lows[k - 1]) <= 2 \
                    and self.gap(k - 1).strip(" -") == "" and len(self.gap(k - 1)) <= 3:
                day = int(self.lows[k - 1])
                first_tok = k - 1
            last = k
            if k + 1 < b and self.is_year(k + 1) and self.gap(k).strip(" .,-") == "" and len(self.gap(k)) <= 4:
                year = int(self.lows[k + 1])
                last = k + 1
            if day is None and year is None:
                k += 1
                continue
            if day is None and k - 1 >= a and self.lows[k - 1] == "bulan":
                first_tok = k - 1          # "bulan Juni 2020": a month, no day
            start_pos, end_pos = self.starts[first_tok], self.ends[last]
            d_first = d_last = None
            # A second date after a range separator: "14 Oktober s.d. 2 November 2020".
            m2 = _SEP_AFTER.match(s, end_pos, min(end_pos + 20, hi))
            second = None
            if m2 is not None and day is not None:
                j = bisect_left(self.starts, m2.end())
                if j + 1 < b and self.lows[j].isdecimal() and len(self.lows[j]) <= 2 and self.lows[j + 1] in MONTHS:
                    y2 = None
                    last2 = j + 1
                    if j + 2 < b and self.is_year(j + 2) and len(self.gap(j + 1)) <= 4:
                        y2 = int(self.lows[j + 2])
                        last2 = j + 2
                    second = (int(self.lows[j]), MONTHS[self.lows[j + 1]], y2, last2)
            if second is not None:
                y2 = second[2] if second[2] is not None else year
                y1 = year if year is not None else y2
                if y1 is not None and day is not None:
                    d_first = _date(y1, m, day)
                    d_last = _date(y2, second[1], second[0])
                    if d_first and d_last and d_last < d_first and year is None:
                        d_first = _date(y1 - 1, m, day)   # "30 Desember s.d. 2 Januari 2020"
                end_pos = self.ends[second[3]]
                k = second[3] + 1
            else:
                if day is not None and year is not None:
                    d_first = d_last = _date(year, m, day)
                    # "14 s.d. 15 Oktober 2020": a bare day before a separator.
                    mb = _DAY_BEFORE.search(s, max(lo, start_pos - 24), start_pos)
                    if mb is not None and d_first is not None and not excluded(mb.start(1)):
                        d0 = _date(year, m, int(mb.group(1)))
                        if d0 is not None and d0 < d_first:
                            d_first = d0
                            start_pos = mb.start(1)
                k = last + 1
            hits.append(_DateHit(start_pos, end_pos, d_first, d_last if d_first else None,
                                 (d_first.year if d_first else year), marked(start_pos)))
        # Numeric dates: 03-06-2020, 3/6/2020, 2020-06-03.
        for regex, order in ((_NUMERIC_DATE, "dmy"), (_ISO_DATE, "ymd")):
            for mt in regex.finditer(s, lo, hi):
                if excluded(mt.start()):
                    continue
                if order == "dmy":
                    day = _date(int(mt.group(4)), int(mt.group(3)), int(mt.group(1)))
                else:
                    day = _date(int(mt.group(1)), int(mt.group(2)), int(mt.group(3)))
                if day is None:
                    continue
                hit = _DateHit(mt.start(), mt.end(), day, day, day.year, marked(mt.start()))
                # A numeric range: "03-06-2020 s.d. 05-06-2020".
                ms = _SEP_AFTER.match(s, mt.end(), min(mt.end() + 20, hi))
                if ms is not None:
                    m2 = regex.match(s, ms.end(), hi)
                    if m2 is not None:
                        d2 = (_date(int(m2.group(4)), int(m2.group(3)), int(m2.group(1))) if order == "dmy"
                              else _date(int(m2.group(1)), int(m2.group(2)), int(m2.group(3))))
                        if d2 is not None and d2 >= day:
                            hit.last, hit.end = d2, m2.end()
                hits.append(hit)
        hits.sort(key=lambda h: h.start)
        return hits

    def period(self, lo: int, hi: int, exclude) -> list | None:
        """A year range ('2016-2020', 'Tahun 2016 s.d. 2020') or 'Tahun 2019' in [lo, hi), outside
        the number and the dates."""
        if hi <= lo:
            return None
        s = self.s
        def skip(p: int) -> bool:
            return (exclude is not None and exclude[0] <= p < exclude[1]) or self.dates_seen.covers(p)

        for m in _YEAR_RANGE.finditer(s, lo, hi):
            if skip(m.start()) or skip(m.end() - 1):
                continue
            y1, y2 = int(m.group(1)), int(m.group(2))
            if y1 <= y2 <= y1 + 30:
                return [y1, y2]
        a, b = self.tok_range(lo, hi)
        for k in range(a, b):
            if self.lows[k] in TAHUN or self.lows[k] == "periode":
                j = k + 1
                if j < b and self.lows[j] == "anggaran":
                    j += 1
                if j < b and self.is_year(j):
                    if skip(self.starts[j]):
                        continue
                    if _NOMOR_BEFORE.search(s, max(0, self.starts[k] - 60), self.starts[k]):
                        continue   # "... Nomor 14 Tahun 2014": a citation's year, not a period
                    y = int(self.lows[j])
                    return [y, y]
        return None


def _scan_number(s: str, p: int, hi: int) -> tuple[str | None, tuple | None]:
    """The number written at p ("061-402.011/17/2015", "188.45/ 12 /2024"); spaces only around / and -."""
    i = end = p
    limit = min(hi, p + MAX_NUMBER)
    while i < limit:
        ch = s[i]
        if ch.isalnum() or ch in "./-_":
            i += 1
            end = i
            continue
        if ch in " \t" and end > p:
            j = i
            while j < limit and s[j] in " \t" and j - i < 3:
                j += 1
            if j < limit and (s[j] in "/-" or (s[end - 1] in "/-" and s[j].isalnum())):
                i = j
                continue
        break
    raw = s[p:end].strip("._-:,;/")
    if not raw or not any(c.isdecimal() for c in raw):
        return None, None
    return raw, (p, end)


_PARENS = re.compile(r"\([^()]{0,80}\)")
_TAIL_PARENS = re.compile(r"\s*\(\s{0,3}([^\W\d_]{1,30})[^()]{0,200}\)\s*$")
_TAIL_ENACTED = re.compile(r"[,\s]{0,3}(?:(?:yang\s{1,3})?(?:ditetapkan|disahkan|diundangkan))(?:\s{1,3}\S{1,30}){0,4}\s*$",
                           re.I)
_TAIL_DATE = re.compile(r"[,\s]{0,3}(?:(?:yang\s{1,3})?ditetapkan\s{1,3}(?:pada\s{1,3})?)?"
                        r"(?:tanggal|tgl\.?|tertanggal)\s{0,3}\S{1,12}(?:\s{1,3}\S{1,12}){0,2}\s*$", re.I)


def _strip_tail(s: str) -> str:
    """A subject without a trailing '(undangan, daftar hadir)' or ', ditetapkan tanggal 3 Mei 2018'."""
    for _ in range(3):
        m = _TAIL_PARENS.search(s)
        t = s
        if m is not None and (m.group(1).lower() in HEADS or m.group(1).lower() in ("perubahan", "lihat")):
            t = s[:m.start()]       # "(undangan, daftar hadir, foto)", "(Perubahan atas ...)"
        t = _TAIL_DATE.sub("", t)
        t = _TAIL_ENACTED.sub("", t)
        if t == s:
            break
        s = t
    return s
