"""Generator: ../shared/reference/lke-rb-2023.json (+ rb-2023-oracles.json for the
portal's full indicator names) -> pmprb/rules/rb-2023-{kabkota,provinsi,kl}/*.yaml.

Kept for provenance and re-run on purpose: everything in the three instrument
folders comes from here — weights, ranges, multipliers and question ids from
the reference (each one CONFIRMED there unless a decision below says
otherwise), the readings of what the reference leaves open (``DECISIONS``,
written into each instrument's ``decisions:``), and the worked examples
(``EXAMPLES``). Edit this script and re-run it rather than the YAML.

Usage: python tools/convert_lkerb2023.py ../shared/reference/lke-rb-2023.json ../shared/reference/rb-2023-oracles.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

RULES = Path(__file__).resolve().parent.parent / "pmprb" / "rules"
KINDS = {
    "kabkota": ("kabupaten_kota_2023", "Kabupaten/Kota", "Regencies and cities", 20),
    "provinsi": ("provinsi_2023", "Provinsi", "Provinces", 20),
    "kl": ("kementerian_lembaga_2023", "Kementerian/Lembaga", "Ministries and agencies", 10),
}
NA = "TB"

# Evaluating agencies by the portal's penilai id. Only 14 is named in the data; the rest are the
# reference's readings (INFERRED, see the 'evaluators' decision).
EVALUATORS = {
    1: "BPK", 3: "BPS", 4: "KASN", 5: "Bappenas (capaian prioritas nasional)", 6: "Kemenkumham (BPHN)",
    7: "Kemenkeu (DJPb, IKPA)", 8: "LKPP", 13: "KPK", 14: "KemenPANRB (Evaluator Nasional RB)", 16: "BPKP",
    17: "KemenPANRB (sistem kerja)", 19: "KemenPANRB (SAKIP dan Zona Integritas)",
    20: "KemenPANRB (survei BerAKHLAK)", 21: "LAN", 22: "ANRI", 23: "Ombudsman RI",
    24: "KemenPANRB (kelembagaan)", 25: "Kemenkeu (DJKN, pengelolaan aset)", 26: "Bappenas",
    27: "KemenPANRB (SPBE)", 29: "KemenPANRB (Deputi Pelayanan Publik)", 30: "KemenPANRB (SP4N-LAPOR!)",
    31: "KemenPANRB (survei kepuasan masyarakat)",
}
TYPOS = [("Penyderhanaan", "Penyederhanaan"), ("TIngkat", "Tingkat"), ("Sitem", "Sistem"),
         ("(Rencana Aksi", "(Rencana Aksi)"), ("BerAkhlak", "BerAKHLAK"), ("))", ")")]
# English names of the RB General indicators (by the cleaned Indonesian name).
EN = {
    "Rencana Aksi Pembangunan RB General": "RB General action plan",
    "Tingkat Implementasi Rencana Aksi Pembangunan RB General": "Implementation of the RB General action plan",
    "Tingkat Implementasi Rencana Aksi RB General": "Implementation of the RB General action plan",
    "Persentase Penyederhanaan Struktur Organisasi": "Share of the organisation structure simplified",
    "Tingkat Capaian Sistem Kerja untuk Penyederhanaan Birokrasi":
        "Work system achievement for bureaucratic simplification",
    "Tingkat Maturitas Sistem Pengendalian Intern Pemerintah": "Maturity of government internal control (SPIP)",
    "Tingkat Maturitas Sistem Pengendalian Intern Pemerintah (SPIP)":
        "Maturity of government internal control (SPIP)",
    "Tingkat Keberhasilan Pembangunan Zona Integritas": "Success in building integrity zones",
    "Nilai Sistem Akuntabilitas Kinerja Instansi Pemerintah": "Performance accountability system score (SAKIP)",
    "Nilai Sistem Akuntabilitas Kinerja Instansi Pemerintah (SAKIP)":
        "Performance accountability system score (SAKIP)",
    "Indeks Perencanaan Pembangunan": "Development planning index",
    "Tingkat Implementasi Kebijakan Arsitektur Sistem Pemerintahan Berbasis Elektronik":
        "Implementation of the e-government (SPBE) architecture policy",
    "Tingkat Implementasi Kebijakan Arsitektur Sistem Pemerintahan Berbasis Elektronik (SPBE)":
        "Implementation of the e-government (SPBE) architecture policy",
    "Tingkat Digitalisasi Arsip": "Archive digitalisation",
    "Tingkat Tindak Lanjut Pengaduan Masyarakat (LAPOR) yang Sudah Diselesaikan":
        "Public complaints (LAPOR) followed up to completion",
    "Indeks Kualitas Kebijakan": "Policy quality index",
    "Indeks Reformasi Hukum": "Legal reform index",
    "Tingkat Kematangan Penyelenggaraan Statistik Sektoral": "Maturity of sectoral statistics",
    "Indeks Tata Kelola Pengadaan": "Procurement governance index",
    "Indikator Kinerja Pelaksanaan Anggaran": "Budget execution performance indicator (IKPA)",
    "Indeks Pengelolaan Aset": "Asset management index",
    "Indeks Sistem Merit": "Merit system index",
    "Indeks Pelayanan Publik": "Public service index",
    "Tingkat Kepatuhan Standar Pelayanan Publik": "Compliance with public service standards",
    "Indeks Sistem Pemerintahan Berbasis Elektronik (SPBE)": "E-government (SPBE) index",
    "Indeks SPBE": "E-government (SPBE) index",
    "Capaian Indikator Kinerja Utama Makro": "Macro key performance indicators achieved",
    "Capaian IKU Makro": "Macro key performance indicators achieved",
    "Capaian Indikator Kinerja Non Makro": "Non-macro key performance indicators achieved",
    "Capaian IKU Non Makro": "Non-macro key performance indicators achieved",
    "Capaian Prioritas Nasional": "National priorities achieved",
    "Capaian IKU": "Key performance indicators achieved",
    "Opini BPK": "BPK audit opinion",
    "Tindak Lanjut Rekomendasi": "Follow-up of audit recommendations",
    "Tindak Lanjut Rekomendasi BPK": "Follow-up of BPK recommendations",
    "Indeks BerAKHLAK": "BerAKHLAK core values index",
    "Survei Penilaian Integritas": "Integrity assessment survey",
    "Survei Kepuasan Masyarakat": "Public satisfaction survey",
    "Koefisien": "Coefficient (adjustment)",
    "Net Koefisien": "Net coefficient (adjustment)",
}
THEMES = [  # id, name (kab/kota), name_en
    ("kemiskinan", "Pengentasan Kemiskinan", "Poverty alleviation"),
    ("investasi", "Realisasi Investasi", "Investment realisation"),
    ("digitalisasi", "Digitalisasi Administrasi Pemerintahan Fokus Penanganan Stunting",
     "Digital government administration focused on stunting"),
    ("pdn", "Penggunaan Produk Dalam Negeri", "Use of domestic products"),
    ("inflasi", "Pengendalian Inflasi", "Inflation control"),
]
THEME_NAMES = {"kabkota": {}, "provinsi": {"inflasi": ("Laju Inflasi", "Inflation rate")},
               "kl": {"inflasi": ("Laju Inflasi", "Inflation rate"),
                      "digitalisasi": ("Digitalisasi Administrasi Pemerintahan Berfokus pada Penanganan Stunting",
                                       "Digital government administration focused on stunting")}}
ROLE_EN = {"Rencana Aksi": "action plan", "Capaian Output": "outputs achieved",
           "Capaian Dampak": "impact achieved", "Strategi Pembangunan": "development strategy"}
# Structure shared by the three kinds (the kab/kota codes; provinsi and K/L follow them).
GENERAL_AREAS = [
    ("1A", "Strategi Pelaksanaan RB General", "RB General implementation strategy", 10,
     [("1A1", "Strategi Pelaksanaan RB General", "RB General implementation strategy", 10)]),
    ("1B", "Capaian Pelaksanaan Kebijakan RB", "RB policy implementation achieved", 40,
     [("1B1", "Hard Element (Sasaran 1)", "Hard elements (objective 1)", 33),
      ("1B2", "Soft Element (Sasaran 2)", "Soft elements (objective 2)", 7)]),
    ("1C", "Capaian Sasaran Strategis", "Strategic objectives achieved", 50,
     [("1C1", "Hard Element (Sasaran Strategis 1)", "Hard elements (strategic objective 1)", 28),
      ("1C2", "Soft Element (Sasaran Strategis 2)", "Soft elements (strategic objective 2)", 22)]),
    ("KOEF", "Koefisien", "Coefficient", 0, [("KOEF01", "Koefisien", "Coefficient", 0)]),
]
# Fixed ids inside the groups whose lines are the same in every kind (in the portal's order).
FIXED_IDS = {"1A1": ["1A11", "1A12"], "1B2": ["1B21", "1B22a", "1B22b"],
             "1C1": ["1C11", "1C12a", "1C12b", "1C13a", "1C13b"], "1C2": ["1C21", "1C22", "1C23"]}
GROUP_WEIGHTS = [("1A1", 10), ("1B1", 33), ("1B2", 7), ("1C1", 28), ("1C2", 22)]
PROVINSI_INFLASI_DAMPAK = {"question_id": 1077, "indicator": "Tingkat Inflasi (Capaian Dampak)", "weight": 3.0,
                           "min": 0.0, "max": 3.0, "pengali_question_id": None, "part": "tematik"}


def clean(text: str) -> str:
    for bad, good in TYPOS:
        text = text.replace(bad, good)
    return re.sub(r"\s+", " ", text).strip()


def num(x):
    return int(x) if float(x).is_integer() else float(x)


# ---------------------------------------------------------------------------
# lines of each kind, in the portal's order, with their codes


def portal_names(oracles: dict) -> dict:
    """(kind, question id) -> the portal's indicator name and the line's weight/range/multiplier."""
    out = {}
    for inst in oracles["institutions"]:
        for line in inst["lines"]:
            out.setdefault((inst["kind"], line["question_id"]), line)
    return out


def general_lines(kind: str, ref: dict, names: dict) -> dict[str, list[dict]]:
    """Group code -> lines ({id, qid, name, weight, range, multiplier_qid, evaluator_id}) of RB General."""
    groups: dict[str, list[dict]] = {}
    if kind == "kabkota":
        for comp in ref["components"]:
            if comp["code"] != "1":
                continue
            for sub in comp["subcomponents"]:
                for grp in sub["groups"]:
                    for ind in grp["indicators"]:
                        m = re.search(r"indikator_pengali_id=(\d+)", ind.get("scoring", ""))
                        groups.setdefault(grp["code"], []).append({
                            "id": ind["id"], "qid": ind["question_id"], "weight": ind["weight"],
                            "range": ind["range"], "multiplier_qid": int(m.group(1)) if m else None,
                            "evaluator_id": ind["evaluator_id"]})
    else:
        flat = [i for i in ref["rb_general_indicators"] if "Koefisien" not in i["name"]]
        koef = [i for i in ref["rb_general_indicators"] if "Koefisien" in i["name"]]
        pos = 0
        for code, weight in GROUP_WEIGHTS:
            got = 0.0
            while got < weight - 1e-9:
                ind = flat[pos]
                pos += 1
                got += ind["weight"]
                lst = groups.setdefault(code, [])
                ids = FIXED_IDS.get(code)
                lid = ids[len(lst)] if ids else f"{code}{len(lst) + 1}"
                lst.append({"id": lid, "qid": ind["question_id"], "weight": ind["weight"], "range": ind["range"],
                            "multiplier_qid": ind["pengali_question_id"], "evaluator_id": ind["evaluator_id"]})
            if abs(got - weight) > 1e-9:
                raise SystemExit(f"{kind}: group {code} adds up to {got}, not {weight}")
        assert pos == len(flat), f"{kind}: {len(flat) - pos} indicators left over"
        (k,) = koef
        groups["KOEF01"] = [{"id": "KOEF04", "qid": k["question_id"], "weight": None, "range": k["range"],
                             "multiplier_qid": None, "evaluator_id": k["evaluator_id"]}]
    for lines in groups.values():
        for line in lines:
            portal = names.get((kind, line["qid"]))
            line["name"] = clean(portal["indicator"]) if portal else None
            if portal:  # the line table agrees with the reference on every weight, range and multiplier
                assert (portal["weight"], portal["min"], portal["max"]) == (
                    line["weight"] if line["weight"] is not None else 10.0, *line["range"]), (kind, line, portal)
                assert portal["pengali_question_id"] == line["multiplier_qid"], (kind, line)
    if kind == "kabkota":
        groups["KOEF01"][0]["weight"] = None
    return groups


def tematik_lines(kind: str, names: dict) -> dict[str, list[dict]]:
    """Sub-area code -> tematik lines, from the portal's line table (the reference describes them in a sentence)."""
    lines = sorted((line for (k, _), line in names.items() if k == kind and line["part"] == "tematik"),
                   key=lambda x: x["question_id"])
    if kind == "provinsi":
        lines.append(PROVINSI_INFLASI_DAMPAK)
    roles = {}
    for line in lines:
        role = re.search(r"\((Rencana Aksi|Capaian Output|Capaian Dampak|Strategi Pembangunan)\)?$",
                         clean(line["indicator"])).group(1)
        roles.setdefault(role, []).append(line)
    theme_ids = [t[0] for t in THEMES]
    out: dict[str, list[dict]] = {}
    sub_of = {"Rencana Aksi": "2A11", "Strategi Pembangunan": "2A11", "Capaian Output": "2A12",
              "Capaian Dampak": "2B1"}
    for role, group in roles.items():
        if kind == "provinsi" and role == "Capaian Dampak":
            # the portal stores 984 before 983; 1077 (inflation) was added last
            group = sorted(group, key=lambda x: {981: 0, 982: 1, 983: 2, 984: 3, 1077: 4}[x["question_id"]])
        assert len(group) == 5, (kind, role, len(group))
        sub = sub_of[role]
        for n, line in enumerate(group):
            out.setdefault(sub, []).append({
                "id": f"{sub}-{n + 1}", "qid": line["question_id"], "name": clean(line["indicator"]),
                "weight": line["weight"], "range": [line["min"], line["max"]], "role": role,
                "multiplier_qid": line["pengali_question_id"], "evaluator_id": 14, "theme": theme_ids[n]})
    return out


