"""Analysis of a finished parameter sweep: sensitivity indices, scenario discovery, phase diagrams.

``load`` reads a sweep folder, ``sensitivity`` computes Sobol or Morris indices (or rank
correlations for grid and Latin-hypercube designs), ``discovery`` finds the regions of
parameter space where an outcome of interest dominates (PRIM), ``phase`` draws phase
diagrams over two parameters, and ``report`` writes ``analysis.md`` and ``figures/``.
"""
