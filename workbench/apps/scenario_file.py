"""Scenario files of the 情景推演 app: which scenarios the planner can load (the shipped ones,
and those in the scenarios folder given at start: ``workbench app explorer --scenarios-dir DIR``),
and saving the settings as a file that ``workbench plan --scenario`` reads back to the same plan:
the YAML text (:func:`scenario_yaml`), the file name a typed name gives
(:func:`scenario_file_name`), and a write that is whole or nothing and never replaces a file
unasked (:func:`write_new_file`).

Apart from the app's state and widgets because it is about files and names, not the plan;
``workbench.apps.explorer`` re-exports it. :class:`ExplorerError` lives here, the lowest of the
explorer's modules (a refused file name raises it), and the state and the widgets raise it too."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import unicodedata
from decimal import Decimal
from pathlib import Path

import yaml

from workbench.apps import ENV_SCENARIOS_DIR
from workbench.labels import APP_LABELS
from workbench.scenario import Scenario, ScenarioError, load_scenario, scenarios_dir

L = APP_LABELS
BASE = "base"
YAML_MIME = "application/x-yaml"
SCENARIO_SUFFIXES = (".yaml", ".yml")
# Characters no file name may hold on Windows or Linux (the folder may be a shared drive).
_BAD_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_NAME_LIMIT = 80  # characters of a typed scenario name kept as a file name


class ExplorerError(ValueError):
    """A setting or a save the explorer refuses; the message is Chinese and user-facing."""


def scenario_choices(folder: Path | None = None) -> list[tuple[str, str]]:
    """(label, value) of the shipped scenarios, 基准 first (value: the file stem), then those in
    the scenarios folder given at start (value: the file's path)."""
    stems = sorted(p.stem for p in scenarios_dir().glob("*.yaml"))
    stems.sort(key=lambda s: s != BASE)
    choices = [(f"{load_scenario(s).name}（{s}）", s) for s in stems]
    return choices + folder_choices(folder)


def folder_choices(folder: Path | None) -> list[tuple[str, str]]:
    """The scenario files in ``folder``; one that cannot be read is listed as such (choosing
    it says why), never left out silently."""
    if folder is None or not folder.is_dir():
        return []
    choices = []
    try:
        entries = sorted(p for p in folder.iterdir() if p.suffix in SCENARIO_SUFFIXES)
    except OSError:  # the folder went away or cannot be listed: nothing of it to offer
        return []
    for path in entries:
        try:
            name = load_scenario(path).name
        except ScenarioError:
            name = L["folder_scenario_unreadable"]
        choices.append((L["folder_scenario"].format(name=name, file=path.name), str(path)))
    return choices


def scenarios_folder_from_env() -> Path | None:
    """``workbench app explorer --scenarios-dir DIR``: where the explorer saves scenarios."""
    folder = os.environ.get(ENV_SCENARIOS_DIR)
    return Path(folder) if folder else None


# --- writing a scenario file ----------------------------------------------------------------


class _ScenarioDumper(yaml.SafeDumper):
    """YAML as the shipped scenarios are written: amounts as plain numbers (exactly the
    Decimal's digits), lists for tuples, a pool's years on one line."""


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    if value == value.to_integral_value():
        return dumper.represent_scalar("tag:yaml.org,2002:int", format(value.normalize(), "f"))
    text = format(value, "f")
    if Decimal(repr(float(text))) == value:
        return dumper.represent_scalar("tag:yaml.org,2002:float", text)
    # More digits than a float keeps: written as text, which the scenario reads as the Decimal.
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="'")


_ScenarioDumper.add_representer(Decimal, _represent_decimal)
_ScenarioDumper.add_representer(tuple, _ScenarioDumper.represent_list)

# Written even when they hold the default: the reader of the file sees what the plan is for.
_ALWAYS = ("name", "description", "plan_year", "horizon", "policy", "scoring", "ceilings")


def scenario_yaml(scenario: Scenario) -> str:
    """The scenario as a file that :func:`~workbench.scenario.load_scenario` reads back to an
    equal scenario: inheritance already resolved (``ceiling_scale`` applied, no ``inherits``),
    settings left at their default omitted, a relative scores table made absolute (a relative
    one would be read from the new file's folder)."""
    if scenario.scores:
        scenario = scenario.model_copy(update={"scores": str(Path(scenario.scores).resolve())})
    data = {
        **scenario.model_dump(exclude_defaults=True, exclude={"path", "inherits"}),
        **scenario.model_dump(include=set(_ALWAYS)),
    }
    ordered = {k: data[k] for k in Scenario.model_fields if k in data}
    header = L["scenario_file_header"].format(
        name=scenario.name, time=dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    )
    body = yaml.dump(
        ordered,
        Dumper=_ScenarioDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=100,
    )
    return "".join(f"# {line}\n" for line in header.splitlines()) + body


def scenario_file_name(name: str) -> str:
    """The file a typed scenario name is saved as (``压减15%方案`` → ``压减15%方案.yaml``);
    a name that cannot be a file's is refused with a Chinese message."""
    text = unicodedata.normalize("NFC", name).strip()
    if not text:
        raise ExplorerError(L["save_name_needed"])
    stem = text[: -len(Path(text).suffix)] if Path(text).suffix in SCENARIO_SUFFIXES else text
    if (
        not stem
        or _BAD_NAME.search(stem)
        or stem.startswith(".")
        or stem.endswith((" ", "."))
        or len(stem) > _NAME_LIMIT
    ):
        raise ExplorerError(L["save_bad_name"].format(name=text, limit=_NAME_LIMIT))
    return f"{stem}.yaml"


def write_new_file(path: Path, text: str, *, overwrite: bool = False) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file beside it, moved into
    place); an existing file is replaced only with ``overwrite``, otherwise
    :class:`FileExistsError` (a hard link does not replace, so a file saved meanwhile by a
    colleague is not lost either)."""
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # readable by colleagues, as an editor would save it
        if overwrite:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: check, then move
            if path.exists():
                raise FileExistsError(path) from None
            os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
