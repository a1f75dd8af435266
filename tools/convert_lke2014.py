"""One-off generator: ../shared/reference/lke-pmprb-2014.json -> pmprb/rules/pmprb-2014/*.yaml.

Kept for provenance: it shows how every value in the instrument files was
derived from the official worksheet. The generated files are the source of
truth afterwards and are edited by hand (worked examples, RATL templates).
Usage: python tools/convert_lke2014.py ../shared/reference/lke-pmprb-2014.json
"""

import json
import sys
from pathlib import Path

import yaml

OUT = Path(__file__).resolve().parent.parent / "pmprb" / "rules" / "pmprb-2014"

# Default responsible role per change area (the unit that usually owns the fix).
RESPONSIBLE = {
    "MP": "Tim Reformasi Birokrasi",
    "PPU": "Bagian Hukum",
    "ORG": "Bagian Organisasi",
    "TL": "Bagian Organisasi",
    "SDM": "BKPSDM",
    "AKT": "Bagian Perencanaan",
    "PWS": "Inspektorat",
    "PP": "Bagian Organisasi",
}
NAME_EN = {
    "MP": "Change Management",
    "PPU": "Regulatory Reform",
    "ORG": "Organisational Structuring and Strengthening",
    "TL": "Business Process Management",
    "SDM": "Human Resource Management System",
    "AKT": "Accountability Strengthening",
    "PWS": "Oversight Strengthening",
    "PP": "Public Service Quality Improvement",
}
AREA_NAME = {
    "PPU": "Penataan Peraturan Perundang-undangan / Deregulasi Kebijakan",
    "ORG": "Penataan dan Penguatan Organisasi",
    "SDM": "Penataan Sistem Manajemen SDM",
}


class Dumper(yaml.SafeDumper):
    pass


def _str(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


Dumper.add_representer(str, _str)


def gating_for(ref, sub_id):
    out = []
    for g in ref["gating_rules"]:
        if g["subarea"] != sub_id:
            continue
        rule = {"kind": g["rule"]}
        if g["rule"] in ("zero_if_answer", "zero_if_value_zero"):
            rule["when"] = {"criterion": g["when"]["item"]}
            if "answer_in" in g["when"]:
                rule["when"]["answer_in"] = g["when"]["answer_in"]
            rule["then_zero"] = g["then_zero"]
        else:
            rule["criteria"] = g["items"]
        if g.get("note"):
            rule["note"] = g["note"]
        out.append(rule)
    return out


def main(src):
    ref = json.loads(Path(src).read_text(encoding="utf-8"))
    OUT.mkdir(parents=True, exist_ok=True)
    files = []
    for area in ref["areas"]:
        code = area["code"]
        subareas = []
        for sub in area["subareas"]:
            criteria = []
            for item in sub["items"]:
                best = item["options"][0]["text"] or item["text"]
                criteria.append({
                    "id": item["id"],
                    "text": item["text"],
                    "answer_type": item["answer_type"],
                    "options": [{"answer": o["answer"], "text": o["text"]} for o in item["options"]],
                    "ratl": {"action": f"Wujudkan kondisi terbaik: {best}"},
                })
            entry = {"id": sub["id"], "name": sub["name"], "weight": sub["weight"]}
            gating = gating_for(ref, sub["id"])
            if gating:
                entry["gating"] = gating
            entry["criteria"] = criteria
            subareas.append(entry)
        doc = {
            "code": code,
            "name": AREA_NAME.get(code, area["name"]),
            "name_en": NAME_EN[code],
            "weight": area["weight"],
            "ratl_responsible": RESPONSIBLE[code],
            "subareas": subareas,
        }
        name = f"{len(files) + 1:02d}-{code.lower()}.yaml"
        (OUT / name).write_text(yaml.dump(doc, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100),
                                encoding="utf-8")
        files.append(name)
    hasil = {"total": ref["hasil"]["total"], "components": []}
    for comp in ref["hasil"]["components"]:
        parts = []
        for p in comp["parts"]:
            part = {"id": p["id"], "name": p["name"], "weight": p["weight"]}
            if "values" in p:
                part["kind"] = "category"
                part["categories"] = [{"code": k.split(" (")[0] if k != "tidak memiliki laporan keuangan" else "TANPA-LK",
                                       "label": k, "points": v} for k, v in p["values"].items()]
                part["max_points"] = max(p["values"].values())
            else:
                lo, hi = p["input"].split(" ")[1].split("-")
                part["kind"] = "scale"
                part["min"] = float(lo)
                part["max"] = float(hi)
            parts.append(part)
        hasil["components"].append({"id": comp["id"], "name": comp["name"], "weight": comp["weight"], "parts": parts})
    inst = {
        "id": "pmprb-2014",
        "title": "Lembar Kerja Evaluasi PMPRB (Indeks Reformasi Birokrasi)",
        "version": "2015",
        "legal_basis": "Peraturan Menteri PANRB Nomor 14 Tahun 2014",
        "source": ref["source"],
        "scope": "institution",
        "pengungkit_total": ref["pengungkit_total"],
        "answer_types": {k: [{"answer": a, "value": v} for a, v in vals.items()] for k, vals in ref["answer_values"].items()},
        "evidence_default": {"min_documents": 1, "on_missing": "warn"},
        "areas": files,
        "hasil": hasil,
        "grade_bands": [{"grade": b["grade"], "above": b["above"], "upto": b["upto"], "label": b["label"]}
                        for b in ref["grade_bands"]],
        "notes": [ref["answer_values_note"], ref["gating_rules_note"]],
    }
    (OUT / "instrument.yaml").write_text(yaml.dump(inst, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100),
                                         encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
