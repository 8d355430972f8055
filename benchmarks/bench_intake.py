"""Benchmark: read and check a large July intake, and refuse hostile files in bounded time.

Two cases (issue #2): 10 000 candidates in one CSV, and 50 xlsx files of 40 rows (a folder of
departments' forms). Each case runs in a fresh process (so peak RSS is the case's own) and is
repeated; the figures go into ``benchmarks/README.md`` by hand. Inputs are built from the
embedded sample's rows with new ids, under ``benchmarks/.data/`` (not committed).

Hostile files (issue #12, item 2, "Bounded intake"): each is given to ``workbench check FILE``
in a fresh process, which reports its exit status, wall time and peak RSS
(``resource.getrusage``); every one must end with exit 2, in seconds, under 500 MB. They are
written as streams (no file is ever held whole), under ``benchmarks/.data/hostile/``.

    python benchmarks/bench_intake.py            # both cases, 3 repeats
    python benchmarks/bench_intake.py --repeat 5
    python benchmarks/bench_intake.py --hostile  # the hostile files, 3 repeats
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
HOSTILE = DATA / "hostile"


def sample_rows() -> tuple[list[str], list[list[str]]]:
    from workbench.data import sample_candidates

    with sample_candidates().open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def scaled_rows(n: int, prefix: str) -> tuple[list[str], list[list[str]]]:
    header, rows = sample_rows()
    id_col = header.index("项目编号")
    dep_col = header.index("依赖项目编号")
    out = []
    for i in range(n):
        row = list(rows[i % len(rows)])
        row[id_col] = f"{prefix}{i:06d}"
        row[dep_col] = ""  # ids are renumbered, so the sample's dependencies would dangle
        out.append(row)
    return header, out


def build_inputs() -> dict[str, Path]:
    import openpyxl

    DATA.mkdir(parents=True, exist_ok=True)
    big = DATA / "candidates_10000.csv"
    if not big.exists():
        header, rows = scaled_rows(10_000, "BM")
        with big.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([header, *rows])
    folder = DATA / "xlsx_50x40"
    if not folder.exists() or len(list(folder.glob("*.xlsx"))) != 50:
        folder.mkdir(exist_ok=True)
        header, rows = scaled_rows(50 * 40, "XL")
        for f in range(50):
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = "申报表"
            ws.append([f"鄂尔多斯市政务信息化项目申报表（第{f + 1}号单位）"])
            ws.append(header)
            for row in rows[f * 40 : (f + 1) * 40]:
                ws.append(row)
            wb.save(folder / f"unit_{f + 1:02d}.xlsx")
    return {"csv_10000": big, "xlsx_50x40": folder}


def run_case(path: str) -> dict[str, float]:
    """Read and check one input (in this process); return timings and counts."""
    from workbench.data import SAMPLE_PLAN_YEAR, sample_systems, sample_usage
    from workbench.intake import read_table
    from workbench.intake.registry import read_systems, read_usage
    from workbench.policy import check

    start = time.perf_counter()
    candidates = read_table([path])
    read_done = time.perf_counter()
    systems = read_systems([sample_systems()])
    usage = read_usage([sample_usage()], systems)
    result = check(
        candidates.accepted,
        plan_year=SAMPLE_PLAN_YEAR,
        systems=systems.accepted,
        usage=usage.accepted,
    )
    end = time.perf_counter()
    totals = candidates.totals()
    return {
        "read_s": read_done - start,
        "check_s": end - read_done,
        "total_s": end - start,
        "rows": totals["read"],
        "accepted": totals["accepted"],
        "findings": len(result.findings),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


# --- hostile files ------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="申报表" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def write_xlsx(
    path: Path, sheet: Iterable[bytes], shared: Iterable[bytes] = (b"",), dimension: str = ""
) -> None:
    """A minimal workbook, its sheet data and shared strings (``<si>`` elements) written as
    streams, so that parts of any size are written without being held."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("xl/workbook.xml", _WORKBOOK),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
        ):
            archive.writestr(name, text)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(f'<sst xmlns="{_MAIN}">'.encode())
            for chunk in shared:
                out.write(chunk)
            out.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(f'<worksheet xmlns="{_MAIN}">'.encode())
            if dimension:
                out.write(f'<dimension ref="{dimension}"/>'.encode())
            out.write(b"<sheetData>")
            for chunk in sheet:
                out.write(chunk)
            out.write(b"</sheetData></worksheet>")


def _header_row() -> bytes:
    return (
        '<row r="1">' + _inline("A1", "项目编号") + _inline("B1", "项目名称") + "</row>"
    ).encode()


