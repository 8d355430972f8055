"""One July's work, from a folder of submissions to the documents, as the analyst notebooks and
the apps drive it: each step is one call, each result is kept (computed once, on first use),
and each table a notebook shows has Chinese headers.

    s = Session.open("申报/2027", plan_year=2027, scenario="base")
    s.intake_summary(); s.rejections()            # 01 申报受理
    s.findings_by_rule(); s.routes()              # 02 合规审核
    s.scores.to_frame(chinese=True)               # 03 优先级评分
    s.plan; s.frontier(); s.why(...)              # 04 年度计划草案
    s.compare(["base", "cut20"])                  # 05 情景对比
    s.commitments(); s.risk(); s.robustness()     # 06 多年度资金与风险
    s.write_outputs("输出")                        # 07 汇报材料

An input folder holds the submissions (xlsx / csv, sub-folders too) and, optionally, the systems
registry, the usage table and the commitments, told apart by their file names
(``labels.INPUT_FILE_WORDS``: 已建系统…, 使用情况…, 已有承诺…). No folder: the embedded sample.
The bureau's scores table (审定评分表) is never picked out of the folder by its name: the bureau
names it, with ``scores=`` or the scenario's ``scores:``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from workbench import data
from workbench.intake import IntakeResult, read_table
from workbench.intake.readers import expand_inputs
from workbench.intake.registry import read_systems, read_usage
from workbench.labels import (
    COVERAGE_MESSAGES,
    INPUT_FILE_WORDS,
    PLAN_COLUMNS,
    SESSION_LABELS,
    SEVERITY_LABELS,
)
from workbench.policy import CheckResult, check, load_pack
from workbench.scenario import SHIPPED_COMPARISON, Scenario, load_scenario

if TYPE_CHECKING:  # the planner stack (PuLP, HiGHS) loads when a plan is first asked for
    from IPython.display import Image

    from workbench.compare import Comparison
    from workbench.planner import Plan
    from workbench.register.july import RegisterInputs
    from workbench.report.document import Risk
    from workbench.report.outputs import Outputs
    from workbench.scoring import Scores
    from workbench.scoring.ahp import Consistency

L = SESSION_LABELS


class InputFolderError(ValueError):
    """An input folder that does not exist or holds no submissions; the message is Chinese."""


@dataclass(frozen=True)
class InputFiles:
    submissions: tuple[Path, ...]
    systems: tuple[Path, ...] = ()
    usage: tuple[Path, ...] = ()
    commitments: tuple[Path, ...] = ()
    ignored: tuple[Path, ...] = ()  # other files in the folder (attachments, notes): not read
    using_sample: bool = False

    @classmethod
    def sample(cls) -> InputFiles:
        return cls(
            submissions=(data.sample_candidates(),),
            systems=(data.sample_systems(),),
            usage=(data.sample_usage(),),
            using_sample=True,
        )

    @classmethod
    def from_folder(cls, folder: str | Path | None) -> InputFiles:
        """The files of ``folder`` sorted into tables by name; the sample when empty."""
        if folder is None or str(folder) == "":
            return cls.sample()
        root = Path(folder)
        if not root.exists():
            raise InputFolderError(L["no_input"].format(path=root))
        expanded = expand_inputs([root])
        found = expanded.files
        tables: dict[str, list[Path]] = {key: [] for key in INPUT_FILE_WORDS}
        submissions = []
        for path in found:
            name = path.name.lower()
            table = next(
                (t for t, words in INPUT_FILE_WORDS.items() if any(w in name for w in words)),
                None,
            )
            (tables[table] if table else submissions).append(path)
        if not submissions:
            raise InputFolderError(L["no_submissions"].format(path=root))
        return cls(
            submissions=tuple(submissions),
            systems=tuple(tables["systems"]),
            usage=tuple(tables["usage"]),
            commitments=tuple(tables["commitments"]),
            ignored=tuple(expanded.ignored),
        )


@dataclass(frozen=True)
class Received:
    """The intakes: submissions, and the registry, usage, commitments and the bureau's scores
    table where given."""

    candidates: IntakeResult
    systems: IntakeResult | None = None
    usage: IntakeResult | None = None
    commitments: IntakeResult | None = None
    bureau_scores: IntakeResult | None = None

    @property
    def registries(self) -> list[IntakeResult]:
        tables = (self.systems, self.usage, self.commitments, self.bureau_scores)
        return [r for r in tables if r is not None]

    @property
    def all(self) -> list[IntakeResult]:
        return [self.candidates, *self.registries]


def receive(files: InputFiles, scores: str | Path | None = None) -> Received:
    from workbench.scoring import read_scores

    candidates = read_table(files.submissions)
    systems = read_systems(files.systems) if files.systems else None
    usage = read_usage(files.usage, systems) if files.usage and systems is not None else None
    commitments = read_table(files.commitments, "commitments") if files.commitments else None
    bureau = read_scores([scores], candidates.accepted) if scores else None
    return Received(candidates, systems, usage, commitments, bureau)


class Session:
    """A plan year's inputs, scenario and everything derived from them, computed on first use."""

    def __init__(
        self,
        files: InputFiles,
        *,
        plan_year: int | None = None,
        scenario: str | Scenario | None = None,
        policy: str | None = None,
        reference_date: dt.date | None = None,
        scores: str | Path | None = None,
        db: str | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        if isinstance(scenario, Scenario):
            loaded = scenario
        elif scenario or files.using_sample:
            loaded = load_scenario(scenario or None)
        else:
            # One's own forms and no scenario named: none of the sample's ceilings (the plan
            # refuses until a scenario covers the pools: require_scenario).
            loaded = Scenario.bare(plan_year or dt.date.today().year + 1)
        year = plan_year or (data.SAMPLE_PLAN_YEAR if files.using_sample else loaded.plan_year)
        self.files = files
        self.scenario = loaded.for_year(year)
        self.plan_year = year
        self.policy = policy or self.scenario.policy
        self.reference_date = reference_date
        # The bureau's scores table: the one given here is used for every scenario (as the
        # command's --scores) and becomes this scenario's ``scores:``, so that whatever
        # re-plans from it (the explorer app) scores with it too; otherwise each scenario's own.
        self.scores_given = bool(scores)
        if scores:
            self.scenario = self.scenario.model_copy(update={"scores": str(scores)})
        self.scores_file: Path | None = Path(self.scenario.scores) if self.scenario.scores else None
        # The 项目库 (``--db``): commitments, registry, usage, evaluations, rectifications and
        # earlier decisions from it (workbench.register.july), as of ``as_of`` (default today).
        self.db = db
        self.as_of = as_of

    @classmethod
    def open(
        cls,
        input_dir: str | Path | None = None,
        *,
        plan_year: int | None = None,
        scenario: str | Scenario | None = None,
        policy: str | None = None,
        reference_date: dt.date | None = None,
        scores: str | Path | None = None,
        db: str | None = None,
        as_of: dt.date | None = None,
    ) -> Session:
        return cls(
            InputFiles.from_folder(input_dir),
            plan_year=plan_year,
            scenario=scenario,
            policy=policy,
            reference_date=reference_date,
            scores=scores,
            db=db or None,
            as_of=as_of,
        )

    # --- 01 申报受理 -------------------------------------------------------------------------

    @cached_property
    def received(self) -> Received:
        return receive(self.files, self.scores_file)

    def intake_summary(self) -> pd.DataFrame:
        """Per table, file and sheet: rows read = accepted + rejected + blank, with a total."""
        frames = []
        for result in self.received.all:
            rec = result.reconciliation()
            rec.insert(0, "table", L[result.table])
            rec["file"] = rec["file"].map(lambda f: Path(str(f)).name)
            frames.append(rec)
        table = pd.concat(frames, ignore_index=True)
        total = {"table": L["total"], "file": "", "sheet": ""}
        total.update({k: int(table[k].sum()) for k in ("read", "accepted", "rejected", "blank")})
        table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
        return table.rename(columns=L)

    def rejections(self) -> pd.DataFrame:
        """Every problem found in a row that was not accepted: table, file, sheet, row, column,
        reason."""
        frames = []
        for result in self.received.all:
            rej = result.rejections.copy()
            rej.insert(0, "table", L[result.table])
            rej["file"] = rej["file"].map(lambda f: Path(str(f)).name)
            frames.append(rej[["table", "file", "sheet", "row", "column", "reason"]])
        table = pd.concat(frames, ignore_index=True)
        table["row"] = table["row"].astype("Int64")
        return table.rename(columns=L)

    # --- 02 合规审核 -------------------------------------------------------------------------

    @cached_property
    def register(self) -> RegisterInputs | None:
        """What the 项目库 gives this plan year, when one is given (``db``)."""
        if not self.db:
            return None
        from workbench.register.july import register_inputs

        return register_inputs(self.db, self.plan_year, as_of=self.as_of)

    @cached_property
    def _registries(self) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
        """The registry and usage: from the files, with the register's under them."""
        r = self.received
        systems = None if r.systems is None else r.systems.accepted
        usage = None if r.usage is None else r.usage.accepted
        return (systems, usage) if self.register is None else self.register.merged(systems, usage)

    def carried(self, scenario: Scenario | None = None) -> pd.DataFrame | None:
        """The commitments already made: the file's, and the register's for ``scenario``."""
        r = self.received
        given = None if r.commitments is None else r.commitments.accepted
        if self.register is None:
            return given
        held = self.register.commitments(scenario or self.scenario, self.check.candidates)
        return held if given is None else pd.concat([held, given], ignore_index=True)

    @property
    def history(self) -> dict[str, str] | None:
        return None if self.register is None else self.register.history

    def plan_inputs(self, scenario: Scenario | None = None) -> dict[str, object]:
        """What a plan under ``scenario`` takes besides the check (``plan_scenario``'s keyword
        arguments): the registry the scores read, the commitments, earlier decisions."""
        return {
            "systems": self._registries[0],
            "carried": self.carried(scenario),
            "history": self.history,
        }

    @cached_property
    def check(self) -> CheckResult:
        r = self.received
        systems, usage = self._registries
        return check(
            r.candidates.accepted,
            pack=load_pack(self.policy),
            plan_year=self.plan_year,
            reference_date=self.reference_date,
            systems=systems,
            usage=usage,
            rectifications=None if self.register is None else self.register.rectifications,
        )

    def findings_by_rule(self) -> pd.DataFrame:
        """Per rule: its article, severity, and how many findings on how many projects."""
        f = self.check.findings
        table = (
            f.groupby(["article", "rule", "severity"], sort=False)
            .agg(findings=("project_id", "size"), projects=("project_id", "nunique"))
            .reset_index()
        )
        table["severity"] = table["severity"].map(SEVERITY_LABELS)
        table = table.sort_values(["findings", "rule"], ascending=[False, True])
        table["rule"] = table["rule"].map(self.check.pack.rule_names())  # names, never ids
        return table.rename(columns=L).reset_index(drop=True)

    def findings_by_unit(self) -> pd.DataFrame:
        """Per unit: findings by severity (columns), units with the most exclusions first."""
        f = self.check.findings.merge(
            self.check.candidates[["project_id", "unit"]], on="project_id"
        )
        table = pd.crosstab(f["unit"], f["severity"].map(SEVERITY_LABELS))
        order = [SEVERITY_LABELS[k] for k in SEVERITY_LABELS if SEVERITY_LABELS[k] in table]
        table = table[order].sort_values(order, ascending=False)
        table.index.name = L["unit"]
        table.columns.name = None
        return table.reset_index()

    def routes(self) -> pd.DataFrame:
        """Projects by approval route (第十五条) and effective category (第一条), with how many
        need supervision (第二十六条)."""
        c = self.check.candidates
        table = pd.crosstab(
            c["approval_route"], c["category_effective"], margins=True, margins_name=L["total"]
        )
        supervised = c[c["supervision_required"].astype(bool)].groupby("approval_route").size()
        table[L["supervision"]] = supervised.reindex(table.index).fillna(0).astype(int)
        table.loc[L["total"], L["supervision"]] = int(supervised.sum())
        table.index.name = L["route"]
        table.columns.name = None
        return table.reset_index()

    # --- 03 优先级评分, 04 年度计划草案 ----------------------------------------------------------

    def require_scenario(self, scenario: Scenario | None = None) -> None:
        """Refuse (ScenarioError, Chinese) to plan one's own forms under the sample's scenario
        or under one that leaves a pool with candidates without a ceiling."""
        from workbench.planner.coverage import require_scenario_for_input

        folder = (
            ""
            if self.files.using_sample
            else " ".join(sorted({str(p.parent) for p in self.files.submissions}))
        )
        require_scenario_for_input(
            self.check,
            scenario or self.scenario,
            using_sample=self.files.using_sample,
            command=COVERAGE_MESSAGES["init_command"].format(inputs=folder or "申报/"),
        )

    def comparison_scenarios(self) -> list[Scenario]:
        """What 05 情景对比 lines up: for the sample, the five shipped scenarios; for one's own
        forms, this scenario and the shipped variants laid over it (压减20% of its own
        ceilings, 保运维优先, 数据共享导向, 三年滚动), never the sample's pools."""
        if self.files.using_sample:
            return [load_scenario(name).for_year(self.plan_year) for name in SHIPPED_COMPARISON]
        return [self.scenario] + [self.scenario.variant(n) for n in SHIPPED_COMPARISON[1:]]

    @cached_property
    def _drafted(self) -> tuple[Plan, Scores]:
        from workbench.compare import plan_scenario
        from workbench.report.check import check_provenance

        self.require_scenario()
        r = self.received
        provenance = {
            **check_provenance(self.check, r.candidates, r.registries),
            "scenario": {"name": self.scenario.name, "path": self.scenario.path},
        }
        if self.register is not None:
            provenance["register"] = self.register.provenance(self.scenario, self.check.candidates)
        return plan_scenario(
            self.check,
            self.scenario,
            provenance=provenance,
            bureau_scores=r.bureau_scores,
            **self.plan_inputs(),
        )

    @property
    def plan(self) -> Plan:
        return self._drafted[0]

    @property
    def scores(self) -> Scores:
        return self._drafted[1]

    def weights(self) -> pd.DataFrame:
        """The scoring weights used, by criterion, with its article."""
        model = self.scores.model
        rows = [
            {"name": c.name, "article": c.article, "weight": round(self.scores.weights[c.key], 4)}
            for c in model.criteria
            if c.key in self.scores.weights
        ]
        from workbench.labels import SCORING_LABELS

        return pd.DataFrame(rows).rename(columns=SCORING_LABELS)

    def ahp(
        self, upper: list[list[float | str]], max_consistency_ratio: float = 0.1
    ) -> tuple[pd.DataFrame, Consistency]:
        """Weights from pairwise judgements (Saaty 1–9; ``upper`` row i lists criterion i against
        each later one, in the model's criterion order), beside the model's own weights, and the
        consistency ratio CR (a warning above ``max_consistency_ratio``)."""
        from workbench.labels import SCORING_LABELS
        from workbench.scoring.ahp import AhpBlock
        from workbench.scoring.model import model_weights

        model = self.scores.model
        block = AhpBlock(
            criteria=model.keys, upper=upper, max_consistency_ratio=max_consistency_ratio
        )
        weights, _, consistency = model_weights(model.model_copy(update={"ahp": block}))
        table = pd.DataFrame(
            {
                SCORING_LABELS["name"]: [c.name for c in model.criteria],
                SCORING_LABELS["article"]: [c.article for c in model.criteria],
                SCORING_LABELS["weight"]: [round(self.scores.weights[k], 4) for k in model.keys],
                SESSION_LABELS["ahp_weight"]: [round(weights[k], 4) for k in model.keys],
            }
        )
        assert consistency is not None
        return table, consistency

    def plan_table(self, status: str | None = None) -> pd.DataFrame:
        """The plan's projects (optionally of one status) with Chinese headers."""
        from workbench.labels import PLAN_STATUS_LABELS

        p = self.plan.projects
        if status is not None:
            p = p[p["status"] == status]
        shown = p[
            [
                "project_id",
                "name",
                "unit",
                "funding_pool",
                "status",
                "amount",
                "value",
                "article",
                "reason",
            ]
        ].assign(
            status=lambda f: f["status"].map(PLAN_STATUS_LABELS),
            value=lambda f: f["value"].round(2),
        )
        return shown.rename(columns=PLAN_COLUMNS).reset_index(drop=True)

    def frontier(self, points: int = 20) -> pd.DataFrame | None:
        from workbench.report.outputs import report_frontier

        return report_frontier(self.plan, points)

    def why(self, project_id: str | None = None) -> str:
        """What forcing a project in would displace; by default the first project left out
        for want of money (the best value per 万元 among them)."""
        from workbench.planner import why

        if project_id is None:
            cut = self.plan.projects[self.plan.projects["status"] == "not_selected"]
            if cut.empty:
                return ""
            project_id = str(
                cut.sort_values("value_per_wan", ascending=False).iloc[0]["project_id"]
            )
        return why(self.plan, project_id).text

    def tables(
        self,
        section: str,
        *,
        comparison: Comparison | None = None,
        risk: Risk | None = None,
        frontier: pd.DataFrame | None = None,
    ) -> list[pd.DataFrame]:
        """The tables of one section of the plan document (``summary``, ``selected``,
        ``unselected``, ``units``, ``categories``, ``commitments``, ``comparison``, ``findings``,
        ``provenance``), as the workbook and the report show them."""
        from workbench.report.document import plan_document

        doc = plan_document(
            self.plan, self.check, comparison=comparison, risk=risk, frontier=frontier
        )
        return [block.frame for block in doc.section(section).blocks]

    def chart(
        self,
        name: str,
        *,
        frontier: pd.DataFrame | None = None,
        risk: Risk | None = None,
    ) -> Image:
        """A chart as a PNG for the notebook: ``budget``, ``units``, ``commitments``,
        ``frontier`` (give the table), ``risk`` (give the run)."""
        from IPython.display import Image

        from workbench.report import charts
        from workbench.report.html import figure_bytes
        from workbench.simulate import commitments

        draw = {
            "budget": lambda: charts.budget_by_category_and_pool(self.plan),
            "units": lambda: charts.top_units(self.plan),
            "commitments": lambda: charts.commitments_chart(commitments(self.plan)),
            "frontier": lambda: charts.frontier_chart(frontier, self.plan),
            "risk": lambda: charts.risk_fan(risk.table),
        }[name]
        return Image(data=figure_bytes(draw()), format="png")

    # --- 05 情景对比 -------------------------------------------------------------------------

    def compare(
        self, names: list[str | Scenario] | tuple[str | Scenario, ...] | None = None
    ) -> Comparison:
        """The plans under ``names`` (scenario names, paths or Scenarios; by default
        :meth:`comparison_scenarios`) side by side."""
        from workbench.compare import compare, plan_scenario

        r = self.received
        plans = {}
        for name in names if names is not None else self.comparison_scenarios():
            loaded = name if isinstance(name, Scenario) else load_scenario(name)
            scenario = loaded.for_year(self.plan_year)
            self.require_scenario(scenario)
            if scenario.name == self.scenario.name:
                plans[scenario.name] = self.plan
                continue
            plans[scenario.name] = plan_scenario(
                self.check,
                scenario,
                bureau_scores=r.bureau_scores if self.scores_given else None,
                **self.plan_inputs(scenario),
            )[0]
        return compare(plans)

    # --- 06 多年度资金与风险 ---------------------------------------------------------------------

    def commitments(self) -> pd.DataFrame:
        from workbench.simulate import commitments

        return commitments(self.plan)

    def risk(self, draws: int = 10_000, seed: int = 0) -> Risk:
        from workbench.report.document import Risk
        from workbench.simulate import assumptions_from, simulate

        table = simulate(
            self.plan, assumptions_from(self.plan), draws=draws, seed=seed, progress=False
        )
        return Risk(table, draws, seed)

    def robustness(self, runs: int = 50, seed: int = 0, n_jobs: int = 1) -> pd.DataFrame:
        """How often each project is selected when experts weigh and score differently."""
        from workbench.labels import PLAN_STATUS_LABELS
        from workbench.robustness import robustness

        table = robustness(self.plan, self.scores, runs=runs, seed=seed, n_jobs=n_jobs)
        names = self.plan.projects.set_index("project_id")["name"]
        table.insert(1, "name", table["project_id"].map(names))
        table["base_status"] = table["base_status"].map(PLAN_STATUS_LABELS)
        table["verdict"] = table["verdict"].map(L)
        return table.rename(
            columns={
                **PLAN_COLUMNS,
                "base_status": PLAN_COLUMNS["status"],
                "selected_share": L["frequency"],
                "verdict": L["verdict"],
            }
        )

    # --- 07 汇报材料 -------------------------------------------------------------------------

    def write_outputs(
        self,
        out_dir: str | Path,
        *,
        comparison: Comparison | None = None,
        risk: Risk | None = None,
        internal: bool = False,
        pdf: bool = True,
    ) -> Outputs:
        from workbench.report.outputs import write_outputs

        return write_outputs(
            self.plan,
            self.check,
            out_dir,
            comparison=comparison,
            risk=risk,
            frontier=self.frontier(),
            internal=internal,
            pdf=pdf,
            supervision=() if self.register is None else self.register.supervision(),
        )
