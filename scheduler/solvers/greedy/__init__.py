"""The greedy baseline and what it places tracks with: a board of busy antennas (`board.py`), the
operations rules on it (`rules_board.py`), where a track fits (`placement.py`), volume requests
(`volume.py`); `baseline.py` places demands in priority order. The CP-SAT search starts from its
schedule, and the reasons of `unsatisfied.csv` replay it."""

from scheduler.solvers.greedy.baseline import fill, solve_greedy, solve_greedy_tracks
from scheduler.solvers.greedy.board import Board, board_with

__all__ = ["Board", "board_with", "fill", "solve_greedy", "solve_greedy_tracks"]