def tematik_areas(kind: str) -> list:
    if kind == "kl":
        return [("2A", "Strategi Pembangunan RB Tematik", "RB Tematik development strategy", 4,
                 [("2A11", "Strategi Pembangunan RB Tematik", "RB Tematik development strategy", 4)]),
                ("2B", "Capaian Indikator Dampak RB Tematik", "RB Tematik impact indicators achieved", 6,
                 [("2B1", "Capaian Indikator Dampak RB Tematik", "RB Tematik impact indicators achieved", 6)])]
    return [("2A", "Strategi Pelaksanaan RB Tematik", "RB Tematik implementation strategy", 5,
             [("2A11", "Rencana Aksi Pembangunan RB Tematik", "RB Tematik action plans", 2),
              ("2A12", "Capaian Output Rencana Aksi RB Tematik", "RB Tematik action plan outputs achieved", 3)]),
            ("2B", "Capaian Indikator Dampak RB Tematik", "RB Tematik impact indicators achieved", 15,
             [("2B1", "Capaian Indikator Dampak RB Tematik", "RB Tematik impact indicators achieved", 15)])]


# ---------------------------------------------------------------------------
# YAML


def criterion(line: dict, qid_to_id: dict, kind: str) -> dict:
    name = line["name"]
    is_koef = line["id"] == "KOEF04"
    is_opini = name == "Opini BPK"
    if "role" in line:
        theme = THEME_NAMES[kind].get(line["theme"], (None, dict(THEMES_BY_ID)[line["theme"]]))[1]
        text_en = f"{theme} ({ROLE_EN[line['role']]})"
    else:
        text_en = EN[name]
    c = {"id": line["id"], "source_id": str(line["qid"]), "text": name, "text_en": text_en,
         "answer_type": "Koefisien" if is_koef else "Opini BPK" if is_opini else "Nilai"}
    if not is_koef:
        c["weight"] = num(line["weight"])
    if not is_opini:
        c["range"] = [num(x) for x in line["range"]]
    if line.get("multiplier_qid"):
        c["multiplier"] = qid_to_id[line["multiplier_qid"]]
    if line.get("theme"):
        c["theme"] = line["theme"]
    c["evaluator"] = EVALUATORS[line["evaluator_id"]]
    if is_koef:
        c["ratl"] = {"action": "Cegah kasus yang mengurangi koefisien (mis. kasus KKN)",
                     "action_en": "Prevent the cases that lower the coefficient (e.g. corruption cases)",
                     "output": f"Hasil penilaian {c['evaluator']} tanpa pengurangan koefisien"}
    else:
        c["ratl"] = {"action": f"Tingkatkan capaian indikator {name}", "action_en": f"Raise: {text_en}",
                     "output": f"Hasil penilaian {c['evaluator']} atas {name}"}
    return c


