"""Experimental designs: the table of parameter values, one row per design point.

Grid is a full factorial; ``lhs`` a Latin hypercube (scipy); ``sobol`` and ``morris``
come from SALib in its row order, so that ``partnersim analyse`` can hand the outputs back
to SALib point by point.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

from sim.experiment.sweepfile import Sweep


def salib_problem(sweep: Sweep) -> dict[str, Any]:
    """The SALib problem of a sampled design (names in file order, bounds low-high)."""
    pars = sweep.spec.parameters
    return {
        "num_vars": len(pars),
        "names": list(pars),
        "bounds": [[p.low, p.high] for p in pars.values()],
    }


def design_table(sweep: Sweep) -> pd.DataFrame:
    """Design points: a ``point`` column (0..P-1) and one column per varied key path."""
    design = sweep.spec.design
    names = sweep.names
    if design.kind == "grid":
        levels = [p.grid_values() for p in sweep.spec.parameters.values()]
        rows = list(itertools.product(*levels))
        table = pd.DataFrame(rows, columns=names)
    elif design.kind == "lhs":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=len(names), seed=np.random.default_rng(design.seed))
        problem = salib_problem(sweep)
        lo, hi = np.array(problem["bounds"]).T
        table = pd.DataFrame(qmc.scale(unit.random(design.samples), lo, hi), columns=names)
    elif design.kind == "sobol":
        from SALib.sample import sobol

        x = sobol.sample(
            salib_problem(sweep), design.base_samples, calc_second_order=False, seed=design.seed
        )
        table = pd.DataFrame(x, columns=names)
    else:  # morris
        from SALib.sample import morris

        x = morris.sample(
            salib_problem(sweep),
            design.trajectories,
            num_levels=design.num_levels,
            seed=design.seed,
        )
        table = pd.DataFrame(x, columns=names)
    table.insert(0, "point", np.arange(len(table), dtype=np.int64))
    return table


def describe(sweep: Sweep) -> dict[str, Any]:
    """The design as recorded in the manifest."""
    d = sweep.spec.design.model_dump()
    params = []
    for path, p in sweep.spec.parameters.items():
        if p.levels is not None:
            params.append({"path": path, "levels": p.levels})
        else:
            entry = {"path": path, "low": p.low, "high": p.high}
            if d["kind"] == "grid":
                entry["levels"] = p.grid_values()
            params.append(entry)
    return {"design": d, "parameters": params}
