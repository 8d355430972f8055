"""The analyst notebooks stay thin and clean: a papermill parameters cell first, Chinese text
citing the articles, only calls into `workbench` (no functions, classes or loops of their own),
and no execution metadata in the committed files. nbval runs them (pyproject addopts)."""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from workbench.pipeline import notebooks_dir, sequence

NOTEBOOKS = sequence()
PARAMETERS = {"plan_year", "input_dir", "scenario", "out_dir", "seed", "scores", "db"}
# Notebook 08 lists the register's deadlines as they stood on a day.
EXTRA_PARAMETERS = {"08_项目库与监管": {"as_of"}}


def test_the_sequence_is_complete():
    assert [p.stem for p in NOTEBOOKS] == [
        "01_申报受理",
        "02_合规审核",
        "03_优先级评分",
        "04_年度计划草案",
        "05_情景对比",
        "06_多年度资金与风险",
        "07_汇报材料",
        "08_项目库与监管",
    ]
    assert (notebooks_dir() / "sanitize.cfg").is_file()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_thin_and_clean(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    first = code[0]
    assert "parameters" in first.metadata.get("tags", [])
    assigned = {t.id for node in ast.parse(first.source).body for t in node.targets}
    assert assigned == PARAMETERS | EXTRA_PARAMETERS.get(path.stem, set())
    intro = nb.cells[0]
    assert intro.cell_type == "markdown" and re.search(r"第[一二三四五六七八九十]+条", intro.source)
    for cell in code:
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(
                node, ast.FunctionDef | ast.ClassDef | ast.For | ast.While | ast.Lambda
            ), f"{path.name}: logic belongs in workbench, not in the notebook"
            if isinstance(node, ast.Import | ast.ImportFrom):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                assert module.startswith("workbench"), module
        assert "execution" not in cell.metadata and "papermill" not in cell.metadata
        assert (
            cell.outputs or cell.source.startswith("# 参数") or "=" in cell.source.split("\n")[-1]
        )
        assert not any(o.get("output_type") == "error" for o in cell.outputs)
    assert set(nb.metadata) <= {"kernelspec", "language_info"}
