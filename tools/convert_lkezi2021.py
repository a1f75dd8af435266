"""One-off generator: ../shared/reference/lke-zi-2021-partial.json -> pmprb/rules/zi-2021/*.yaml.

Kept for provenance: it shows how every value in the instrument files was
derived from the reference worksheet, and where the reference had to be
completed (the tables below; each completion is explained under
``decisions:`` in pmprb/rules/zi-2021/instrument.yaml). The generated files are
the source of truth afterwards and are finished by hand: ``decisions:``,
``predicates:`` and the Hasil labels in instrument.yaml, worked ``examples:``
in the area files. Re-running overwrites those hand edits.

Usage: python tools/convert_lkezi2021.py ../shared/reference/lke-zi-2021-partial.json
"""

import json
import re
import sys
from pathlib import Path

import yaml

OUT = Path(__file__).resolve().parent.parent / "pmprb" / "rules" / "zi-2021"

COMPONENTS = {"Pemenuhan": ("P", "Pemenuhan", "Fulfilment"), "Reform": ("R", "Reform", "Reform")}
GROUP_EN = {
    "MP": "Change Management", "TL": "Business Process Management", "SDM": "Human Resource Management System",
    "AKT": "Accountability Strengthening", "PWS": "Oversight Strengthening",
    "PP": "Public Service Quality Improvement",
}
# Each area's working group (Pokja) of the unit's Zona Integritas team owns its follow-up.
RESPONSIBLE = {
    "MP": "Pokja Manajemen Perubahan (Tim Kerja ZI)", "TL": "Pokja Penataan Tatalaksana (Tim Kerja ZI)",
    "SDM": "Pokja Penataan Sistem Manajemen SDM (Tim Kerja ZI)",
    "AKT": "Pokja Penguatan Akuntabilitas (Tim Kerja ZI)", "PWS": "Pokja Penguatan Pengawasan (Tim Kerja ZI)",
    "PP": "Pokja Peningkatan Kualitas Pelayanan Publik (Tim Kerja ZI)",
}
# Reference answer type -> instrument answer type (choice types keep their names).
NUMERIC = {"Jumlah", "%"}

# Gap decisions applied while generating (see instrument.yaml decisions).
# (component, area, sub-area name, item letter) -> answer type the scoring guide supports.
TYPE_FROM_GUIDE = {
    ("Pemenuhan", "MP", "Perubahan Pola Pikir dan Budaya Kerja", "c"): "A/B/C",
    ("Pemenuhan", "AKT", "Keterlibatan Pimpinan", "b"): "A/B/C",
}
# Options written by the pattern of the sibling items when the guide has only one sentence.
DERIVED_OPTIONS = {
    ("Pemenuhan", "TL", "Sistem Pemerintahan Berbasis Elektronik (SPBE)", "b"): [
        "Jika unit memiliki operasionalisasi manajemen SDM (e-performance) yang menggunakan teknologi "
        "informasi dan juga melakukan inovasi",
        "Jika unit memiliki operasionalisasi manajemen SDM (e-performance) yang menggunakan teknologi informasi",
        "Jika belum memiliki operasionalisasi manajemen SDM yang menggunakan teknologi informasi",
    ],
}
# The two reference sub-lists with weight null form one sub-area of the 2.5 'inovasi' weight.
MERGE_SUBAREAS = {
    ("Reform", "PP"): (("Peningkatan Kualitas Pelayanan Publik - Criteria",
                        "Peningkatan Kualitas Pelayanan Publik - Reform"),
                       "Upaya dan/atau Inovasi Pelayanan Publik", 2.5),
}
# Formula per '%' row, read from its scoring guide; counts are numbered in row order
# under the '%' row (.1, .2, ...). when_both_zero / when_zero_denominator per row.
FORMULAS = {
    ("MP", "Komitmen dalam Perubahan", "a"): dict(kind="ratio", numerator=2, denominator=1, both=0),
    ("MP", "Komitmen dalam Perubahan", "b"): dict(kind="ratio", numerator=2, denominator=1, both=0),
    ("SDM", "Pelanggaran Disiplin Pegawai", "a"): dict(kind="decrease", previous=1, current=2, both=1),
    ("AKT", "Meningkatnya Capaian Kinerja Unit Kerja", "a"): dict(kind="ratio", numerator=2, denominator=1, both=0),
    ("PWS", "Penanganan Pengaduan Masyarakat", "a"): dict(kind="ratio", numerator=3, denominator=1, both=1),
    ("PWS", "Penyampaian Laporan Harta Kekayaan", "a"): dict(kind="ratio", numerator=5, denominator=1, both=1,
                                                             total_of=[2, 3, 4]),
    ("PWS", "Penyampaian Laporan Harta Kekayaan", "b"): dict(kind="ratio", numerator=5, denominator=1, both=1,
                                                             total_of=[2, 3, 4]),
    ("PP", "Upaya dan/atau Inovasi Pelayanan Publik", "b"): dict(kind="ratio", numerator=2, denominator=1, both=0),
}
HASIL_A_TO_E = [
    ("A", "Seluruh capaian kinerja lebih baik dari capaian kinerja tahun sebelumnya", 1),
    ("B", "Sebagian besar capaian kinerja lebih baik dari capaian kinerja tahun sebelumnya", 0.75),
    ("C", "Sebagian capaian kinerja lebih baik dari capaian kinerja tahun sebelumnya", 0.5),
    ("D", "Sebagian kecil capaian kinerja lebih baik dari capaian kinerja tahun sebelumnya", 0.25),
    ("E", "Tidak ada capaian kinerja yang lebih baik dari capaian kinerja tahun sebelumnya", 0),
]


