"""The bounds of one intake: rows, columns, cell length, workbook parts, amounts.

They live in ``models/settings.yaml`` (section ``intake_limits``), not in code and not in the
policy pack: they are not rules of the measures but the size of what the workbench agrees to
read, and the intake layer reads them without depending on the policy layer above it. The file
is found as the policy packs are (``$WORKBENCH_MODELS``, else the checkout's ``models/``, else the
copy a wheel installs under ``<prefix>/share``); ``$WORKBENCH_SETTINGS`` names another file. It
is read once per path and validated by pydantic; a missing or broken file is refused with a
Chinese reason naming it, as a broken policy pack is.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from workbench.intake.readers import IntakeFileError
from workbench.labels import FILE_MESSAGES
from workbench.yamlfile import load_model

SETTINGS_FILE = "settings.yaml"
SETTINGS_ENV = "WORKBENCH_SETTINGS"
MODELS_ENV = "WORKBENCH_MODELS"
MODELS_SHARE = Path("share") / "ordos-gov-it-workbench" / "models"
MIB = 1024 * 1024  # a unit, not a limit: the settings give sizes in MiB


class SettingsError(IntakeFileError):
    """A settings file that cannot be found, parsed or validated (a usage error, exit 2)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(str(path), reason)


class IntakeLimits(BaseModel):
    """What one intake may hold; see ``models/settings.yaml`` for what each bound is for."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rows_per_file: int = Field(gt=0)
    rows_total: int = Field(gt=0)
    columns_per_row: int = Field(gt=0)
    cell_chars: int = Field(gt=0)
    sheets_per_workbook: int = Field(gt=0)
    parts_per_workbook: int = Field(gt=0)
    sheet_part_mb: int = Field(gt=0)
    part_mb: int = Field(gt=0)
    unpacked_mb: int = Field(gt=0)
    shared_strings: int = Field(gt=0)
    cell_formats: int = Field(gt=0)
    amount_wan: int = Field(gt=0)

    @property
    def line_chars(self) -> int:
        """The longest physical line of a CSV that can be a row within the limits."""
        return self.columns_per_row * (self.cell_chars + 1)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    intake_limits: IntakeLimits
    path: str = ""


def settings_path() -> Path:
    """``$WORKBENCH_SETTINGS``, else ``settings.yaml`` in the models folder (found as
    :func:`workbench.policy.pack.models_dir` finds it; repeated here because intake sits below
    the policy layer)."""
    named = os.environ.get(SETTINGS_ENV)
    if named:
        return Path(named)
    models = os.environ.get(MODELS_ENV)
    if models:
        return Path(models) / SETTINGS_FILE
    checkout = Path(__file__).resolve().parents[2] / "models"
    if checkout.is_dir():
        return checkout / SETTINGS_FILE
    return Path(sys.prefix) / MODELS_SHARE / SETTINGS_FILE


_MESSAGES = {
    "not_found": FILE_MESSAGES["settings_not_found"],
    "yaml": FILE_MESSAGES["settings_yaml"],
    "invalid": FILE_MESSAGES["settings_invalid"],
}


@functools.cache
def _load(path: Path) -> Settings:
    return load_model(path, Settings, _MESSAGES, functools.partial(SettingsError, path))  # type: ignore[arg-type]


def load_limits(path: str | os.PathLike[str] | None = None) -> IntakeLimits:
    """The intake limits of ``path`` (default :func:`settings_path`), read once per path.
    Raises :class:`SettingsError` (an :class:`IntakeFileError`) with a Chinese reason."""
    return _load(Path(path) if path is not None else settings_path()).intake_limits
