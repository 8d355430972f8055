"""The settings inputs of the 情景推演 app: the widgets that show and edit what the planner sets
(the scenario, the ceilings grid of every pool and year, the category envelopes, the units' caps,
the weight sliders and their sum, the rule switches, forcing a project in or out), kept showing
the :class:`~workbench.apps.explorer_state.Explorer`'s settings without solving again, and the
reading of what is typed into them (shares, amounts, an envelope).

:class:`ExplorerInputs` is the base of :class:`workbench.apps.explorer.ExplorerApp`, which adds
what a change does, the results and the layout: split so that each part reads in one sitting."""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

import ipywidgets as widgets
from pydantic import ValidationError

from workbench.apps.explorer_state import Explorer
from workbench.apps.scenario_file import BASE, ExplorerError, scenario_choices
from workbench.labels import APP_LABELS, CATEGORIES, DIAGNOSIS, LEVEL_CITY
from workbench.money import AmountError, format_wan, parse_amount
from workbench.planner.explain import envelope_text
from workbench.scenario import Envelope
from workbench.scoring import load_scoring
from workbench.yamlfile import explain_validation_error

L = APP_LABELS
TOGGLES = (
    "system_count",
    "one_domain_one_platform",
    "dependencies",
    "force_in_mandated",
    "force_in_existing_om",
)
CEILING_MAX = 10_000_000  # 万元: the input boxes' bound, far above any pool's year
# The envelope editor's "every pool" and "the plan year" (a dropdown's value cannot be None).
ALL_POOLS = ""
PLAN_YEAR = 0


def _parse_share(text: str) -> Decimal | None:
    """A percentage typed in a box (``15``, ``15%``, ``１５％``) as a share; blank is none."""
    raw = unicodedata.normalize("NFKC", text).strip().removesuffix("%").strip()
    if not raw:
        return None
    try:
        share = Decimal(raw) / 100
    except InvalidOperation:
        share = Decimal(-1)
    if not share.is_finite() or not 0 <= share <= 1:
        raise ExplorerError(L["bad_share"].format(text=text.strip()))
    return share


def _parse_optional_amount(text: str) -> Decimal | None:
    """An amount typed in a box (万元, or with its unit); blank is none."""
    if not text.strip():
        return None
    try:
        return parse_amount(text)
    except AmountError as exc:
        raise ExplorerError(L["bad_amount"].format(reason=exc.reason)) from None


def _share_text(share: Decimal | None) -> str:
    return "" if share is None else format((share * 100).normalize(), "f")


def _amount_text(amount: Decimal | None) -> str:
    return "" if amount is None else format(amount.normalize(), "f")


