"""Urgent insertion (README: Urgent insertion): one track placed into a planned schedule in a
fraction of a second, without a whole-schedule search. `placements` enumerates where it may go,
`local` and `give_way` say what each placement costs the planned tracks, `decide` chooses and
`moves` re-places what was removed."""

from scheduler.solvers.insertion.decide import Change, Decision, decide

__all__ = ["Change", "Decision", "decide"]
