"""Embargoed places: the countries and regions each jurisdiction embargoes, as data, and the
recognition of those places in addresses and document fields (codes, names, cities and ports,
in Latin, Russian and Ukrainian spellings)."""

from corridor.places.embargoes import (
    Embargo,
    EmbargoBook,
    Place,
    bundled_embargoes,
    load_embargoes,
)
from corridor.places.find import PlaceFinder, PlaceHit

__all__ = [
    "Embargo",
    "EmbargoBook",
    "Place",
    "PlaceFinder",
    "PlaceHit",
    "bundled_embargoes",
    "load_embargoes",
]