def _million_row_csv(path: Path) -> None:
    """1 000 000 short rows (~45 MB): under the 50 MB file cap, so only the row limit stops it."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("项目编号,项目名称,申报单位,项目类型,总投资(万元)\n")
        for i in range(1_000_000):
            fh.write(f"H{i:07d},智慧平台{i % 97},市局{i % 13},建设类,{i % 900 + 100}\n")


def _three_million_row_xlsx(path: Path) -> None:
    """3 000 000 rows of one number each: the sheet part (~140 MB) is within the part limit, so
    the read streams until the row limit stops it."""

    def rows() -> Iterable[bytes]:
        yield _header_row()
        batch = []
        for n in range(2, 3_000_002):
            batch.append(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>')
            if len(batch) == 10_000:
                yield "".join(batch).encode()
                batch = []
        yield "".join(batch).encode()

    write_xlsx(path, rows())


def _gigabyte_cell_xlsx(path: Path) -> None:
    """One shared string of 1 GiB (3 bytes × 2**28 + …), deflated to about a megabyte."""
    block = "很".encode() * (1 << 20)  # 3 MiB

    def shared() -> Iterable[bytes]:
        yield b"<si><t>"
        for _ in range(342):  # 342 × 3 MiB ≈ 1.0 GiB
            yield block
        yield b"</t></si>"

    sheet = [_header_row(), b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>']
    write_xlsx(path, sheet, shared())


def _dimension_bomb_xlsx(path: Path) -> None:
    """Two real rows under a declared used range of A1:XFD1048576: read-only openpyxl would pad
    1 048 576 rows to 16 384 cells each."""
    sheet = [_header_row(), ('<row r="2">' + _inline("A2", "P1") + "</row>").encode()]
    write_xlsx(path, sheet, dimension="A1:XFD1048576")


def _many_parts_xlsx(path: Path) -> None:
    """A workbook with 400 000 (empty) extra parts: ~37 MB, under the file cap."""
    write_xlsx(path, [_header_row()])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as archive:
        for i in range(400_000):
            archive.writestr(f"xl/media/p{i}.bin", b"")


def _comma_line_csv(path: Path) -> None:
    """A header, then one line of 40 million commas (40 MB)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("项目编号,项目名称\n")
        for _ in range(40):
            fh.write("," * 1_000_000)
        fh.write("\n")


def _mixed_encoding_csv(path: Path) -> None:
    """A UTF-8 form with GB18030 rows pasted below it: 10 001 lines."""
    with path.open("wb") as fh:
        fh.write("项目编号,项目名称\n".encode())
        for i in range(5_000):
            fh.write(f"U{i:06d},智慧平台{i}\n".encode())
        for i in range(5_000):
            fh.write(f"G{i:06d},智慧平台{i}\n".encode("gb18030"))


HOSTILE_CASES = {
    "csv_1m_rows": ("1m_rows.csv", _million_row_csv),
    "xlsx_3m_rows": ("3m_rows.xlsx", _three_million_row_xlsx),
    "xlsx_1gb_cell": ("1gb_cell.xlsx", _gigabyte_cell_xlsx),
    "xlsx_dimension_XFD1048576": ("dimension.xlsx", _dimension_bomb_xlsx),
    "xlsx_400k_parts": ("400k_parts.xlsx", _many_parts_xlsx),
    "csv_40m_commas": ("commas.csv", _comma_line_csv),
    "csv_mixed_encoding": ("mixed.csv", _mixed_encoding_csv),
}


def build_hostile() -> dict[str, Path]:
    HOSTILE.mkdir(parents=True, exist_ok=True)
    paths = {}
    for case, (name, write) in HOSTILE_CASES.items():
        path = HOSTILE / name
        if not path.exists():
            write(path)
        paths[case] = path
    return paths


def run_hostile(path: str) -> dict[str, object]:
    """``workbench check FILE`` in this process: exit status, seconds, peak RSS, first words."""
    import contextlib

    from workbench.cli import main as workbench_main

    start = time.perf_counter()
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = workbench_main(["check", path])
    return {
        "exit": code,
        "seconds": time.perf_counter() - start,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "stderr": err.getvalue().strip(),
    }


def hostile(repeat: int) -> None:
    paths = build_hostile()
    print(
        f"python {platform.python_version()} on {platform.machine()}, {platform.processor() or 'cpu'}"
    )
    print(
        "| case | file size | exit | check (s), median | wall incl. start-up (s) | peak RSS (MB) |"
    )
    print("|---|---|---|---|---|---|")
    for name, path in paths.items():
        runs, walls = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, __file__, "--hostile-case", str(path)],
                check=True,
                capture_output=True,
                text=True,
            )
            walls.append(time.perf_counter() - start)
            runs.append(json.loads(done.stdout))
        size = path.stat().st_size / 1024 / 1024
        print(
            f"| {name} | {size:.1f} MB | {runs[0]['exit']} "
            f"| {statistics.median(r['seconds'] for r in runs):.2f} "
            f"| {statistics.median(walls):.2f} | {max(r['peak_rss_mb'] for r in runs):.0f} |"
        )
        print(f"  {runs[0]['stderr'][:300]}", file=sys.stderr)


def main() -> None:
    # Measure this checkout, whatever another (editable) install of the package points at.
    sys.path.insert(0, str(HERE.parent))
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--hostile", action="store_true")
    parser.add_argument("--hostile-case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case)))
        return
    if args.hostile_case:
        print(json.dumps(run_hostile(args.hostile_case), ensure_ascii=False))
        return
    if args.hostile:
        hostile(args.repeat)
        return
    inputs = build_inputs()
    print(
        f"python {platform.python_version()} on {platform.machine()}, {platform.processor() or 'cpu'}"
    )
    print(
        "| case | rows | findings | read (s) | check (s) | total median (s) | total min (s) | peak RSS (MB) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, path in inputs.items():
        runs = [
            json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--case", str(path)],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            for _ in range(args.repeat)
        ]
        totals = [r["total_s"] for r in runs]
        best = min(runs, key=lambda r: r["total_s"])
        print(
            f"| {name} | {best['rows']} | {best['findings']} | {best['read_s']:.2f} | {best['check_s']:.2f} "
            f"| {statistics.median(totals):.2f} | {min(totals):.2f} | {max(r['peak_rss_mb'] for r in runs):.0f} |"
        )


if __name__ == "__main__":
    main()
