"""summary.json is strict JSON (issue 28 §5): a number that is not finite is written null, never
`Infinity` or `NaN`, which JSON has not (docs/design.md: Outputs)."""

import json
import math
from dataclasses import replace

from scheduler.outputs.json_text import json_text


def test_non_finite_numbers_are_null_at_any_depth() -> None:
    text = json_text({"gap": math.inf, "bound": -math.inf, "U": math.nan, "missions": {"M": [1.5, math.nan]}})
    assert json.loads(text) == {"gap": None, "bound": None, "U": None, "missions": {"M": [1.5, None]}}
    assert "Infinity" not in text and "NaN" not in text


def test_summary_json_of_a_plan_with_non_finite_figures_parses_strictly(pole_plan) -> None:
    broken = replace(pole_plan, summary={**pole_plan.summary, "time_limit_s": math.inf, "U_rms": math.nan})
    text = broken.files()["summary.json"]
    facts = json.loads(text, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)))
    assert facts["time_limit_s"] is None and facts["U_rms"] is None
    assert facts["tracks"] == pole_plan.summary["tracks"]
