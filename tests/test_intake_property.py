"""The intake law: every input row is accepted, rejected or counted blank, exactly once, and the
outcome does not depend on the order of the rows."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from conftest import VALID_PROJECT, project
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.intake import load_contract, read_table
from workbench.intake.cells import clean_text
from workbench.intake.columns import EXAMPLE_ID

CANDIDATES = load_contract("candidates")
KEYS = list(VALID_PROJECT)

# Anything a person might type or paste, except line breaks (a CSV record then spans several
# lines; that numbering is pinned by its own test in test_intake.py).
garbage = st.one_of(
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="示"
        ),
        max_size=12,
    ),
    st.sampled_from(
        [
            "",
            " ",
            "　",
            "=1+1",
            "-5",
            "１２０",
            "1,20",
            "是",
            "否",
            "可能",
            "市级",
            "12.5",
            "0",
            "1.2亿元",
            "P1",
            "%",
            "N/A",
            "、",
            ";",
        ]
    ),
)


@st.composite
def rows(draw) -> list[dict[str, object]]:
    count = draw(st.integers(min_value=0, max_value=25))
    out: list[dict[str, object]] = []
    for _ in range(count):
        kind = draw(st.sampled_from(["valid", "valid", "garbage", "blank", "duplicate"]))
        if kind == "blank":
            out.append({k: draw(st.sampled_from(["", " ", "\u3000"])) for k in KEYS})
            continue
        if kind == "duplicate" and out:
            out.append(dict(draw(st.sampled_from(out))))
            continue
        pid = f"H{draw(st.integers(min_value=0, max_value=40))}"
        total = draw(st.integers(min_value=1, max_value=5000))
        row = project(project_id=pid, total_investment=total, request_amount=total)
        if kind == "garbage":
            for key in draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=3, unique=True)):
                row[key] = draw(garbage)
        out.append(row)
    return out


def is_skipped(row: dict[str, object]) -> bool:
    """A row the reader counts as blank: nothing in it, or the template's example id."""
    values = list(row.values())
    return all(clean_text(v) == "" for v in values) or clean_text(row["project_id"]) == EXAMPLE_ID


def write(path: Path, data: list[dict[str, object]], chinese: bool, encoding: str) -> Path:
    header = [CANDIDATES.label(k) if chinese else k for k in KEYS]
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows([row[k] for k in KEYS] for row in data)
    return path


@settings(max_examples=40, deadline=None)
@given(
    data=rows(),
    chinese=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
    shuffle=st.randoms(use_true_random=False),
)
def test_every_row_is_accounted_for_exactly_once(data, chinese, encoding, shuffle):
    with tempfile.TemporaryDirectory() as tmp:
        result = read_table([write(Path(tmp) / "form.csv", data, chinese, encoding)])

        rec = result.reconciliation()
        assert len(rec) == 1
        assert (rec["read"] == rec["accepted"] + rec["rejected"] + rec["blank"]).all(), rec
        assert int(rec["read"].iloc[0]) == len(data)
        assert int(rec["blank"].iloc[0]) == sum(is_skipped(r) for r in data)

        expected = sorted(n for n, r in enumerate(data, start=2) if not is_skipped(r))
        accepted_rows = [int(n) for n in result.accepted["source_row"]]
        rejected_rows = sorted({int(n) for n in result.rejections["row"].dropna()})
        assert sorted(accepted_rows + rejected_rows) == expected
        assert result.rejections["row"].notna().all()  # no file-level rejection for a readable file

        # Accepted ids are unique: a duplicated id is rejected at every place it occurs.
        assert result.accepted["project_id"].is_unique

        shuffled = list(data)
        shuffle.shuffle(shuffled)
        again = read_table([write(Path(tmp) / "shuffled.csv", shuffled, chinese, encoding)])
        assert set(again.accepted["project_id"]) == set(result.accepted["project_id"])
        assert again.totals() == result.totals()
