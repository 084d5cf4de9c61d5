"""Mesa agents as views onto the state arrays, for inspection and the dashboard.

An :class:`Agency` or :class:`Staff` object holds only its index; every attribute reads
the model's arrays, so agents never go stale and the monthly step never loops over them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


class Agency(mesa.Agent):
    """A partner agency (council public health, NHS, police, ...)."""

    def __init__(self, model: PartnershipModel, index: int, name: str, sector: str):
        super().__init__(model)
        self.index = index
        self.name = name
        self.sector = sector

    @property
    def power(self) -> float:
        """Relative power, 0-1."""
        return float(self.model.agencies.power[self.index])

    @property
    def target_pressure(self) -> float:
        """Felt pressure of own targets, 0-1."""
        return float(self.model.agencies.pressure[self.index])

    @property
    def commitment(self) -> float:
        """Commitment to the partnership, 0-1."""
        return float(self.model.agencies.commitment[self.index])

    @property
    def priorities(self) -> dict[str, float]:
        """Weights of the agency's own targets over issues."""
        row = self.model.agencies.priorities[self.index]
        return dict(zip(self.model.issue_names, row.tolist(), strict=True))


class Staff(mesa.Agent):
    """A staff post: a strategic manager or a frontline practitioner of one agency."""

    def __init__(self, model: PartnershipModel, index: int):
        super().__init__(model)
        self.index = index

    def _get(self, name: str) -> float:
        return float(getattr(self.model.staff, name)[self.index])

    @property
    def agency(self) -> int:
        """Index of the agency the post belongs to."""
        return int(self.model.staff.agency[self.index])

    @property
    def frontline(self) -> bool:
        """True for a practitioner, False for a strategic manager."""
        return bool(self.model.staff.frontline[self.index])

    @property
    def champion(self) -> bool:
        """True if the post-holder is a local champion."""
        return bool(self.model.staff.champion[self.index])

    @property
    def tenure(self) -> float:
        """Months the current holder has been in post."""
        return self._get("tenure")

    @property
    def goodwill(self) -> float:
        """Goodwill, 0-1."""
        return self._get("goodwill")

    @property
    def role_clarity(self) -> float:
        """Role clarity, 0-1."""
        return self._get("role_clarity")

    @property
    def alignment(self) -> float:
        """Alignment of own work with the board's strategy, 0-1."""
        return self._get("alignment")

    @property
    def joint_share(self) -> float:
        """Share of capacity offered to joint work, 0-1."""
        return self._get("joint_share")
