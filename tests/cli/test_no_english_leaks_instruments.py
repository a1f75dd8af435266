"""Issue 14, item 5 for instrument authors and `pmprb score`: with
``PMPRB_LANG`` unset, `pmprb rules validate` on a broken instrument folder,
`pmprb score --instrument` on one, and `pmprb score` on broken worksheets say
nothing in English (the word list and the prose filter of
``test_no_english_leaks``); with ``--lang en`` the same problems are told in
English, so the check cannot pass by printing nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmprb.cli import main
from pmprb.engine.instrument import RULES_DIR

from test_no_english_leaks import leaks

# Each broken instrument: (bundled instrument, [(file, text, replacement)]); a replacement of None
# deletes the file. Schema errors stop the checks that follow them, so each
# variant breaks one layer, with several problems each.
INSTRUMENTS = {
    "shape": ("pmprb-2014", [
        ("03-org.yaml", "      text: Belum dilakukan evaluasi yang menganalisis kemungkinan duplikasi fungsi kepada "
                        "unit kerja", "      score: 0\n      text: Belum dilakukan evaluasi yang menganalisis "
                                      "kemungkinan duplikasi fungsi kepada unit kerja"),
        ("02-ppu.yaml", "ratl_responsible: Bagian Hukum", ""),
        ("02-ppu.yaml", "weight: 5.0", "weight: lima"),
        ("01-mp.yaml", "ratl_responsible: Tim Reformasi Birokrasi", "ratl_responsible: [1, 2]"),
        ("instrument.yaml", "pengungkit_total: 60", "pengungkit_total: .inf"),
    ]),
    "consistency": ("pmprb-2014", [
        ("01-mp.yaml", "criterion: MP.1.a", "criterion: MP.1.z"),
        ("02-ppu.yaml", "  name: Harmonisasi\n  weight: 2.5", "  name: Harmonisasi\n  weight: 2.0"),
        ("02-ppu.yaml", "- id: PPU.2\n  name:", "- id: PPU.1\n  name:"),
        ("03-org.yaml", "duplikasi fungsi\n    answer_type: A/B/C", "duplikasi fungsi\n    answer_type: A/B/C/D"),
        ("instrument.yaml", "(survei eksternal)\n      weight: 10", "(survei eksternal)\n      weight: 11"),
    ]),
    "advice": ("pmprb-2014", [
        ("ratl.yaml", "criteria:\n  MP.1.a:\n", "criteria:\n  XX.9.z:\n    requires: x\n  MP.1.a:\n"),
        ("ratl.yaml", "  MP.1.a:\n    next:\n", "  MP.1.a:\n    next:\n      A: x\n"),
    ]),
    "advice-shape": ("pmprb-2014", [("ratl.yaml", "criteria:\n  MP.1.a:\n", "criteria:\n  MP.1.a:\n    advice: x\n")]),
    "syntax": ("pmprb-2014", [("02-ppu.yaml", "weight: 5.0", "weight: [5.0")]),
    "duplicate-key": ("pmprb-2014", [("02-ppu.yaml", "weight: 5.0", "weight: 5.0\nweight: 5.0")]),
    "missing-area": ("pmprb-2014", [("02-ppu.yaml", None, None)]),
    "formulas": ("zi-2021", [
        ("07-r-mp.yaml", "numerator: R.MP.1.a.2", "numerator: R.MP.1.a.9"),
        ("07-r-mp.yaml", "numerator: R.MP.1.b.2", "numerator: R.MP.2.a"),
    ]),
    "example": ("rb-2023-kabkota", [("01-1a.yaml", "value: 0.23", "value: 0.22")]),
    "points": ("rb-2023-kl", [
        ("01-1a.yaml", "    multiplier: 1A11", "    multiplier: 1Z99"),
        ("01-1a.yaml", "    range:\n    - 0\n    - 3", "    range:\n    - 3\n    - 0"),
    ]),
}

WORKSHEETS = {
    "answers.yaml": "instrument: pmprb-2014\nanswers:\n  MP.1.a: D\n  MP.2.a: Mungkin\n  XX.9.z: A\n"
                    "evidence:\n  MP.3.a: -1\nhasil:\n  H.1.a: 200\n  H.2.b: WTP dengan catatan\n  H.9.z: 1\n",
    "dupkey.yaml": "instrument: pmprb-2014\nanswers:\n  MP.1.a: A\n  MP.1.a: B\n",
    "syntax.json": '{"instrument": "pmprb-2014", "answers": {"MP.1.a": "A",}}\n',
    "unknown.yaml": "instrument: tidak-ada-2099\nanswers: {}\n",
    "counts.yaml": "instrument: zi-2021\nanswers:\n  R.MP.1.a.1: -3\n  R.MP.1.a: 50\n",
    "shape.yaml": "- 1\n- 2\n",
    "isian.csv": "kriteria,jawaban,catatan\nMP.1.a,Z,\nXX.1,A,\nMP.1.a,A,\n",
    "header.csv": "nomor,isi\n1,2\n",
}


def _broken(tmp_path: Path, name: str) -> Path:
    ref, edits = INSTRUMENTS[name]
    folder = tmp_path / name
    shutil.copytree(RULES_DIR / ref, folder)
    for file, old, new in edits:
        path = folder / file
        if old is None:
            path.unlink()
            continue
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, file, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def _run(args, lang=None):
    env = {"PMPRB_LANG": None, "PMPRB_NO_INPUT": "1", "COLUMNS": "80"}
    r = CliRunner().invoke(main, (["--lang", lang] if lang else []) + [str(a) for a in args], env=env)
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    return r


def _check(r, args):
    shown = f"`pmprb {' '.join(map(str, args))}` (exit {r.exit_code}):\n{r.stderr[:4000]}"
    assert r.exit_code != 0 and r.stderr.strip(), shown
    assert not leaks(r.stderr), f"{leaks(r.stderr)} in {shown}"
    return r.stderr


@pytest.mark.parametrize("name", sorted(INSTRUMENTS))
def test_rules_validate_on_a_broken_instrument_speaks_indonesian(tmp_path, name):
    folder = _broken(tmp_path, name)
    args = ["rules", "validate", folder]
    _check(_run(args), args)
    english = _run(args, lang="en").stderr
    assert leaks(english), f"--lang en should tell the same problems in English:\n{english}"


@pytest.mark.parametrize("name", ["shape", "consistency", "advice", "formulas"])
def test_score_with_a_broken_instrument_speaks_indonesian(tmp_path, name):
    folder = _broken(tmp_path, name)
    sheet = tmp_path / "ws.csv"
    sheet.write_text("kriteria,jawaban\n", encoding="utf-8")
    args = ["score", "--instrument", folder, sheet]
    _check(_run(args), args)


@pytest.mark.parametrize("name", sorted(WORKSHEETS))
def test_score_on_a_broken_worksheet_speaks_indonesian(tmp_path, name):
    sheet = tmp_path / name
    sheet.write_text(WORKSHEETS[name], encoding="utf-8")
    args = ["score", sheet]
    _check(_run(args), args)
    english = _run(args, lang="en").stderr
    assert english.strip() and english != _run(args).stderr


def test_the_messages_name_what_is_wrong(tmp_path):
    """Not only no English: the Indonesian texts say the problem (spot checks)."""
    out = _run(["rules", "validate", _broken(tmp_path, "shape")]).stderr
    assert "kunci wajib 'ratl_responsible' tidak ada" in out
    assert "seharusnya angka, bukan str 'lima'" in out
    assert "kunci 'score' tidak dikenal (yang diizinkan: answer, text, text_en)" in out
    assert "seharusnya angka terhingga dalam ±1e+15, bukan inf" in out
    out = _run(["rules", "validate", _broken(tmp_path, "consistency")]).stderr
    assert "aturan gating menunjuk ke kriteria 'MP.1.z' yang tidak dikenal" in out
    assert "id 'PPU.1' ganda (sub-area; pertama didefinisikan di" in out
    out = _run(["rules", "validate", _broken(tmp_path, "advice")]).stderr
    assert "criteria.XX.9.z: kriteria 'XX.9.z' tidak dikenal" in out
    assert "'A' adalah jawaban terbaik MP.1.a; tidak ada tingkat berikutnya" in out
    out = _run(["--lang", "en", "rules", "validate", _broken(tmp_path, "formulas")]).stderr
    assert "refers to unknown criterion 'R.MP.1.a.9'" in out
