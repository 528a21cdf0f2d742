"""The search policy: every constant that decides how the solvers spend their time, in one place.

One policy for every caller (plan, repair, rolling windows, sweeps, SatNet weeks): they differ
only in the `Problem` they pass. A CP-SAT solve spends its time limit in phases — the whole
model, improvement rounds, the relaxation bound — each with a deterministic work budget that
follows from the time limit alone, calibrated so that on a quiet 2-core machine the budgets end
the solve at about `SearchPolicy.planned_share` of the limit; wall-clock limits are only safety
nets. The same settings and seed then give the same schedule on any machine.
"""

import math
from dataclasses import dataclass

from scheduler.timeutil import DAY


@dataclass(frozen=True)
class Budget:
    """A solve's budgets in deterministic work (CP-SAT's deterministic seconds; the bound's
    pricing steps), and the wall-clock safety net."""

    whole_work: float  # the whole model's search, all workers together
    rounds_work: float  # improvement rounds, all of them together
    round_work: float  # one round's search (one worker)
    bound_work: float  # the relaxation's bound after the search (job-steps priced, see solvers/bound)
    seed_work: float  # the relaxation's columns before the search, for its seed (job-steps priced)
    seed_mip_work: float  # the restricted master MIP (CP-SAT deterministic seconds, all workers)
    deadline_s: float  # no phase or batch starts after this many seconds
    round_rate: float  # a round's CP-SAT work per core-second (its wall-clock safety net)
    whole_rate: float  # the whole model's, likewise


@dataclass(frozen=True)
class SearchPolicy:
    """How a CP-SAT solve divides its time limit. Shares are of the limit; rates are the work one
    core does in a second (measured on the 2-core reference machine, `benchmarks/solver.py`)."""

    whole_share: float = 0.2  # the whole model: the seed completed, then searched by every worker
    rounds_share: float = 0.45  # improvement rounds, `workers` at a time
    seed_share: float = 0.08  # the relaxation before the search: columns, then the restricted master MIP
    seed_mip_share: float = 0.35  # of the seed's share, the restricted master MIP's
    bound_share: float = 0.12  # the relaxation's bound after the search (cut first by the clock)
    deadline_share: float = 0.95  # the safety net: no new phase or batch after this share
    whole_rate: float = 0.13  # CP-SAT work per core-second on a whole DSN week (LP-heavy)
    rules_whole_rate: float = 0.03  # the same on a DSN-scale model with operations rules (start spacing)
    round_rate: float = 0.35  # CP-SAT work per core-second on a round's small model
    rules_round_rate: float = 0.12  # the same with operations rules (their cumulatives' LP work counts low)
    bound_rate: float = 2.0e5  # relaxation job-steps per second (pricing and its master LP, one core; W10)
    mip_rate: float = 0.5  # CP-SAT work per core-second on the restricted master MIP
    round_work: float = 0.4  # work of one round
    completion_share: float = 0.15  # of a search's work, to complete the greedy hint
    large_model: int = 15_000  # variables: from here on, DSN-scale CP-SAT parameters
    target_tracks: int = 30  # tracks a window on every antenna holds, about
    wall_factor: float = 4.0  # a CP-SAT call's wall-clock safety net, in its work's nominal seconds
    round_cost: float = 0.05  # work a round costs beside its CP-SAT search (its model, the merge)
    min_round_window_s: int = 4 * 3600  # a window round frees at least this much of the horizon
    min_work: float = 0.05  # the least work any CP-SAT call gets
    min_wall_s: float = 0.5  # the least wall time any CP-SAT call or phase gets
    check_work: float = 1.0  # the model check of a merged batch (`holds`): every track locked
    check_wall_s: float = 10.0
    proof_work: float = 2.0  # each small model proving a critical request unmeetable (proves in a fraction)
    proof_wall_s: float = 20.0
    least_displaced_proof_s: float = 60.0  # the benchmark's reference for urgent insertion: the least displaced time

    def budget(
        self, time_limit_s: float, workers: int, clock: bool = True, rules: bool = False, large: bool = False
    ) -> Budget:
        """The budgets of a solve: fixed by the time limit, the worker count, whether operations
        rules apply and whether the model is DSN-scale (not by the clock), so the same settings give
        the same search; on the reference machine they end it at about (whole + rounds + seed +
        bound) shares of the limit. Without `clock`, no deadline."""
        cores = min(max(1, workers), 2)
        round_rate = self.rules_round_rate if rules else self.round_rate
        whole_rate = self.rules_whole_rate if rules and large else self.whole_rate
        return Budget(
            whole_work=time_limit_s * self.whole_share * whole_rate * cores,
            rounds_work=time_limit_s * self.rounds_share * round_rate * max(1, workers),
            round_work=self.round_work,
            bound_work=time_limit_s * self.bound_share * self.bound_rate,
            seed_work=time_limit_s * self.seed_share * (1 - self.seed_mip_share) * self.bound_rate,
            seed_mip_work=time_limit_s * self.seed_share * self.seed_mip_share * self.mip_rate * cores,
            deadline_s=time_limit_s * self.deadline_share if clock else math.inf,
            round_rate=round_rate,
            whole_rate=whole_rate,
        )

    def wall_s(self, work: float, rate: float, workers: int, clock: bool = True) -> float:
        """The wall-clock safety net of `work` done at `rate` per core on `workers` cores (a day
        without `clock`)."""
        return self.wall_factor * work / (rate * max(1, workers)) if clock else 86_400.0


POLICY = SearchPolicy()


@dataclass(frozen=True)
class RelaxationPolicy:
    """How the Dantzig–Wolfe relaxation (`scheduler.solvers.bound`) spends its work."""

    step_s: int = 600  # the relaxation's time step (seconds), rounded in the requests' favour
    tolerance: float = 0.0005  # converged when the restricted master is this close (relative) to the bound
    steps: tuple[float, ...] = (0.05, 0.15, 0.35)  # each round prices at these shares of the way from the best
    # prices so far to the master's (a line search), then at the master's own when none found a column
    max_iterations: int = 400  # column-generation iterations at most (each prices every antenna)
    time_share: float = 0.35  # of the iterations, for the bound on weighted time alone (after the objective's)
    rows_per_round: int = 4000  # mission-rule rows added to the master at most per round (the most violated)
    least_seed_rounds: int = 12  # fewer rounds of columns before the search make no seed worth its MIP (W20, W30
    # get 13 at 300 s: their restricted master starts from greedy, so a few rounds cannot make the seed worse)


RELAXATION = RelaxationPolicy()

# Rolling windows for long horizons (README: Long horizons).
ROLLING_WINDOW_S = 7 * DAY  # window length
ROLLING_OVERLAP_S = DAY  # consecutive windows overlap by this much (at most a quarter of a window)
ROLLING_THRESHOLD_S = 8 * DAY  # `plan` rolls horizons longer than this
MIN_WINDOW_TIME_S = 2.0  # solver time each rolling window gets at least
