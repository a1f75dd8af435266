"""The instrument-authoring guide's example is complete and valid."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from pmprb.cli import main

DOC = Path(__file__).resolve().parents[2] / "docs" / "instrument-authoring.md"
BLOCK = re.compile(r"File `([^`]+)`:\n\n```yaml\n(.*?)```", re.S)


def write_example(folder: Path, prefix: str = "") -> list[str]:
    """The guide's files of one example: names without a folder, or under ``prefix`` (e.g. 'contoh-poin/')."""
    names = []
    for name, body in BLOCK.findall(DOC.read_text(encoding="utf-8")):
        if prefix and not name.startswith(prefix) or not prefix and "/" in name:
            continue
        name = name[len(prefix):]
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


def test_the_points_example_validates_and_runs_its_worked_examples(tmp_path):
    assert write_example(tmp_path, "contoh-poin/") == ["instrument.yaml", "01-umum.yaml", "02-tema.yaml"]
    res = CliRunner().invoke(main, ["--lang", "en", "rules", "validate", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "contoh-poin" in res.output and "2 worked examples pass" in res.output


def test_the_points_example_scores_as_the_guide_says(tmp_path):
    import json

    folder = tmp_path / "contoh-poin"
    folder.mkdir()
    write_example(folder, "contoh-poin/")
    ws = tmp_path / "ws.yaml"
    answers = '{U.1.a: 2.04, U.1.b: 4.76, U.1.c: "B=1.5", U.1.d: -1, T.1.a: 1.25}'
    assert f"answers: {answers}" in DOC.read_text(encoding="utf-8")
    ws.write_text(f"instrument: {folder}\nanswers: {answers}\n")
    for engine in ("durable", "plain"):
        res = CliRunner().invoke(main, ["score", str(ws), "--json", "--engine", engine])
        assert res.exit_code == 0, res.output
        out = json.loads(res.stdout)
        assert out["lines"]["U.1.b"]["points"] == 0.16 and out["lines"]["U.1.c"]["flags"] == ["points_given",
                                                                                             "claimed_without_evidence"]
        assert (out["components"]["umum"]["score"], out["components"]["tema"]["score"], out["indeks_rb"]) == (
            2.7, 1.25, 3.95)
        assert out["themes"]["air"]["score"] == 1.25
    not_applicable = answers.replace('"B=1.5"', "TB")
    ws.write_text(f"instrument: {folder}\nanswers: {not_applicable}\n")
    out = json.loads(CliRunner().invoke(main, ["score", str(ws), "--json"]).stdout)
    assert (out["rescale"]["weight"], out["rescale"]["rescaled"], out["indeks_rb"]) == (8.0, 1.5, 2.75)
