"""Policy: the measures as a pack of rules, each finding citing its article."""

from workbench.policy.engine import CheckResult, check
from workbench.policy.pack import PolicyPack, PolicyPackError, load_pack

__all__ = ["CheckResult", "PolicyPack", "PolicyPackError", "check", "load_pack"]