THEMES_BY_ID = [(t[0], t[2]) for t in THEMES]


def build(kind: str, ref_all: dict, oracles: dict) -> None:
    key, group_name, group_en, tematik_weight = KINDS[kind]
    ref = ref_all[key]
    names = portal_names(oracles)
    general = general_lines(kind, ref, names)
    if kind == "provinsi":  # q944 does not exist; every other name comes from the portal's lines
        pass
    tematik = tematik_lines(kind, names)
    all_lines = {**general, **tematik}
    for lines in all_lines.values():
        for line in lines:
            if line["name"] is None:
                raise SystemExit(f"{kind}: no portal name for question {line['qid']}")
    qid_to_id = {line["qid"]: line["id"] for lines in all_lines.values() for line in lines}
    folder = RULES / f"rb-2023-{kind}"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    files = []
    for n, (code, name, name_en, weight, subs) in enumerate(GENERAL_AREAS + tematik_areas(kind), start=1):
        comp = "tematik" if code.startswith("2") else "general"
        area = {"code": code, "name": name, "name_en": name_en, "component": comp, "weight": weight,
                "ratl_responsible": "Tim Reformasi Birokrasi" + (" (RB Tematik)" if comp == "tematik" else ""),
                "subareas": []}
        for sid, sname, sname_en, sweight in subs:
            area["subareas"].append({"id": sid, "name": sname, "name_en": sname_en, "weight": sweight,
                                     "criteria": [criterion(line, qid_to_id, kind) for line in all_lines[sid]]})
        exs = EXAMPLES.get(kind, {}).get(code)
        if exs:
            area["examples"] = exs
        fname = f"{n:02d}-{code.lower()}.yaml"
        (folder / fname).write_text(dump(area), encoding="utf-8")
        files.append(fname)
    themes = [{"id": tid, "name": THEME_NAMES[kind].get(tid, (tname, ten))[0],
               "name_en": THEME_NAMES[kind].get(tid, (tname, ten))[1]} for tid, tname, ten in THEMES]
    inst = {
        "id": f"rb-2023-{kind}",
        "title": f"Lembar Kerja Evaluasi Reformasi Birokrasi 2023 — {group_name}",
        "title_en": f"Bureaucratic reform evaluation worksheet 2023 — {group_en}",
        "version": "2023",
        "legal_basis": "Peraturan Menteri PANRB Nomor 9 Tahun 2023; Keputusan Menteri PANRB Nomor 739 Tahun 2023 "
                       "(Pedoman Teknis Evaluasi Reformasi Birokrasi 2023)",
        "source": f"Rebuilt from an export of the official evaluation portal (LKE {group_name}, lke_kegiatan "
                  f"{ref['lke_kegiatan_id']}, test {ref['test_id']}): weights, ranges, multipliers and question ids "
                  "CONFIRMED there unless a decision below says otherwise.",
        "scope": "institution",
        "total_name": "Indeks RB", "total_name_en": "Indeks RB",
        "pengungkit_total": 100 + tematik_weight,
        "answer_types": {},
        "numeric_types": {
            "Nilai": {"kind": "score", "label_en": "Score",
                      "note": "Nilai dari instansi penilai pada rentang indikator; poin = nilai / maks x bobot."},
            "Koefisien": {"kind": "adjustment", "label_en": "Adjustment",
                          "note": "Ditambahkan apa adanya pada RB General."},
            "Opini BPK": {"kind": "category", "label_en": "Audit opinion", "categories": [
                {"code": "WTP", "label": "Wajar Tanpa Pengecualian", "label_en": "Unqualified", "points": 5},
                {"code": "WDP", "label": "Wajar Dengan Pengecualian", "label_en": "Qualified",
                 "note": "poin tidak diketahui; isi WDP=<poin>"},
                {"code": "TW", "label": "Tidak Wajar", "label_en": "Adverse",
                 "note": "poin tidak diketahui; isi TW=<poin>"},
                {"code": "TMP", "label": "Tidak Menyatakan Pendapat", "label_en": "Disclaimer",
                 "note": "poin tidak diketahui; isi TMP=<poin>"}]},
        },
        "evidence_default": {"min_documents": 1, "on_missing": "warn"},
        "components": [{"id": "general", "name": "RB General", "name_en": "RB General", "weight": 100},
                       {"id": "tematik", "name": "RB Tematik", "name_en": "RB Tematik (thematic)",
                        "weight": tematik_weight}],
        "scoring": {"method": "points", "places": 2,
                    "rescale": {"component": "general", "places": 2},
                    "not_applicable": {"answer": NA, "label": "Tidak berlaku (tidak dinilai)",
                                       "label_en": "Not applicable (not assessed)"}},
        "themes": themes,
        "areas": files,
        "hasil": {"total": 0, "components": []},
        "grade_bands": [{"grade": g, "above": a, "upto": (100 + tematik_weight) if g == "AA" else u, "label": lbl,
                         "confirmed": False} for g, a, u, lbl in BANDS],
        "decisions": [{k: v for k, v in d.items() if k != "kinds"} for d in DECISIONS
                      if "kinds" not in d or kind in d["kinds"]],
    }
    (folder / "instrument.yaml").write_text(dump(inst), encoding="utf-8")


