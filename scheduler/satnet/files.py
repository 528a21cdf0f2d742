"""Every file `jointtrack satnet solve` writes, by name."""

from scheduler.csv_cells import csv_text
from scheduler.outputs.json_text import json_text
from scheduler.outputs.plan_outputs import bound_files
from scheduler.outputs.report import unsatisfied_table
from scheduler.outputs.schedule_table import schedule_csv, schedule_frame
from scheduler.satnet.plan import WeekPlan, summary_facts
from scheduler.satnet.solution import solution_json
from scheduler.solvers import Solution


def week_files(plan: WeekPlan) -> dict[str, str]:
    facts = summary_facts(plan)
    solution = Solution(plan.tracks, plan.status, facts["T_S"], facts["upper_bound"], plan.solve_s)
    return {
        "solution.json": solution_json(plan.entries),
        "schedule.csv": schedule_csv(schedule_frame(plan.problem, plan.tracks)),
        "unsatisfied.csv": csv_text(unsatisfied_table(plan.problem, plan.tracks, solution)),
        "summary.json": json_text(facts),
        **(bound_files(plan.problem, plan.solution) if plan.solution else {}),
    }
