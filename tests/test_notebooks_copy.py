"""`workbench notebooks`: the analysts' copies of the July notebooks for JupyterLab. A copy is
the shipped notebook without its outputs, the shipped ones stay as tested, an analyst's work is
never overwritten without --force, and JupyterLab is installed with the workbench."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest

from workbench.cli import main
from workbench.english import english_sentences
from workbench.notebooks_copy import CopyRefused, copy_notebooks, jupyter_lab_command
from workbench.pipeline import notebooks_dir, sequence

ROOT = Path(__file__).resolve().parent.parent


def digests(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_a_copy_is_the_shipped_notebook_without_its_outputs(tmp_path):
    shipped = sequence()
    before = digests(shipped)
    copied = copy_notebooks(tmp_path / "分析" / "2027")  # made with its parents
    assert [p.name for p in copied.notebooks] == [p.name for p in shipped]
    for original, copy in zip(shipped, copied.notebooks, strict=True):
        theirs = nbformat.read(original, as_version=4)
        ours = nbformat.read(copy, as_version=4)
        nbformat.validate(ours)
        assert [(c.cell_type, c.source) for c in ours.cells] == [
            (c.cell_type, c.source) for c in theirs.cells
        ]
        assert [c.metadata.get("tags") for c in ours.cells] == [
            c.metadata.get("tags") for c in theirs.cells
        ]
        assert ours.metadata["kernelspec"] == theirs.metadata["kernelspec"]
        code = [c for c in ours.cells if c.cell_type == "code"]
        assert all(c.outputs == [] and c.execution_count is None for c in code)
        # The shipped ones carry outputs: the copy really cleared something.
        assert any(c.outputs for c in theirs.cells if c.cell_type == "code")
    assert digests(shipped) == before


def test_an_existing_notebook_is_never_overwritten_without_force(tmp_path):
    first = sequence()[0].name
    mine = tmp_path / first
    mine.write_text("我的分析", encoding="utf-8")
    with pytest.raises(CopyRefused) as refused:
        copy_notebooks(tmp_path)
    message = str(refused.value)
    assert first in message and "--force" in message and str(tmp_path) in message
    # All or nothing: not one notebook was written beside the one that was there.
    assert sorted(p.name for p in tmp_path.iterdir()) == [first]
    assert mine.read_text(encoding="utf-8") == "我的分析"

    copied = copy_notebooks(tmp_path, force=True)
    assert len(copied.notebooks) == len(sequence())
    nbformat.validate(nbformat.read(mine, as_version=4))


def test_the_shipped_folder_is_refused_even_with_force():
    before = digests(sequence())
    with pytest.raises(CopyRefused, match="测试"):
        copy_notebooks(notebooks_dir(), force=True)
    assert digests(sequence()) == before


def test_the_command_lists_copies_and_refuses_in_chinese(tmp_path, capsys):
    names = [p.name for p in sequence()]
    assert main(["notebooks"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in names) and "--copy-to" in out
    assert str(notebooks_dir()) in out and not english_sentences(out)

    target = tmp_path / "分析 2027"  # a space: the printed command quotes it
    assert main(["notebooks", "--copy-to", str(target)]) == 0
    out = capsys.readouterr().out
    assert jupyter_lab_command(target) in out and f"'{target}'" in out
    assert all(name in out for name in names) and "input_dir" in out
    assert sorted(p.name for p in target.iterdir()) == names
    assert not english_sentences(out)

    assert main(["notebooks", "--copy-to", str(target)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and names[0] in err and "--force" in err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err) and not english_sentences(err)

    assert main(["notebooks", "--copy-to", str(target), "--force"]) == 0


def test_the_installed_command_exits_2_on_a_refusal(tmp_path):
    (tmp_path / sequence()[0].name).write_text("{}", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "notebooks", "--copy-to", str(tmp_path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "--force" in done.stderr


def test_a_copy_runs_from_the_analysts_folder(tmp_path, monkeypatch):
    """The first notebook of a copy, run where the copy is (as JupyterLab runs it): it needs
    nothing from the checkout beside it. The kernel talks over the pipeline's Unix sockets,
    whose relative paths the client and the kernel share from that folder."""
    from nbclient import NotebookClient

    from workbench.pipeline import _kernel_manager_class

    monkeypatch.chdir(tmp_path)
    copied = copy_notebooks(tmp_path)
    notebook = nbformat.read(copied.notebooks[0], as_version=4)
    kwargs = {}
    if _kernel_manager_class():
        kwargs["kernel_manager_class"] = _kernel_manager_class()
    NotebookClient(
        notebook, timeout=600, resources={"metadata": {"path": str(tmp_path)}}, **kwargs
    ).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert outputs and not any(o.output_type == "error" for o in outputs)


def test_jupyterlab_is_installed_with_the_workbench():
    """The README's install gives analysts `jupyter lab`, and it finds the kernel the notebooks
    name."""
    from jupyter_client.kernelspec import KernelSpecManager

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(d.replace(" ", "").startswith("jupyterlab>=") for d in project["dependencies"])
    jupyter = Path(sys.executable).parent / "jupyter"
    done = subprocess.run(
        [str(jupyter), "lab", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    kernels = KernelSpecManager().find_kernel_specs()
    for path in sequence():
        assert nbformat.read(path, as_version=4).metadata["kernelspec"]["name"] in kernels


def test_checkpoints_are_ignored_at_any_depth():
    for path in (
        "notebooks/.ipynb_checkpoints/01_申报受理-checkpoint.ipynb",
        "分析/2027/.ipynb_checkpoints/01_申报受理-checkpoint.ipynb",
    ):
        done = subprocess.run(
            ["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT, check=False
        )
        assert done.returncode == 0, path


def test_jupyter_lab_opens_the_copies(tmp_path):
    """What the README promises after its install: `jupyter lab DIR` on the copies serves them.
    The server is started on 127.0.0.1 with a token, asked for its contents and for one
    notebook (which it must read as a notebook), and stopped."""
    import json
    import secrets
    import socket
    import time
    import urllib.request
    from urllib.parse import quote

    folder = tmp_path / "分析"
    copied = copy_notebooks(folder)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={folder}",
    ]
    server = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        listed, deadline = None, time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"{base}/api/contents?token={token}", timeout=5) as r:
                    listed = json.load(r)
                break
            except OSError:
                time.sleep(0.5)
        assert listed is not None, server.stderr.read().decode() if server.poll() else "timeout"
        names = {c["name"] for c in listed["content"] if c["type"] == "notebook"}
        assert names == {p.name for p in copied.notebooks}
        first = copied.notebooks[0].name
        with urllib.request.urlopen(
            f"{base}/api/contents/{quote(first)}?token={token}", timeout=10
        ) as r:
            model = json.load(r)
        assert model["type"] == "notebook" and model["content"]["cells"]
        with urllib.request.urlopen(f"{base}/lab?token={token}", timeout=10) as r:
            assert r.status == 200 and "JupyterLab" in r.read().decode()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def test_force_without_a_folder_is_refused(capsys):
    assert main(["notebooks", "--force"]) == 2
    err = capsys.readouterr().err
    assert "--copy-to" in err and "Traceback" not in err


def test_a_broken_shipped_notebook_is_named_and_nothing_is_written(tmp_path, monkeypatch):
    import workbench.notebooks_copy as copying

    shipped = tmp_path / "发布"
    shipped.mkdir()
    (shipped / "01_好.ipynb").write_bytes(sequence()[0].read_bytes())
    (shipped / "02_坏.ipynb").write_text("{不是 JSON", encoding="utf-8")
    monkeypatch.setattr(copying, "notebooks_dir", lambda: shipped)
    monkeypatch.setattr(copying, "sequence", lambda: sorted(shipped.glob("*.ipynb")))
    target = tmp_path / "分析"
    with pytest.raises(CopyRefused, match=r"02_坏\.ipynb"):
        copy_notebooks(target)
    assert not target.exists()
