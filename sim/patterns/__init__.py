"""Pattern-oriented validation: does the model reproduce what the studies found?

Each pattern is an experiment on scenario variants with a stated statistic, tolerance,
replicate count and seeds: the calibration patterns 1-11 of the model brief
(:mod:`sim.patterns.catalog`) and the held-out patterns H1-H7 of
``docs/held-out-patterns.md`` (:mod:`sim.patterns.heldout`). :mod:`sim.patterns.knockouts`
names the mechanism each is evidence for and the settings that knock it out; a pattern
true by construction is a mechanism check, not evidence. :mod:`sim.patterns.report`
writes the Markdown and HTML report of ``partnersim patterns``.
"""