class ExplorerInputs:
    """The settings' widgets over an :class:`Explorer` (``x``); the subclass supplies what a
    change does (``_on_ceiling``, wired to each box of the ceilings grid as it is built)."""

    x: Explorer
    folder: Path | None
    _quiet: bool  # True while the inputs are set from the settings: no change is made
    _on_ceiling: Callable[[str, int, float | str], None]

    def _build_inputs(self) -> None:
        """The settings' widgets, showing nothing yet (``_sync_inputs`` fills them in)."""
        self.scenario = widgets.Dropdown(
            options=scenario_choices(self.folder), value=BASE, description=L["scenario"]
        ).add_class("wb-scenario")
        self.undo_button = widgets.Button(description=L["undo"]).add_class("wb-undo")
        self.reset_button = widgets.Button(description=L["reset"]).add_class("wb-reset")
        self.message = widgets.HTML().add_class("wb-message")
        # Ceilings: every pool and year at once (a grid rebuilt when the pools or years change).
        self.ceiling_grid: dict[tuple[str, int], widgets.Widget] = {}
        self._grid_shape: tuple = ()
        self.ceiling_box = widgets.VBox(
            layout={"max_height": "320px", "overflow": "auto"}
        ).add_class("wb-ceilings")
        # Envelopes: pick one (or 新增), edit, apply or delete.
        self.envelope_list = widgets.HTML().add_class("wb-envelopes")
        self.envelope_pick = widgets.Dropdown(description=L["envelope_pick"]).add_class(
            "wb-envelope-pick"
        )
        self.envelope_category = widgets.Dropdown(
            options=list(CATEGORIES), description=L["envelope_category"]
        ).add_class("wb-envelope-category")
        self.envelope_pool = widgets.Dropdown(description=L["pool"]).add_class("wb-envelope-pool")
        self.envelope_year = widgets.Dropdown(description=L["envelope_year"]).add_class(
            "wb-envelope-year"
        )
        bound_style = {"description_width": "110px"}
        self.envelope_bounds = {
            key: widgets.Text(description=L[f"envelope_{key}"], style=bound_style).add_class(
                f"wb-envelope-{key.replace('_', '-')}"
            )
            for key in ("min_share", "max_share", "min_amount", "max_amount")
        }
        self.envelope_apply = widgets.Button(description=L["apply"]).add_class("wb-envelope-apply")
        self.envelope_remove = widgets.Button(description=L["remove"]).add_class(
            "wb-envelope-remove"
        )
        # Unit caps.
        units = sorted(self.x.session.check.candidates["unit"].dropna().unique())
        self.cap_list = widgets.HTML().add_class("wb-caps")
        self.cap_unit = widgets.Dropdown(options=units, description=L["cap_unit"]).add_class(
            "wb-cap-unit"
        )
        self.cap_amount = widgets.Text(
            description=L["cap_amount"],
            placeholder=L["ceiling_unlimited"],
            style={"description_width": "initial"},
        ).add_class("wb-cap-amount")
        self.cap_apply = widgets.Button(description=L["apply"]).add_class("wb-cap-apply")
        # Weights.
        names = {c.key: c.name for c in load_scoring(self.x.scenario.scoring).criteria}
        self.weights = {
            k: widgets.FloatSlider(
                min=0,
                max=0.5,
                step=0.01,
                value=round(w, 2),
                description=names.get(k, k),
                style={"description_width": "140px"},
                continuous_update=False,
            ).add_class(f"wb-weight-{k}")
            for k, w in self.x.slider_weights.items()
        }
        self.weights_sum = widgets.HTML().add_class("wb-weights-sum")
        self.normalise = widgets.Button(description=L["weights_normalise"]).add_class(
            "wb-normalise"
        )
        self.toggles = {
            k: widgets.Checkbox(value=True, description=L[f"toggle_{k}"], indent=False).add_class(
                f"wb-toggle-{k}"
            )
            for k in TOGGLES
        }
        projects = self.x.session.check.candidates.sort_values("project_id")
        self.project = widgets.Dropdown(
            options=[
                (f"{r.project_id} {self.x.redaction.name(r.project_id, r.name)}", r.project_id)
                for r in projects.itertuples()
            ],
            description=L["project"],
        ).add_class("wb-project")
        self.reason = widgets.Text(
            description=L["reason"], style={"description_width": "initial"}
        ).add_class("wb-reason")
        self.force_in = widgets.Button(description=L["force_in"]).add_class("wb-force-in")
        self.force_out = widgets.Button(description=L["force_out"]).add_class("wb-force-out")
        self.clear = widgets.Button(description=L["clear"]).add_class("wb-clear")
        self.forced = widgets.HTML().add_class("wb-forced")

    @property
    def ceilings(self) -> dict[int, widgets.Widget]:
        """The 市本级 row of the ceilings grid, by year (the headline pool)."""
        return {y: box for (pool, y), box in self.ceiling_grid.items() if pool == LEVEL_CITY}

    # --- showing the settings --------------------------------------------------------------

    def _pools(self) -> list[str]:
        """Pools with a ceiling or a candidate: 市本级 first, then the scenario's order."""
        pools = list(self.x.scenario.ceilings)
        pools += sorted(set(self.x.session.check.candidates["funding_pool"].dropna()) - set(pools))
        return sorted(pools, key=lambda p: p != LEVEL_CITY)

    def _build_ceiling_grid(self) -> None:
        """One row per pool, one box per year: a number box where a ceiling is set, a text box
        (blank: 不限) where none is."""
        years = self.x.scenario.years
        columns = f"150px repeat({len(years)}, 82px)"
        cells: list[widgets.Widget] = [widgets.HTML(L["pool"]).add_class("wb-grid-head")]
        cells += [widgets.HTML(str(y)).add_class("wb-grid-head") for y in years]
        self.ceiling_grid = {}
        for pool in self._pools():
            cells.append(widgets.HTML(html.escape(pool)))
            for year in years:
                value = self.x.scenario.ceilings.get(pool, {}).get(year)
                box: widgets.Widget
                if value is None:
                    box = widgets.Text(placeholder=L["ceiling_unlimited"])
                else:
                    box = widgets.BoundedFloatText(min=0, max=CEILING_MAX, step=100)
                box.layout.width = "80px"
                box.add_class("wb-ceiling")
                if pool == LEVEL_CITY:
                    box.add_class(f"wb-ceiling-{year}")
                box.observe(
                    lambda change, p=pool, y=year: self._on_ceiling(p, y, change["new"]), "value"
                )
                self.ceiling_grid[(pool, year)] = box
                cells.append(box)
        grid = widgets.GridBox(cells, layout={"grid_template_columns": columns})
        self.ceiling_box.children = [grid]
        self._grid_shape = self._shape()

    def _shape(self) -> tuple:
        return tuple((pool, year) for pool in self._pools() for year in self.x.scenario.years)

    def _grid_fits(self) -> bool:
        """The grid shows the settings: the same pools and years, and no number box where a
        ceiling is now not given (a text box shows either, so typing into one never rebuilds
        the grid under the planner's hands)."""
        ceilings = self.x.scenario.ceilings
        return self._shape() == self._grid_shape and not any(
            ceilings.get(pool, {}).get(year) is None
            for (pool, year), box in self.ceiling_grid.items()
            if not isinstance(box, widgets.Text)
        )

    def _sync_inputs(self) -> None:
        """Show the settings in the inputs without triggering a solve."""
        self._quiet = True
        try:
            x = self.x
            if not self._grid_fits():
                self._build_ceiling_grid()
            for (pool, year), box in self.ceiling_grid.items():
                value = x.scenario.ceilings.get(pool, {}).get(year)
                if isinstance(box, widgets.Text):
                    box.value = "" if value is None else _amount_text(value)
                else:
                    box.value = float(value or 0)
            for key, slider in self.weights.items():
                slider.value = round(x.slider_weights.get(key, 0.0), 2)
            for key, box in self.toggles.items():
                box.value = getattr(x.scenario.toggles, key)
            values = [value for _, value in self.scenario.options]
            shown = BASE if x.source is None else x.source  # None: the session's, 基准
            if shown in values and self.scenario.value != shown:
                self.scenario.value = shown
            self._sync_envelopes()
            self._sync_caps()
            self._show_weights_sum()
            self.undo_button.disabled = not x.history
        finally:
            self._quiet = False

    def _sync_envelopes(self, keep: int | None = None) -> None:
        x = self.x
        year = x.scenario.plan_year
        texts = [
            envelope_text(e if e.year is not None else e.model_copy(update={"year": year}))
            for e in x.scenario.envelopes
        ]
        self.envelope_list.value = (
            "<br>".join(f"{i + 1}. {html.escape(t)}" for i, t in enumerate(texts))
            or L["envelope_none"]
        )
        self.envelope_pool.options = [(DIAGNOSIS["all_pools"], ALL_POOLS)] + [
            (p, p) for p in self._pools()
        ]
        self.envelope_year.options = [
            (L["envelope_plan_year"].format(year=year), PLAN_YEAR),
            *((str(y), y) for y in x.scenario.years),
        ]
        choices = [(f"{i + 1}. {t}", i) for i, t in enumerate(texts)]
        keep = self.envelope_pick.value if keep is None else keep
        self.envelope_pick.options = [*choices, (L["envelope_new"], -1)]
        pick = keep if keep is not None and -1 <= keep < len(texts) else (0 if texts else -1)
        self.envelope_pick.value = pick
        self._show_envelope(pick)

    def _show_envelope(self, index: int) -> None:
        envelopes = self.x.scenario.envelopes
        env = envelopes[index] if 0 <= index < len(envelopes) else None
        self.envelope_category.value = env.category if env else CATEGORIES[-1]
        self.envelope_pool.value = (env.pool or ALL_POOLS) if env else LEVEL_CITY
        self.envelope_year.value = (env.year or PLAN_YEAR) if env else PLAN_YEAR
        self.envelope_bounds["min_share"].value = _share_text(env.min_share if env else None)
        self.envelope_bounds["max_share"].value = _share_text(env.max_share if env else None)
        self.envelope_bounds["min_amount"].value = _amount_text(env.min_amount if env else None)
        self.envelope_bounds["max_amount"].value = _amount_text(env.max_amount if env else None)
        self.envelope_remove.disabled = env is None

    def _sync_caps(self) -> None:
        caps = self.x.scenario.unit_caps
        self.cap_list.value = (
            "<br>".join(
                html.escape(L["cap_line"].format(unit=u, amount=format_wan(a)))
                for u, a in sorted(caps.items())
            )
            or L["caps_none"]
        )
        self._show_cap()

    def _show_cap(self) -> None:
        self.cap_amount.value = _amount_text(self.x.scenario.unit_caps.get(self.cap_unit.value))

    def _show_weights_sum(self) -> None:
        x = self.x
        names = {k: s.description for k, s in self.weights.items()}
        applied = "、".join(f"{names.get(k, k)}{w:.0%}" for k, w in x.applied_weights().items())
        self.weights_sum.value = html.escape(
            L["weights_sum"].format(total=f"{x.weights_sum:.2f}", applied=applied)
        )

    def _envelope_from_inputs(self) -> Envelope:
        bounds = self.envelope_bounds
        values = {
            "min_share": _parse_share(bounds["min_share"].value),
            "max_share": _parse_share(bounds["max_share"].value),
            "min_amount": _parse_optional_amount(bounds["min_amount"].value),
            "max_amount": _parse_optional_amount(bounds["max_amount"].value),
        }
        if all(v is None for v in values.values()):
            raise ExplorerError(L["envelope_needs_bound"])
        try:
            return Envelope(
                category=self.envelope_category.value,
                pool=self.envelope_pool.value or None,
                year=self.envelope_year.value or None,
                **values,
            )
        except ValidationError as exc:
            raise ExplorerError(explain_validation_error(exc)) from None
