"""The instrument-authoring guide's example is complete and valid."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from pmprb.cli import main

DOC = Path(__file__).resolve().parents[2] / "docs" / "instrument-authoring.md"
BLOCK = re.compile(r"File `([^`]+)`:\n\n```yaml\n(.*?)```", re.S)


def write_example(folder: Path) -> list[str]:
    names = []
    for name, body in BLOCK.findall(DOC.read_text(encoding="utf-8")):
        (folder / name).write_text(body, encoding="utf-8")
        names.append(name)
    return names


def test_the_guide_example_validates_and_runs_its_worked_examples(tmp_path):
    assert write_example(tmp_path) == ["instrument.yaml", "01-mp.yaml", "02-pws.yaml"]
    res = CliRunner().invoke(main, ["--lang", "en", "rules", "validate", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "contoh-mini" in res.output


def test_the_guide_example_scores_a_worksheet(tmp_path):
    folder = tmp_path / "contoh-mini"
    folder.mkdir()
    write_example(folder)
    ws = tmp_path / "ws.yaml"
    ws.write_text(f"instrument: {folder}\nanswers: {{MP.1.a: Ya, MP.1.b: A, PWS.1.a: Ya, PWS.1.b: B}}\n"
                  "hasil: {H.1.a: 80, H.1.b: WTP}\n")
    res = CliRunner().invoke(main, ["score", str(ws), "--json"])
    assert res.exit_code == 0, res.output
    import json

    out = json.loads(res.stdout)
    # MP: 30 x mean(1, 1) = 30; PWS: 30 x mean(1, 0.5) = 22.5; Hasil: 80/100*30 + 10 = 34.
    assert out["pengungkit"] == 52.5 and out["hasil"] == 34.0 and out["grade"] == "A"


def test_a_broken_copy_of_the_guide_example_is_rejected_with_located_errors(tmp_path):
    write_example(tmp_path)
    area = tmp_path / "02-pws.yaml"
    area.write_text(area.read_text().replace("weight: 30\nratl_responsible", "weight: 25\nratl_responsible"))
    res = CliRunner().invoke(main, ["--lang", "en", "rules", "validate", str(tmp_path)])
    assert res.exit_code == 1
    assert "02-pws.yaml:3: weight:" in res.output
    assert "area weights add up to 55, not pengungkit_total 60" in res.output
