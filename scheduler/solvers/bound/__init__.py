"""The relaxation bound: a Dantzig–Wolfe relaxation whose columns are antenna schedules.

Modules, one job each: `steps` (the 10-minute grid, rounded in the requests' favour, with the proof
that it bounds the real problem), `requests` (what the demands are worth: the request side),
`pricing` and `kernel` (an antenna's best schedule at given prices, exactly), `master` (the
restricted master LP), `lagrangian` (the bound any prices prove), `stabilise` (where to price
next), `generation` (column generation), `columns` (a schedule as columns), `restricted` and
`realise` (the restricted master MIP over the columns' pieces as real tracks), `relaxation` (one
problem's relaxation in phases) and `report` (bound.json, and the bound recomputed from it).
"""

from scheduler.solvers.bound.relaxation import METHOD, Relaxation, RelaxationBound

__all__ = ["METHOD", "Relaxation", "RelaxationBound"]
