"""Helpers for the input-safety tests: valid seed files taken from the existing
tests, byte mutations for the fuzz tests, a resource-bounded call, and
hostile files built small (imported by name; pytest puts this folder on sys.path)."""

from __future__ import annotations

import ast
import io
import struct
import time
import tracemalloc
import zlib
from pathlib import Path

from hypothesis import strategies as st

from pmprb.errors import PmprbError

REPO = Path(__file__).resolve().parents[2]

# Fuzz budget per example, measured in this process: generous for a loaded 2-core machine,
# far below what an unbounded reader takes on the hostile inputs (minutes, gigabytes).
EXAMPLE_SECONDS = 5.0
EXAMPLE_PEAK_MB = 64


def constant_from(path: Path, name: str) -> str:
    """A module-level string constant of an existing test file, read without importing it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            value = node.value
            if isinstance(value, ast.BinOp):  # HEADER + """...""" in history_tables.py
                return constant_from(path, value.left.id) + ast.literal_eval(value.right)
            return ast.literal_eval(value)
    raise LookupError(f"{path}: no constant {name}")


def worksheet_seeds() -> dict[str, bytes]:
    """Valid worksheets of the existing tests: suffix -> bytes."""
    tests = REPO / "tests" / "engine" / "test_engine_worksheet.py"
    yaml_text = constant_from(tests, "YAML")
    import json

    import yaml

    return {".yaml": yaml_text.encode(), ".json": json.dumps(yaml.safe_load(yaml_text), indent=1).encode(),
            ".csv": ("\ufeff" + constant_from(tests, "CSV")).encode(),
            "zi.yaml": (REPO / "tests" / "zi" / "data" / "zi-wbk.yaml").read_bytes()}


def history_seed() -> bytes:
    return constant_from(REPO / "tests" / "history" / "history_tables.py", "CONSISTENT").encode()


# ---------------------------------------------------------------------------
# mutations

TOKENS = [b"\x00", b"\xff", b"\xe9", b"\r", b"\n", b"\t", b'"', b"'", b",", b";", b":", b"[", b"]", b"{", b"}",
          b"&a ", b"*a", b"<<: *a", b"!!binary ", b"!!python/object:os.system ", b"? ", b"- ", b"---\n", b"...",
          b"=1+1", b"#DIV/0!", b"9" * 400, b"1e400", b"NaN", b"-Infinity", b".inf", b"2024-02-30", b"0x", b"~",
          b"\xef\xbb\xbf", b"\xff\xfe", b"[" * 200, b"{" * 200, b"\\", b"\\u0000", b"\xc3", b"\xed\xa0\x80"]

_mutation = st.tuples(
    st.sampled_from(["flip", "insert", "delete", "duplicate", "token"]),
    st.floats(min_value=0, max_value=1, allow_nan=False),
    st.integers(min_value=1, max_value=64),
    st.binary(min_size=1, max_size=16),
    st.sampled_from(TOKENS),
)


def mutated(seed: bytes):
    """A strategy of ``seed`` with up to 6 mutations (bit flips, insertions, deletions,
    duplicated spans, and tokens that trouble YAML/JSON/CSV parsers)."""
    return st.lists(_mutation, min_size=1, max_size=6).map(lambda ms: mutate(seed, ms))


def mutate(data: bytes, mutations) -> bytes:
    buf = bytearray(data)
    for kind, where, n, blob, token in mutations:
        pos = int(where * len(buf)) if buf else 0
        pos = min(pos, max(len(buf) - 1, 0))
        if kind == "flip" and buf:
            buf[pos] ^= blob[0] or 1
        elif kind == "insert":
            buf[pos:pos] = blob
        elif kind == "delete":
            del buf[pos:pos + n]
        elif kind == "duplicate":
            buf[pos:pos] = buf[pos:pos + n] * (1 + blob[0] % 8)
        else:
            buf[pos:pos] = token
    return bytes(buf)


def file_bytes(seed: bytes):
    """Arbitrary bytes, or the valid seed mutated."""
    return st.one_of(st.binary(max_size=2048), mutated(seed))


# ---------------------------------------------------------------------------
# bounded calls


def bounded(fn, *args, seconds: float = EXAMPLE_SECONDS, peak_mb: float = EXAMPLE_PEAK_MB, **kwargs):
    """Run ``fn``: it must return or raise a PmprbError (anything else fails the
    test), within ``seconds`` and ``peak_mb`` of Python allocations (tracemalloc,
    started by the caller's fixture). Returns ``(result or None, error or None)``."""
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    result = error = None
    try:
        result = fn(*args, **kwargs)
    except PmprbError as exc:
        error = exc
        assert str(exc).strip(), "a PmprbError must carry a message"
    elapsed = time.perf_counter() - started
    peak = (tracemalloc.get_traced_memory()[1] - base) / 2**20
    assert elapsed < seconds, f"{fn.__name__} took {elapsed:.1f} s (limit {seconds} s)"
    assert peak < peak_mb, f"{fn.__name__} allocated {peak:.0f} MB at its peak (limit {peak_mb} MB)"
    return result, error


# ---------------------------------------------------------------------------
# zip files built by hand (an entry with any declared sizes and a huge real one)


def zero_deflate(size: int) -> bytes:
    """A raw deflate stream of ``size`` zero bytes, built at once: one compressed
    1 MiB block repeated (a full flush makes blocks independent); zeros
    compress ~1000:1, so 2 GiB take ~2 MB."""
    mib = 1 << 20
    assert size % mib == 0
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(bytes(mib)) + comp.flush(zlib.Z_FULL_FLUSH)
    return block * (size // mib) + comp.flush(zlib.Z_FINISH)


def build_zip(entries: list[dict]) -> bytes:
    """A zip from entries ``{"name", "data"?, "raw"?, "crc"?, "size"?, "declared"?}``:
    ``data`` is deflated here; or ``raw`` is an already deflated stream with the
    ``crc`` to record and its real ``size``; ``declared`` overrides the
    uncompressed size written in the headers (to build archives whose sizes lie)."""
    out = io.BytesIO()
    central = []
    for e in entries:
        name = e["name"].encode()
        if "raw" in e:
            raw, crc, size = e["raw"], e["crc"], e["size"]
        else:
            comp = zlib.compressobj(6, zlib.DEFLATED, -15)
            raw = comp.compress(e["data"]) + comp.flush()
            crc, size = zlib.crc32(e["data"]), len(e["data"])
        declared = e.get("declared", size)
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(raw), declared, len(name), 0))
        out.write(name)
        out.write(raw)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(raw), declared,
                                   len(name), 0, 0, 0, 0, 0, offset) + name)
    start = out.tell()
    for c in central:
        out.write(c)
    size = out.tell() - start
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), size, start, 0))
    return out.getvalue()


def xlsx_seed(rows: list[list] | None = None) -> bytes:
    """A small valid XLSX like the assessors' worksheet (openpyxl)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Kertas Kerja"
    for row in rows or [["kriteria", "jawaban", "catatan"], ["MP.1.a", "A", "SK ada"], ["MP.2.a", "Ya", None],
                        ["SDM.4.c", 2, "dua"]]:
        ws.append(row)
    info = wb.create_sheet("Info")
    info.append(["format", "pmprb-assess/1"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_parts(data: bytes) -> list[tuple[str, bytes]]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def xlsx_with(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The XLSX with some parts replaced (rezipped properly)."""
    return build_zip([{"name": n, "data": replace.get(n, d)} for n, d in xlsx_parts(data)])