BANDS = [("AA", 90, None, "Sangat Memuaskan"), ("A", 80, 90, "Memuaskan"), ("BB", 70, 80, "Sangat Baik"),
         ("B", 60, 70, "Baik"), ("CC", 50, 60, "Cukup"), ("C", 30, 50, "Kurang"), ("D", 0, 30, "Sangat Kurang")]


def decision(gap, decision_id, reason_id, decision_en, reason_en, kinds=None):
    d = {"gap": gap, "decision": decision_id, "reason": reason_id, "decision_en": decision_en, "reason_en": reason_en}
    if kinds:
        d["kinds"] = kinds
    return dict(d)


DECISIONS = [
    decision("line-points",
             "Poin tiap indikator = nilai / batas atas rentang x bobot; bila indikator memiliki pengali, dikalikan "
             "nilai indikator pengali / batas atas rentangnya. Pembulatan sekali per baris, 2 desimal, setengah ke "
             "atas pada nilai desimal yang eksak (0,125 menjadi 0,13). Batas bawah rentang hanya batas isian yang "
             "sah.",
             "Rumus portal evaluasi resmi (hitung_score_index) DIKONFIRMASI. Pembulatan tunggal setelah pengali "
             "memberikan 0,23 untuk Implementasi Rencana Aksi Kota Batam (4,76 x 7 / 100 x 2,04 / 3), sedangkan "
             "pembulatan sebelum pengali memberi 0,22; seluruh baris contoh resmi tereproduksi dengan cara ini.",
             "Points per line = score / range maximum x weight; a line with a multiplier is multiplied by the "
             "multiplier line's score / its range maximum. One rounding per line, to 2 decimals, half up on the exact "
             "decimal value (0.125 gives 0.13). The range minimum only bounds valid input.",
             "The official portal's formula (hitung_score_index) is CONFIRMED. Rounding once after the multiplier "
             "gives Kota Batam's Implementasi Rencana Aksi 0.23 (4.76 x 7 / 100 x 2.04 / 3); rounding before it gives "
             "0.22. Every official line of the oracles is reproduced this way."),
    decision("ids",
             "Id indikator kabupaten/kota adalah kode resmi referensi (1A11 ... 2B1-5, KOEF04). Referensi tidak "
             "memberi kode untuk provinsi dan K/L: idnya mengikuti skema kabupaten/kota (kode kelompok + urutan di "
             "portal), sehingga indikator tambahan (Indeks Perencanaan Pembangunan; IKPA dan Indeks Pengelolaan Aset "
             "untuk K/L) menggeser urutan di kelompok 1B1. Setiap indikator membawa id pertanyaan portal sebagai "
             "source_id; bandingkan antarjenis instansi dengan source_id atau nama, bukan id.",
             "Kode resmi dipakai di mana referensi memilikinya; skema yang sama membuat kelompok dan komponen terbaca "
             "sama di ketiga jenis instansi.",
             "Kab/kota line ids are the reference's official codes (1A11 ... 2B1-5, KOEF04). The reference gives no "
             "codes for provinces and ministries: their ids follow the kab/kota scheme (group code + position in the "
             "portal), so the extra indicators (Indeks Perencanaan Pembangunan; IKPA and Indeks Pengelolaan Aset for "
             "K/L) shift positions inside group 1B1. Every line carries the portal's question id as source_id; "
             "compare kinds of institution by source_id or name, not by id.",
             "Official codes are used where the reference has them; one scheme keeps groups and components readable "
             "the same way in all three kinds."),
    decision("texts",
             "Teks indikator adalah nama indikator di portal, dengan salah ketik diperbaiki (Penyderhanaan, TIngkat, "
             "Sitem, kurung yang tidak ditutup); teks Inggris adalah terjemahan pmprb. Nama instansi penilai dibaca "
             "dari id penilai: hanya Evaluator Nasional KemenPANRB yang tertulis di data; nama lainnya DISIMPULKAN "
             "referensi (tidak ada tabel penilai).",
             "Teks menamai indikator seperti yang dilihat evaluator di portal; nama penilai membantu tim RB "
             "mengetahui dokumen hasil mana yang harus dikumpulkan, tetapi bukan bagian dari penilaian.",
             "Line texts are the portal's indicator names with typing errors corrected (Penyderhanaan, TIngkat, "
             "Sitem, an unclosed bracket); the English texts are pmprb's translations. Evaluating agencies are read "
             "from the penilai ids: only KemenPANRB's national evaluator is named in the data; the other names are "
             "the reference's INFERRED readings (no penilai table).",
             "The texts name the indicators as evaluators see them in the portal; the agency names tell the RB team "
             "whose result document to collect, and take no part in the score."),
    decision("opini-bpk",
             "Opini BPK adalah jawaban kategori. WTP = 5 poin (bobot penuh): opsi 33/29/24 tercatat 5,00 di ketiga "
             "jenis instansi; labelnya WTP menurut bacaan referensi (label opsi tidak ada di data). Poin WDP, TW dan "
             "TMP TIDAK DIKETAHUI: satu opsi lain (id 34, Kabupaten Simalungun) tercatat 3,33 poin tanpa label. "
             "Untuk kategori itu poin diisi bersama jawabannya (mis. WDP=3.33) dan keputusannya ditandai "
             "points_given; instrumen tidak mengarang angka.",
             "Referensi hanya memastikan poin opini terbaik. Menebak WDP = 3,33 dari satu baris tanpa label akan "
             "menjadi angka karangan; memintanya sebagai masukan yang ditandai membuat sumbernya terlihat.",
             "Opini BPK is a category answer. WTP = 5 points (the full weight): options 33/29/24 were stored at 5.00 in "
             "all three kinds; the label WTP is the reference's reading (option labels are not in the data). The "
             "points of WDP, TW and TMP are NOT KNOWN: one other option (id 34, Kabupaten Simalungun) was stored at "
             "3.33 points without its label. For those categories the points are given with the answer (e.g. "
             "WDP=3.33) and the decision is flagged points_given; the instrument invents no number.",
             "The reference confirms only the best opinion's points. Guessing WDP = 3.33 from one unlabelled line "
             "would be an invented figure; asking for it as a flagged input keeps its source visible."),
    decision("koefisien",
             "Baris Koefisien (rentang -10..1; K/L 'Net Koefisien' -10..10) ditambahkan apa adanya (dibulatkan 2 "
             "desimal) pada RB General sebelum penyesuaian bobot; tidak termasuk 100 poin (bobotnya 0 di sini, "
             "portal menyimpan 10 yang DISIMPULKAN) dan tidak dapat dinyatakan tidak berlaku.",
             "Aturan pastinya TIDAK DITEMUKAN. Portal 2024 menambahkan koefisien ke rb_general; semua baris yang "
             "terlihat bernilai kosong atau 0, sehingga rumus score/maks x bobot (yang akan memberi -100 untuk -10) "
             "tidak mungkin dimaksudkan.",
             "The Koefisien line (range -10..1; K/L 'Net Koefisien' -10..10) is added as it is (rounded to 2 "
             "decimals) to RB General before the rescaling; it is not part of the 100 points (weight 0 here; the "
             "portal stores 10, INFERRED) and cannot be not applicable.",
             "The exact rule was NOT FOUND. The 2024 tool adds the coefficient to rb_general; every line seen is "
             "empty or 0, and score/max x weight (which would give -100 for -10) cannot be what is meant."),
    decision("penyesuaian",
             "RB General disesuaikan: RB General / bobot yang berlaku x 100, dibulatkan 2 desimal, lalu RB Tematik "
             "ditambahkan. Bobot yang berlaku = 100 dikurangi bobot indikator yang dijawab TB (tidak berlaku), atau "
             "angka resmi yang diberikan sebagai masukan (applicable_weight) bila hasil resmi menyebutnya tanpa "
             "menyebut indikatornya. Indikator RB General mana pun (kecuali Koefisien) boleh dijawab TB; kode TB "
             "adalah kode pmprb (portal menyimpan bobotnya per instansi, bukan jawaban per indikator).",
             "Rumus DIKONFIRMASI (rb_general / bobot_rb_general_penyesuaian x 100; contoh bobot 98, 96,5, 88). Kota "
             "Batam 2023 berbobot 86,5 sedangkan barisnya hanya mengosongkan bobot 2,5: bobot itu harus dapat "
             "diberikan langsung. Pembulatan 2 desimal DISIMPULKAN dari nilai tersimpan 71,55.",
             "RB General is rescaled: RB General / applicable weight x 100, rounded to 2 decimals, then RB Tematik is "
             "added. The applicable weight is 100 minus the weights of the lines answered TB (not applicable), or the "
             "official figure given as input (applicable_weight) when the official result states it without naming "
             "the lines. Any RB General line except the Koefisien may be answered TB; TB is pmprb's code (the "
             "portal stores the weight per institution, not an answer per line).",
             "The formula is CONFIRMED (rb_general / bobot_rb_general_penyesuaian x 100; example weights 98, 96.5, "
             "88). Kota Batam 2023 has weight 86.5 while its lines leave only 2.5 of weight blank: the weight must be "
             "possible to give directly. The rounding to 2 decimals is INFERRED from the stored 71.55."),
    decision("unanswered",
             "Indikator tanpa nilai bernilai 0 poin dan tidak mengubah bobot yang berlaku. Indikator yang dikalikan "
             "bernilai 0 bila indikator pengalinya tidak bernilai (atau TB).",
             "Baris kosong portal dihitung 0 (mis. 1B16 dan 1B19 Kota Batu 2023 dengan bobot 100); portal mengalikan "
             "dengan nilai pengali yang kosong (DISIMPULKAN: tidak ada contoh di data).",
             "A line without a value scores 0 and leaves the applicable weight unchanged. A multiplied line scores 0 "
             "when its multiplier line has no value (or is TB).",
             "The portal's empty lines count 0 (e.g. Kota Batu 2023's 1B16 and 1B19 with weight 100); the portal "
             "multiplies by the multiplier's empty value (INFERRED: no example in the data)."),
    decision("grade-bands",
             "Rentang predikat tidak ada di referensi; dipakai rentang peraturan sebelumnya (AA >90, A >80-90, BB "
             ">70-80, B >60-70, CC >50-60, C >30-50, D 0-30) dengan confirmed: false, AA sampai nilai maksimum "
             "nominal instrumen. Nilai di atasnya (Koefisien positif) memakai AA, di bawah 0 memakai D.",
             "Tanpa sumber, predikat hanya indikatif; menandainya belum dikonfirmasi membuat setiap hasil "
             "menyatakannya.",
             "Grade bands are not in the reference; the bands of the earlier regulations (AA >90, A >80-90, BB >70-80, "
             "B >60-70, CC >50-60, C >30-50, D 0-30) are used with confirmed: false, AA up to the instrument's nominal "
             "maximum. A total above it (a positive Koefisien) takes AA, below 0 takes D.",
             "Without a source the grade is only indicative; marking the bands unconfirmed makes every result say "
             "so."),
    decision("themes",
             "RB Tematik dijumlah per tema (kemiskinan, investasi, digitalisasi/stunting, produk dalam negeri, "
             "inflasi): setiap indikator tematik menyebut temanya; urutan tema mengikuti referensi.",
             "Referensi menyebut lima tema dan setiap baris tematik menamai temanya.",
             "RB Tematik is summed per theme (poverty, investment, digitalisation/stunting, domestic products, "
             "inflation): every tematik line names its theme; the themes are in the reference's order.",
             "The reference lists five themes and every tematik line names its theme."),
    decision("evidence",
             "Setiap indikator yang diisi memerlukan satu dokumen hasil dari instansi penilainya (peringatan bila "
             "tidak ada).",
             "Tim RB internal mengisi nilai dari hasil evaluasi nasional lain; dokumen hasil itulah buktinya.",
             "Every answered line needs one result document from its evaluating agency (a warning when missing).",
             "The internal RB team enters values from the results of other national evaluations; the result "
             "document is the evidence."),
    decision("rencana-aksi-range",
             "Rencana Aksi Pembangunan RB General diisi pada rentang 0-3 (rentang portal), walaupun teks juknis K/L "
             "menyebut 0-100.",
             "Nilai tersimpan (1,79; 2,04; 2,85; 2,88) berada pada skala 0-3 dan menjadi pengali Implementasi "
             "(/ 3).",
             "Rencana Aksi Pembangunan RB General is entered on 0-3 (the portal's range), although the K/L juknis "
             "text says 0-100.",
             "The stored scores (1.79, 2.04, 2.85, 2.88) are on 0-3, and the implementation line divides by 3."),
    decision("zi-weight",
             "Indikator Zona Integritas provinsi berbobot 3 dengan rentang 0-3,5 sebagaimana tersimpan.",
             "Bobot dan rentang tersimpan (parameter portal); 1,5 memberi 1,29 seperti hasil resmi Jawa Barat.",
             "The provinces' integrity zone line has weight 3 with range 0-3.5, as stored.",
             "Stored weight and range (portal parameter); 1.5 gives 1.29 as in Jawa Barat's official result.",
             kinds=("provinsi",)),
    decision("pengadaan-weight",
             "Indeks Tata Kelola Pengadaan provinsi (pertanyaan 956) berbobot 2,5.",
             "Ekspor CSV 2024-10 dan parameter 2273 memberi 2,5, dan kelompok 1B1 hanya berjumlah 33 dengan 2,5. "
             "Hasil resmi Jawa Barat 2023 menyimpan 1,22 (butuh bobot 1,5): perbedaan itu dilaporkan oleh "
             "pembandingan angka terbitan, bukan diserap ke instrumen.",
             "The provinces' Indeks Tata Kelola Pengadaan (question 956) has weight 2.5.",
             "The 2024-10 CSV export and parameter 2273 give 2.5, and group 1B1 adds up to 33 only with 2.5. Jawa "
             "Barat's official 2023 result stores 1.22 (which needs weight 1.5): the difference is reported by the "
             "comparison with published figures, not absorbed into the instrument.",
             kinds=("provinsi",)),
    decision("inflasi-dampak",
             "Capaian dampak tema inflasi provinsi adalah pertanyaan 1077 'Tingkat Inflasi (Capaian Dampak)', bobot "
             "3, rentang 0-3 (DISIMPULKAN seperti keempat saudaranya). Urutan dampak mengikuti tema (981, 982, 983, "
             "984, 1077).",
             "Referensi mendaftar 971-984 dan 1077 sebagai RB Tematik provinsi; 1077 dibuat 2023-12-14 dan hasil "
             "Jawa Barat 2023 tidak memiliki barisnya. Portal menyimpan 984 sebelum 983.",
             "The provinces' inflation impact line is question 1077 'Tingkat Inflasi (Capaian Dampak)', weight 3, "
             "range 0-3 (INFERRED like its four siblings). Impact lines follow the themes (981, 982, 983, 984, 1077).",
             "The reference lists 971-984 and 1077 as the provinces' RB Tematik; 1077 was created 2023-12-14 and Jawa "
             "Barat's 2023 result has no line for it. The portal stores 984 before 983.",
             kinds=("provinsi",)),
    decision("tematik-971",
             "Pertanyaan 971 (Pengentasan Kemiskinan, Rencana Aksi) termasuk RB Tematik.",
             "Referensi mendaftar 971-984 sebagai RB Tematik provinsi dan baris 971 di dump membawa induk tematik "
             "(2217), walaupun ekspor CSV 2024-10 memberinya induk RB General (2213); kelima rencana aksi tema "
             "hanya lengkap bila 971 termasuk di dalamnya.",
             "Question 971 (Pengentasan Kemiskinan, Rencana Aksi) belongs to RB Tematik.",
             "The reference lists 971-984 as the provinces' RB Tematik and line 971 in the dump carries the tematik "
             "parent (2217), although the 2024-10 CSV export gives it the RB General parent (2213); the five themes' "
             "action plans are complete only with 971 among them.",
             kinds=("provinsi",)),
    decision("tematik-kl",
             "RB Tematik K/L = 10: Strategi Pembangunan 5 x 0,8 (rentang 0-0,8) + Capaian Dampak 5 x 1,2 (rentang "
             "0-1,2), tanpa pengali. Capaian dampak produk dalam negeri (pertanyaan 1073) berentang 0-100 "
             "sebagaimana tersimpan. Nama area dan sub-area tematik K/L diturunkan dari nama barisnya.",
             "DIKONFIRMASI (parameter 2126 berbobot 10). Rentang 0-100 pada 1073 tersimpan di portal dan 88,63 "
             "memberi 1,06 seperti hasil resmi Kementerian Agama.",
             "RB Tematik for ministries = 10: Strategi Pembangunan 5 x 0.8 (range 0-0.8) + Capaian Dampak 5 x 1.2 "
             "(range 0-1.2), no multipliers. The domestic products impact line (question 1073) has range 0-100 as "
             "stored. The K/L tematik area and sub-area names are derived from their lines' names.",
             "CONFIRMED (parameter 2126 weight 10). The 0-100 range of 1073 is stored in the portal, and 88.63 gives "
             "1.06 as in Kementerian Agama's official result.",
             kinds=("kl",)),
]


