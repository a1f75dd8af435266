"""The hostile inputs of issue 15, built small, and a measured run of each.

Each case writes its file(s) into a folder and names what reads them: a
``pmprb`` command (the real path, end to end) or, for readers whose command
is not switched over yet, the library call. :func:`run_cases` runs cases in a
fresh Python process and reports per case the wall time of the read (after
imports), the process's peak RSS so far, the exit code and stderr.

Also a script, to measure every case in its own process (the figures of the
report)::

    .venv/bin/python tests/input_safety/hostile_inputs.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from safety_support import build_zip, xlsx_parts, xlsx_seed, zero_deflate  # noqa: E402

GIB = 1 << 30
RSS_LIMIT_MB = 200
SECONDS_LIMIT = 5.0


def _alias_bomb() -> str:
    # "billion laughs": 9 levels of 9 aliases -> 9^9 (387 million) strings once expanded.
    lines = ['lol0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"lol{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def build(case: str, folder: Path) -> list[str]:
    """Write the case's file(s) into ``folder``; returns the command line
    (``pmprb`` arguments, or ``["py:<name>", path]`` for a library call)."""
    f = folder
    if case == "yaml_alias_bomb":
        (f / "bomb.yaml").write_text("instrument: pmprb-2014\nanswers: {MP.1.a: A}\n" + _alias_bomb(),
                                     encoding="utf-8")
        return ["score", str(f / "bomb.yaml")]
    if case == "json_deep":
        (f / "deep.json").write_text("[" * 100_000, encoding="utf-8")
        return ["score", str(f / "deep.json")]
    if case == "worksheet_26mb":
        with (f / "big.yaml").open("w", encoding="utf-8") as out:
            out.write("instrument: pmprb-2014\nanswers:\n  MP.1.a: A\n")
            line = "# " + "x" * 97 + "\n"
            for _ in range(26 * 1024 * 1024 // len(line) + 1):
                out.write(line)
        return ["score", str(f / "big.yaml")]
    if case in ("xlsx_2gib_entry", "xlsx_size_lie"):
        parts = xlsx_parts(xlsx_seed())
        entries = []
        for name, data in parts:
            if name == "xl/worksheets/sheet1.xml":
                raw = zero_deflate(2 * GIB)
                # honest: declares 2 GiB; lying: declares 1 KiB and holds 2 GiB
                declared = 2 * GIB if case == "xlsx_2gib_entry" else 1024
                entries.append({"name": name, "raw": raw, "crc": 0, "size": 2 * GIB, "declared": declared})
            else:
                entries.append({"name": name, "data": data})
        (f / "bomb.xlsx").write_bytes(build_zip(entries))
        return ["py:xlsx", str(f / "bomb.xlsx")]
    if case == "xlsx_row_bomb":
        # A tiny sheet that claims the whole grid and a row a trillion rows down.
        parts = dict(xlsx_parts(xlsx_seed()))
        sheet = parts["xl/worksheets/sheet1.xml"]
        sheet = sheet.replace(b"</sheetData>", b'<row r="999999999999"><c r="A999999999999" t="inlineStr">'
                                               b"<is><t>x</t></is></c></row></sheetData>")
        parts["xl/worksheets/sheet1.xml"] = sheet.replace(b'<dimension ref="A1:C4"', b'<dimension ref="A1:XFD1048576"')
        (f / "rows.xlsx").write_bytes(build_zip([{"name": n, "data": d} for n, d in parts.items()]))
        return ["py:xlsx", str(f / "rows.xlsx")]
    if case == "csv_nul":
        (f / "nul.csv").write_bytes(b"criterion,answer\nMP.1.a,A\nMP.2.a,Y\x00a\n")
        return ["score", str(f / "nul.csv")]
    if case == "csv_cp1252":
        (f / "excel.csv").write_bytes("criterion;answer;evidence\nMP.1.a;A;1\nMP.2.a;Ya;\n# catatan: \u201cSK\u201d\n"
                                      .encode("cp1252"))
        return ["score", str(f / "excel.csv")]
    if case == "history_cp1252":
        (f / "riwayat.csv").write_bytes("year;item;weight;value;percent\n2016;MP;5;3,45;69,00 \u2013 naik\n"
                                        .encode("cp1252"))
        return ["history", "check", "--file", str(f / "riwayat.csv")]
    if case == "jsonl_deep":
        from pmprb.canonical import canonical_json
        from pmprb.engine import decision_log
        from pmprb.engine.instrument import load_instrument

        head = decision_log.header(round_info={"code": "2024"}, instrument=load_instrument("pmprb-2014"), records=1,
                                   frozen_results=None, exported_at="2024-06-01T00:00:00+00:00", generator="test")
        (f / "log.jsonl").write_text(canonical_json(head) + "\n" + "[" * 100_000 + "\n", encoding="utf-8")
        return ["audit", "replay", "--from", str(f / "log.jsonl"), "--engine", "plain"]
    if case == "instrument_alias_bomb":
        from pmprb.engine.instrument import RULES_DIR

        folder = f / "inst"
        folder.mkdir()
        for p in (RULES_DIR / "pmprb-2014").iterdir():
            (folder / p.name).write_bytes(p.read_bytes())
        (folder / "02-ppu.yaml").write_text(_alias_bomb(), encoding="utf-8")
        return ["rules", "validate", str(folder)]
    raise KeyError(case)


CASES = ("yaml_alias_bomb", "json_deep", "worksheet_26mb", "xlsx_2gib_entry", "xlsx_size_lie", "xlsx_row_bomb",
         "csv_nul", "csv_cp1252", "history_cp1252", "jsonl_deep", "instrument_alias_bomb")


# ---------------------------------------------------------------------------
# the child process


def _child(cases: list[tuple[str, list[str]]]) -> None:
    import contextlib
    import io
    import time
    import traceback

    from pmprb.cli import main  # imported before timing: the read is measured, not the imports
    from pmprb import safe_xlsx

    def xlsx(path):
        wb = safe_xlsx.open_workbook(path)
        try:
            for ws in wb.worksheets:
                safe_xlsx.sheet_values(ws, name=path)
        finally:
            wb.close()

    for name, argv in cases:
        err = io.StringIO()
        code = 0
        started = time.perf_counter()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                if argv[0] == "py:xlsx":
                    try:
                        xlsx(argv[1])
                    except Exception as exc:  # noqa: BLE001 - reported as the CLI would
                        from pmprb.errors import PmprbError

                        if not isinstance(exc, PmprbError):
                            raise
                        print(f"Galat: {exc}", file=sys.stderr)
                        code = exc.exit_code
                else:
                    main(args=argv, prog_name="pmprb")
            except SystemExit as exc:
                code = exc.code
            except BaseException:  # noqa: BLE001 - the point is to see it
                traceback.print_exc()
                code = "traceback"
        seconds = time.perf_counter() - started
        rss = _peak_rss_mb()
        print(json.dumps({"case": name, "seconds": round(seconds, 3), "peak_rss_mb": round(rss, 1), "exit": code,
                          "stderr": err.getvalue()}), flush=True)


def _peak_rss_mb() -> float:
    """This process's peak RSS. Linux's VmHWM belongs to the process image, whereas
    ru_maxrss carries over the RSS of the parent it was forked from (pytest, by the
    end of the suite, holds a gigabyte)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_cases(names, folder: Path, *, timeout: float = 120) -> dict[str, dict]:
    """Build the cases in ``folder`` and run them in one fresh Python process
    (address space capped at 2 GiB, so a regression fails instead of swapping
    the machine). Returns ``{case: {seconds, peak_rss_mb, exit, stderr}}``."""
    plan = []
    for name in names:
        sub = folder / name
        sub.mkdir(parents=True, exist_ok=True)
        plan.append((name, build(name, sub)))

    def cap():
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 * GIB, 2 * GIB))

    env = dict(os.environ, PMPRB_LANG="id", XDG_DATA_HOME=str(folder / "xdg"))
    for var in ("PMPRB_MAX_INPUT_MB", "PMPRB_MAX_INPUT_ROWS", "PMPRB_MAX_LOG_LINES", "PMPRB_DATABASE_URL"):
        env.pop(var, None)
    proc = subprocess.run([sys.executable, str(Path(__file__)), "--child", json.dumps(plan)], capture_output=True,
                          text=True, timeout=timeout, env=env, preexec_fn=cap)
    results = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            results[r.pop("case")] = r
    missing = [n for n in names if n not in results]
    assert not missing, f"no result for {missing}: exit {proc.returncode}\n{proc.stderr[-3000:]}"
    return results


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _child(json.loads(sys.argv[2]))
        return
    print("| case | exit | seconds (read) | peak RSS of the process (MB) | message |")
    print("|---|---|---|---|---|")
    for name in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            r = run_cases([name], Path(tmp))[name]
        message = r["stderr"].strip().splitlines()[0] if r["stderr"].strip() else ""
        print(f"| {name} | {r['exit']} | {r['seconds']:.2f} | {r['peak_rss_mb']:.0f} | {message[:150]} |")


if __name__ == "__main__":
    main()
