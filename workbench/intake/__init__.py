"""Intake: the July submission forms, read, validated and accounted for row by row."""

from workbench.intake.columns import Column, Contract, load_contract
from workbench.intake.readers import IntakeFileError
from workbench.intake.validate import IntakeResult, read_table

__all__ = ["Column", "Contract", "IntakeFileError", "IntakeResult", "load_contract", "read_table"]
