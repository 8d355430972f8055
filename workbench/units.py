"""The government's order of units and funding pools (``models/units.yaml``; ``$WORKBENCH_UNITS``
names another file): every document lists units in it, never in code-point order.

A 市本级 unit takes its place from the ``city`` list; a banner's or district's unit from the
banner (the name it begins with) and then its department (matched against the ``city`` names
without their leading 市); a park's unit from the park. A unit on no list comes after the listed
ones of its group, in the order it was first met (the order of the intake), so that sorting never
invents an order of its own."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from workbench.labels import LEVEL_CITY, UNIT_ORDER_MESSAGES
from workbench.policy.pack import PolicyPackError, models_dir
from workbench.yamlfile import load_model

UNITS_FILE = "units.yaml"
UNITS_ENV = "WORKBENCH_UNITS"
CITY_PREFIX = LEVEL_CITY[0]  # 市: 市教育局 ↔ 东胜区教育局

# Groups, in the order documents list them.
CITY, FUND, DISTRICT, PARK, OTHER = range(5)


class UnitOrderError(PolicyPackError):
    """A unit order file that cannot be found, parsed or validated; the message is Chinese."""


class UnitList(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    city: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    parks: tuple[str, ...] = ()
    path: str = ""


def units_path() -> Path:
    named = os.environ.get(UNITS_ENV)
    return Path(named) if named else models_dir() / UNITS_FILE


@functools.cache
def _load(path: Path) -> UnitList:
    return load_model(path, UnitList, UNIT_ORDER_MESSAGES, UnitOrderError)


def unit_list(path: str | os.PathLike[str] | None = None) -> UnitList:
    """The unit list of ``path`` (default :func:`units_path`), read once per path."""
    return _load(Path(path) if path is not None else units_path())


class UnitOrder:
    """Sort keys for units and pools. ``seen``: names in the order first met (the intake's),
    which places the names on no list."""

    def __init__(self, units: UnitList, seen: Iterable[str] = ()) -> None:
        self.units = units
        self.city = {name: i for i, name in enumerate(units.city)}
        # 市教育局 → 教育局: a district's department is matched on the end of its name.
        self.departments = [
            (name.removeprefix(CITY_PREFIX), i) for i, name in enumerate(units.city)
        ]
        self.seen: dict[str, int] = {}
        for name in seen:
            self.seen.setdefault(name, len(self.seen))

    def _first_met(self, name: str) -> int:
        return self.seen.setdefault(name, len(self.seen))

    def _department(self, rest: str) -> int:
        """The place of a banner's department (教育局) among the city's (市教育局); the
        longest match wins (行政审批政务服务与数据管理局 over 数据管理局)."""
        best, where = 0, len(self.departments)
        for name, i in self.departments:
            if name and (rest.endswith(name) or name.endswith(rest)):
                length = min(len(name), len(rest))
                if length > best:
                    best, where = length, i
        return where

    @staticmethod
    def _prefixed(name: str, names: tuple[str, ...]) -> tuple[int, str] | None:
        """The longest list entry ``name`` begins with (鄂托克前旗 before 鄂托克旗)."""
        hits = [(i, entry) for i, entry in enumerate(names) if name.startswith(entry)]
        return max(hits, key=lambda hit: len(hit[1])) if hits else None

    def unit_key(self, unit: str) -> tuple[int, int, int, int]:
        unit = str(unit)
        if unit in self.city:
            return (CITY, self.city[unit], 0, 0)
        district = self._prefixed(unit, self.units.districts)
        if district is not None:
            i, entry = district
            rest = unit[len(entry) :]
            return (DISTRICT, i, self._department(rest), self._first_met(unit))
        park = self._prefixed(unit, self.units.parks)
        if park is not None:
            return (PARK, park[0], 0, self._first_met(unit))
        group = CITY if unit.startswith(CITY_PREFIX) else OTHER
        return (group, len(self.units.city), 0, self._first_met(unit))

    def pool_key(self, pool: str) -> tuple[int, int, int, int]:
        """市本级 first, then other named funds (in the order met), the banners, the parks."""
        pool = str(pool)
        if pool == LEVEL_CITY:
            return (CITY, 0, 0, 0)
        if pool in self.units.districts:
            return (DISTRICT, self.units.districts.index(pool), 0, 0)
        if pool in self.units.parks:
            return (PARK, self.units.parks.index(pool), 0, 0)
        district = self._prefixed(pool, self.units.districts)
        if district is not None:
            return (DISTRICT, district[0], 1, self._first_met(pool))
        park = self._prefixed(pool, self.units.parks)
        if park is not None:
            return (PARK, park[0], 1, self._first_met(pool))
        return (FUND, 0, 0, self._first_met(pool))

    def units_sorted(self, units: Iterable[str]) -> list[str]:
        units = list(dict.fromkeys(units))
        for unit in units:
            self._first_met(unit)
        return sorted(units, key=self.unit_key)

    def pools_sorted(self, pools: Iterable[str]) -> list[str]:
        pools = list(dict.fromkeys(pools))
        for pool in pools:
            self._first_met(pool)
        return sorted(pools, key=self.pool_key)


def unit_order(seen: Iterable[str] = (), path: str | os.PathLike[str] | None = None) -> UnitOrder:
    """The order of the shipped (or named) unit list; ``seen`` places units on no list."""
    return UnitOrder(unit_list(path), seen)


__all__ = ["UnitList", "UnitOrder", "UnitOrderError", "unit_list", "unit_order", "units_path"]
