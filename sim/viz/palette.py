"""The project's colours: one colour per regime, used wherever a regime is shown (the
dashboard's badge, regime strip and legend; the figures of runs, comparisons, briefs and
sweeps), and a separate set for the lines of the charts; the dashboard's controls use
neither (neutral greys).

The regime colours are from the Okabe-Ito palette, chosen to stay apart for viewers with
colour-blind vision. :func:`simulate` shows a colour as a viewer with protanopia,
deuteranopia or tritanopia sees it (the full-severity matrices of Machado, Oliveira and
Fernandes 2009, applied to linear sRGB), :func:`delta_e` is the CIE 1976 colour
difference in CIELAB (about 2.3 is just noticeable; above 20, colours read as different
at a glance), and :func:`min_distance` the smallest difference between any two colours
of a set as a given viewer sees them.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
REGIME_COLOURS: dict[str, str] = {
    "delivering": OKABE_ITO["bluish green"],
    "facade": OKABE_ITO["vermillion"],
    "organic": OKABE_ITO["sky blue"],
    "inert": OKABE_ITO["yellow"],
    "dissolved": OKABE_ITO["black"],
}
STARTING_COLOUR = "#e3e6ea"  # month 0, before any regime: a neutral light grey
DARK_TEXT = "#111111"
LIGHT_TEXT = "#ffffff"

# the lines of the charts: one meaning each, none of them a regime colour
PARTNERSHIP = OKABE_ITO["blue"]  # the partnership (and what it adds)
NO_BOARD = OKABE_ITO["reddish purple"]  # the same area without a board (the ground)
NO_JOINT_WORK = "#555555"  # no joint working at all
BOARD_PROCESS = "#882255"  # the board's formal side: meetings, commitments
WITHIN = "#6a3d9a"  # trust within agencies
NEUTRAL = "#3c4650"  # markers, controls

# what a viewer with each kind of colour-blind vision sees (Machado et al. 2009, severity 1)
VISION: dict[str, np.ndarray] = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
_SRGB_TO_XYZ = np.array(
    [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
)
_WHITE = np.array([0.95047, 1.0, 1.08883])  # D65


def rgb(colour: str) -> np.ndarray:
    """``"#rrggbb"``, ``"#rgb"`` or ``"rgb(r, g, b)"`` (as a browser reports it) as sRGB
    in 0-1."""
    text = colour.strip().lower()
    if text.startswith("#") and len(text) == 4:
        text = "#" + "".join(2 * c for c in text[1:])
    if text.startswith("#") and len(text) == 7:
        return np.array([int(text[k : k + 2], 16) for k in (1, 3, 5)], float) / 255.0
    if text.startswith("rgb"):
        parts = text[text.index("(") + 1 : text.index(")")].split(",")
        return np.array([float(p) for p in parts[:3]]) / 255.0
    raise ValueError(f"not a colour: {colour!r} (allowed: #rrggbb or rgb(r, g, b))")


def linear(c: np.ndarray) -> np.ndarray:
    """sRGB (0-1) to linear light."""
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def simulate(colour: str, vision: str) -> np.ndarray:
    """Linear RGB of ``colour`` as a viewer with ``vision`` (a key of :data:`VISION`)
    sees it."""
    return np.clip(VISION[vision] @ linear(rgb(colour)), 0.0, 1.0)


def lab(lin: np.ndarray) -> np.ndarray:
    """Linear RGB to CIELAB (D65)."""
    t = (_SRGB_TO_XYZ @ lin) / _WHITE
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, vision: str = "normal") -> float:
    """CIE 1976 difference between two colours as a viewer with ``vision`` sees them."""
    return float(np.linalg.norm(lab(simulate(a, vision)) - lab(simulate(b, vision))))


def min_distance(colours: Mapping[str, str], vision: str) -> tuple[float, str, str]:
    """The smallest :func:`delta_e` between two of ``colours`` (name -> colour) for a
    viewer with ``vision``, and the names of that pair."""
    return min(
        (delta_e(ca, cb, vision), na, nb)
        for (na, ca), (nb, cb) in itertools.combinations(colours.items(), 2)
    )


def luminance(colour: str) -> float:
    """Relative luminance (WCAG)."""
    return float(np.array([0.2126, 0.7152, 0.0722]) @ linear(rgb(colour)))


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_on(background: str) -> str:
    """Dark or light text, whichever reads better on ``background``."""
    dark, light = contrast(background, DARK_TEXT), contrast(background, LIGHT_TEXT)
    return DARK_TEXT if dark >= light else LIGHT_TEXT


def regime_colour(regime: str) -> str:
    """The colour of ``regime`` (the neutral starting grey for "starting" or unknown)."""
    return REGIME_COLOURS.get(regime, STARTING_COLOUR)