# Worked examples (run by `pmprb rules validate` and the tests on both engines). Values are the official
# portal's points where an oracle line shows them.
def _ex(name, answers, expect, evidence=None):
    ex = {"name": name, "answers": {k: str(v) for k, v in answers.items()}}
    if evidence is not None:
        ex["evidence"] = evidence
    ex["expect"] = expect
    return ex


def _general_examples(tie: tuple, ra: str, impl: str, sakip: str, iku: str, opini: str) -> dict:
    ev = {ra: 1, impl: 1}
    return {
        "1A": [
            _ex("Implementasi dikali Rencana Aksi / 3, dibulatkan sekali (Kota Batam 2023)",
                {ra: "2.04", impl: "4.76"}, {ra: {"value": 2.04, "flags": []},
                                            impl: {"value": 0.23, "raw_value": 0.33, "flags": [f"gated_by:{ra}"]}},
                evidence=ev),
            _ex("Rencana Aksi penuh: Implementasi tidak dibatasi", {ra: "3", impl: "100"},
                {impl: {"value": 7, "raw_value": 7, "flags": []}}, evidence=ev),
            _ex("tanpa Rencana Aksi, Implementasi bernilai 0", {impl: "100"},
                {ra: {"value": 0, "flags": ["unanswered"]},
                 impl: {"value": 0, "raw_value": 7, "flags": [f"gated_by:{ra}", "claimed_without_evidence"]}},
                evidence={}),
            _ex("tidak berlaku", {ra: NA, impl: NA}, {ra: {"flags": ["not_applicable"]},
                                                      impl: {"flags": ["not_applicable"]}}),
        ],
        "1B": [
            _ex(f"setengah ke atas pada nilai desimal: {tie[3]}", {tie[0]: tie[1]},
                {tie[0]: {"value": tie[2], "flags": []}}, evidence={tie[0]: 1}),
            _ex("Maturitas SPIP 3,277 / 5 x 4 = 2,62 (Kota Batu 2023)", {"1B13": "3.277"},
                {"1B13": {"value": 2.62, "flags": ["claimed_without_evidence"]}}),
        ],
        "1C": [
            _ex("IKU Non Makro dikali Nilai SAKIP / 100", {sakip: "66.82", iku: "69.7"},
                {iku: {"value": 3.73, "raw_value": 5.58, "flags": [f"gated_by:{sakip}"]}},
                evidence={sakip: 1, iku: 1}),
            _ex("Opini WTP", {opini: "WTP"}, {opini: {"value": 5, "flags": []}}, evidence={opini: 1}),
            _ex("Opini yang poinnya tidak diketahui instrumen: poin diisi dan ditandai", {opini: "WDP=3.33"},
                {opini: {"value": 3.33, "flags": ["points_given"]}}, evidence={opini: 1}),
        ],
        "KOEF": [
            _ex("Koefisien ditambahkan apa adanya", {"KOEF04": "-2.5"},
                {"KOEF04": {"value": -2.5, "flags": []}}, evidence={"KOEF04": 1}),
            _ex("tanpa kasus", {"KOEF04": "0"}, {"KOEF04": {"value": 0, "flags": []}}, evidence={"KOEF04": 1}),
        ],
    }


