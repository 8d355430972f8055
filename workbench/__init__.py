"""Planning and budget simulation workbench for government IT (政务信息化) projects."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ordos-gov-it-workbench")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"
