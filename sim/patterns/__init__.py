"""Pattern-oriented validation: does the model reproduce what the studies found?

Each pattern of ``docs/model-brief`` (patterns 1-11) is an experiment on scenario variants
with a stated statistic, tolerance, replicate count and seeds (:mod:`sim.patterns.catalog`);
:mod:`sim.patterns.report` writes the Markdown and HTML report of ``partnersim patterns``.
"""