EXAMPLES = {
    "kabkota": {
        **_general_examples(tie=("1B17", "5", 0.13, "5 / 100 x 2,5 = 0,125 -> 0,13"), ra="1A11", impl="1A12",
                            sakip="1B15", iku="1C12b", opini="1C13a"),
        "2A": [
            _ex("Capaian Output dikali Rencana Aksi / 0,4: 0,375 -> 0,38 (Kota Batu 2023)",
                {"2A11-1": "0.25", "2A12-1": "100"},
                {"2A11-1": {"value": 0.25, "flags": []},
                 "2A12-1": {"value": 0.38, "raw_value": 0.6, "flags": ["gated_by:2A11-1"]}},
                evidence={"2A11-1": 1, "2A12-1": 1}),
        ],
        "2B": [_ex("Capaian Dampak pada rentang 0-3", {"2B1-1": "2.23"}, {"2B1-1": {"value": 2.23, "flags": []}},
                   evidence={"2B1-1": 1})],
    },
    "provinsi": {
        **_general_examples(tie=("1B18", "5", 0.13, "5 / 100 x 2,5 = 0,125 -> 0,13"), ra="1A11", impl="1A12",
                            sakip="1B15", iku="1C12b", opini="1C13a"),
        "2A": [
            _ex("Capaian Output dikali Rencana Aksi / 0,4 (Jawa Barat 2023)", {"2A11-1": "0.37", "2A12-1": "75.7"},
                {"2A12-1": {"value": 0.42, "flags": ["gated_by:2A11-1"]}}, evidence={"2A11-1": 1, "2A12-1": 1}),
        ],
        "2B": [_ex("Capaian Dampak inflasi (pertanyaan 1077)", {"2B1-5": "3"}, {"2B1-5": {"value": 3, "flags": []}},
                   evidence={"2B1-5": 1})],
    },
    "kl": {
        **_general_examples(tie=("1B112", "1", 0.02, "1 / 100 x 1,5 = 0,015 -> 0,02"), ra="1A11", impl="1A12",
                            sakip="1B15", iku="1C12b", opini="1C13a"),
        "2A": [_ex("Strategi Pembangunan tanpa pengali", {"2A11-1": "0.6"}, {"2A11-1": {"value": 0.6, "flags": []}},
                   evidence={"2A11-1": 1})],
        "2B": [_ex("Capaian dampak produk dalam negeri berentang 0-100: 88,63 -> 1,06 (Kementerian Agama 2023)",
                   {"2B1-4": "88.63"}, {"2B1-4": {"value": 1.06, "flags": []}}, evidence={"2B1-4": 1})],
    },
}


class Dumper(yaml.SafeDumper):
    pass


def _str(dumper, data):
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if "\n" in data else None)


Dumper.add_representer(str, _str)


def dump(data) -> str:
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=110)


def main(ref_path: str, oracles_path: str) -> None:
    ref = json.loads(Path(ref_path).read_text(encoding="utf-8"))
    oracles = json.loads(Path(oracles_path).read_text(encoding="utf-8"))
    for kind in KINDS:
        build(kind, ref, oracles)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
