"""File-system errors as a user reads them: which kind of failure, in Chinese, never the
operating system's English text (``[Errno 2] No such file or directory``)."""

from __future__ import annotations

import os

from workbench.labels import OS_ERROR_MESSAGES


def os_problem(error: OSError) -> str:
    """The kind of failure: a key of :data:`~workbench.labels.OS_ERROR_MESSAGES`."""
    for kind, key in (
        (FileNotFoundError, "not_found"),
        (PermissionError, "permission"),
        (IsADirectoryError, "is_directory"),
        (NotADirectoryError, "not_directory"),
        (FileExistsError, "exists"),
    ):
        if isinstance(error, kind):
            return key
    return "os_error"


def os_reason(error: OSError) -> str:
    """The Chinese reason for ``error``, without the file's name."""
    return OS_ERROR_MESSAGES[os_problem(error)].format(errno=error.errno or "")


def os_error_text(error: OSError) -> str:
    """``申报.xlsx：没有访问权限``: the file's name (never its folder) and the reason."""
    name = os.path.basename(str(error.filename)) if error.filename else ""
    return f"{name}：{os_reason(error)}" if name else os_reason(error)