class Dumper(yaml.SafeDumper):
    pass


def _str(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


Dumper.add_representer(str, _str)


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def clean_guide(text: str) -> str:
    """Keep the guide's lines (one per option), tidy the spaces inside them."""
    return "\n".join(clean(line) for line in text.split("\n") if line.strip())


def split_item(text: str) -> tuple[str | None, str]:
    """'a.\tText' / 'h\tText' / '- Text' -> (letter or None, text)."""
    m = re.match(r"^\s*([a-h])(?:\.|\t)\s*(.*)$", text, re.S)
    if m:
        return m.group(1), clean(m.group(2))
    return None, clean(re.sub(r"^\s*-\s*", "", text))


def guide_options(guide: str) -> list[str]:
    out = []
    for line in guide.split("\n"):
        m = re.match(r"^\s*[a-e]\s*\.\s*(.*)$", line)
        if m:
            out.append(clean(m.group(1)))
    return out


def yes_no_options(guide: str) -> list[dict]:
    yes = clean(re.sub(r"^\s*Ya\s*,\s*", "", guide))
    yes = yes[:1].upper() + yes[1:]
    return [{"answer": "Ya", "text": yes},
            {"answer": "Tidak", "text": "Jika kondisi pada jawaban Ya belum terpenuhi"}]


def merged_subareas(comp: str, area: dict) -> list[tuple[str, float, list]]:
    subs = [(s["name"], s["weight"], s["items"]) for s in area["subareas"]]
    merge = MERGE_SUBAREAS.get((comp, area["code"]))
    if merge:
        names, new_name, weight = merge
        items = [it for n, _, its in subs if n in names for it in its]
        first = next(i for i, (n, _, _) in enumerate(subs) if n in names)
        subs = [s for s in subs if s[0] not in names]
        subs.insert(first, (new_name, weight, items))
    return subs


def build_subarea(comp: str, code: str, sub_id: str, name: str, weight: float, items: list) -> dict:
    criteria = []
    pending = None  # the '%' item whose counts follow
    letters = iter("abcdefghij")
    for it in items:
        letter, text = split_item(it["text"])
        at = it["answer_type"]
        if at == "Jumlah":
            if pending is None:
                raise SystemExit(f"{sub_id}: a Jumlah row without a % row before it: {text}")
            pending["counts"].append(text)
            n = len(pending["counts"])
            criteria.append({"id": f"{pending['id']}.{n}", "text": text, "answer_type": "Jumlah"})
            continue
        letter = letter or next(letters)
        if letter:  # keep the automatic sequence in step with explicit letters
            letters = iter("abcdefghij"[("abcdefghij".index(letter) + 1):])
        cid = f"{sub_id}.{letter}"
        guide = it["scoring_guide"].strip()
        key = (comp, code, name, letter)
        if at == "%":
            spec = FORMULAS[(code, name, letter)]
            crit = {"id": cid, "text": text, "answer_type": "%"}
            if guide:
                crit["guide"] = clean_guide(guide)
            crit["formula"] = spec  # resolved below once the counts are known
            crit["ratl"] = {"action": f"Tingkatkan capaian hingga 100%: {text}"}
            pending = {"id": cid, "counts": [], "crit": crit}
            criteria.append(crit)
            continue
        pending = None
        at = TYPE_FROM_GUIDE.get(key, at)
        if at == "Ya/Tidak":
            options = yes_no_options(guide)
        else:
            texts = DERIVED_OPTIONS.get(key) or guide_options(guide)
            letters_at = at.split("/")
            if len(texts) != len(letters_at):
                raise SystemExit(f"{cid}: {len(texts)} options in the guide for {at}")
            options = [{"answer": a, "text": t} for a, t in zip(letters_at, texts)]
        crit = {"id": cid, "text": text, "answer_type": at, "options": options}
        if guide:
            crit["guide"] = clean_guide(guide)
        best = re.sub(r"^Jika\s+", "", options[0]["text"])
        crit["ratl"] = {"action": f"Wujudkan kondisi terbaik: {best[:1].upper() + best[1:]}"}
        criteria.append(crit)
    # Resolve formulas: count numbers -> criterion ids.
    for crit in criteria:
        spec = crit.get("formula")
        if not spec or "both" not in spec:  # none, or a sum already resolved
            continue
        ref = lambda n: f"{crit['id']}.{n}"  # noqa: E731
        f = {"kind": spec["kind"]}
        if spec["kind"] == "ratio":
            f["numerator"], f["denominator"] = ref(spec["numerator"]), ref(spec["denominator"])
        else:
            f["previous"], f["current"] = ref(spec["previous"]), ref(spec["current"])
        f.update({"cap": 1, "floor": 0, "when_both_zero": spec["both"], "when_zero_denominator": 0})
        crit["formula"] = f
        if "total_of" in spec:
            total = next(c for c in criteria if c["id"] == ref(spec["denominator"]))
            total["answer_type"] = "Jumlah (otomatis)"
            total["scored"] = False
            total["formula"] = {"kind": "sum", "terms": [ref(n) for n in spec["total_of"]]}
    return {"id": sub_id, "name": name, "weight": weight, "criteria": criteria}


def main(src):
    ref = json.loads(Path(src).read_text(encoding="utf-8"))
    OUT.mkdir(parents=True, exist_ok=True)
    files, components = [], []
    for comp in ref["components"]:
        cid, cname, cname_en = COMPONENTS[comp["component"]]
        components.append({"id": cid, "name": cname, "name_en": cname_en, "weight": comp["weight"]})
        for area in comp["areas"]:
            code = f"{cid}.{area['code']}"
            subareas = []
            for n, (name, weight, items) in enumerate(merged_subareas(comp["component"], area), start=1):
                subareas.append(build_subarea(comp["component"], area["code"], f"{code}.{n}", name, weight, items))
            doc = {
                "code": code, "name": area["name"], "name_en": GROUP_EN[area["code"]],
                "component": cid, "group": area["code"], "weight": area["weight"],
                "ratl_responsible": RESPONSIBLE[area["code"]], "subareas": subareas,
            }
            name = f"{len(files) + 1:02d}-{code.lower().replace('.', '-')}.yaml"
            (OUT / name).write_text(yaml.dump(doc, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=110),
                                    encoding="utf-8")
            files.append(name)
    groups = []
    for area in ref["components"][0]["areas"]:
        groups.append({"id": area["code"], "name": area["name"], "name_en": GROUP_EN[area["code"]]})
    hp = ref["structure"]["hasil_parts"]
    hasil = {"total": ref["structure"]["hasil"], "components": [
        {"id": "H.1", "name": hp[0]["name"], "name_en": "Clean and accountable bureaucracy",
         "weight": hp[0]["weight"], "parts": [
            {"id": "H.1.a", "name": "Indeks Persepsi Anti Korupsi (survei eksternal)",
             "name_en": "Anti-corruption perception index (external survey)", "weight": 17.5,
             "kind": "scale", "min": 0.0, "max": 4.0},
            {"id": "H.1.b", "name": "Capaian kinerja lebih baik dari capaian kinerja sebelumnya",
             "name_en": "Performance better than the previous period", "weight": 5,
             "kind": "category", "max_points": 1,
             "categories": [{"code": c, "label": lbl, "points": p} for c, lbl, p in HASIL_A_TO_E]},
        ]},
        {"id": "H.2", "name": hp[1]["name"], "name_en": "Excellent public service", "weight": hp[1]["weight"],
         "parts": [
            {"id": "H.2.a", "name": "Indeks Persepsi Kualitas Pelayanan (survei eksternal)",
             "name_en": "Service quality perception index (external survey)", "weight": 17.5,
             "kind": "scale", "min": 0.0, "max": 4.0},
        ]},
    ]}
    inst = {
        "id": "zi-2021",
        "title": "Lembar Kerja Evaluasi Zona Integritas (LKE ZI) menuju WBK/WBBM",
        "title_en": "Integrity Zone evaluation worksheet (towards WBK/WBBM)",
        "version": "2024",
        "legal_basis": "Peraturan Menteri PANRB Nomor 90 Tahun 2021",
        "source": ref["status"],
        "scope": "unit",
        "pengungkit_total": ref["structure"]["pengungkit"],
        "answer_types": {
            "Ya/Tidak": [{"answer": "Ya", "value": 1}, {"answer": "Tidak", "value": 0}],
            "A/B/C": [{"answer": "A", "value": 1}, {"answer": "B", "value": 0.5}, {"answer": "C", "value": 0}],
            "A/B/C/D": [{"answer": a, "value": v} for a, v in zip("ABCD", (1, 0.67, 0.33, 0))],
            "A/B/C/D/E": [{"answer": a, "value": v} for a, v in zip("ABCDE", (1, 0.75, 0.5, 0.25, 0))],
        },
        "numeric_types": {
            "Jumlah": {"kind": "count", "label_en": "Count"},
            "Jumlah (otomatis)": {"kind": "computed", "label_en": "Count (computed)"},
            "%": {"kind": "computed", "label_en": "Percentage"},
        },
        "evidence_default": {"min_documents": 1, "on_missing": "warn"},
        "components": components,
        "area_groups": groups,
        "areas": files,
        "hasil": hasil,
    }
    (OUT / "instrument.yaml").write_text(
        yaml.dump(inst, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
