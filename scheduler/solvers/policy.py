"""The search policy: every constant that decides how the solvers spend their time, in one place.

`plan`, `repair`, rolling windows and sweeps search with `DEFAULT`; `satnet solve` with `SATNET`
(README: Real DSN weeks), whose improvement rounds accept on the objective with a fairness term
and favour the missions furthest behind. The same settings and seed give the same rounds on any
machine: round counts follow from the time limit, and each CP-SAT call ends on a deterministic
work budget before its wall-clock safety net.
"""

from dataclasses import dataclass

from scheduler.timeutil import DAY


@dataclass(frozen=True)
class SearchPolicy:
    """How a CP-SAT solve divides its time limit (seconds are wall seconds of the limit)."""

    deterministic_per_s: float = 0.15  # CP-SAT work units per second of limit, a margin for slow machines
    completion_share: float = 0.15  # of a search's work budget, to complete the greedy hint
    large_model: int = 15_000  # variables: from here on, DSN-scale parameters and improvement rounds
    whole_model_share: float = 0.3  # of a large problem's limit for the whole model (the bound)
    min_improve_limit_s: float = 20.0  # shorter limits: the whole model only
    window_s: int = 12 * 3600  # a round frees the demands inside one window of this length
    round_time_s: float = 2.0  # nominal limit of one round: its work budget follows from it
    round_wall_factor: float = 3.0  # a round's wall-clock safety net, in nominal limits
    seconds_per_round: float = 1.5  # wall time planned per round on 2 shared cores (typically 0.5-1 s)
    improve_small: bool = False  # improvement rounds even when the whole model is small
    acceptance_fairness: float | None = None  # rounds accept on this fairness weight (None: the problem's)
    favour_lagging: float | None = None  # rounds weigh missions with U ≥ this share of the worst U higher

    def rounds(self, time_limit_s: float) -> int:
        """Improvement rounds of a solve: fixed by the time limit alone (not by the clock), so the
        same settings give the same rounds; none for short limits."""
        if time_limit_s < self.min_improve_limit_s:
            return 0
        return int(time_limit_s * (1 - self.whole_model_share) / self.seconds_per_round)


DEFAULT = SearchPolicy()
SATNET = SearchPolicy(
    whole_model_share=0.1,
    min_improve_limit_s=0.0,
    window_s=20 * 3600,
    round_time_s=3.0,
    round_wall_factor=1.0,
    seconds_per_round=2.0,
    improve_small=True,
    acceptance_fairness=0.05,
    favour_lagging=0.9,
)

# Rolling windows for long horizons (README: Long horizons).
ROLLING_WINDOW_S = 7 * DAY  # window length
ROLLING_OVERLAP_S = DAY  # consecutive windows overlap by this much (at most a quarter of a window)
ROLLING_THRESHOLD_S = 8 * DAY  # `plan` rolls horizons longer than this
MIN_WINDOW_TIME_S = 2.0  # solver time each rolling window gets at least
