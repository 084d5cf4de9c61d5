"""Briefs for non-modellers: one self-contained HTML file from one or more results folders."""
