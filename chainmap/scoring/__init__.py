"""Target scoring: rank firms for 补链 / 强链 / 延链, with reasons."""
from .engine import ScoringParams, TargetScorer, UNASSIGNED
from .weights import COMPONENTS, MODES, STRATEGIES, check_weights, resolve_weights

__all__ = ["TargetScorer", "ScoringParams", "UNASSIGNED", "COMPONENTS", "MODES", "STRATEGIES",
           "check_weights", "resolve_weights"]
