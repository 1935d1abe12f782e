"""Profiles: the list records that are one party, grouped with the evidence for every link.

:class:`Resolver` groups records (:mod:`corridor.profiles.resolve`), :func:`assign_ids`
keeps profile ids stable across list versions, :func:`listing_of` says what each record
does (jurisdiction, sub-list, blocking or restriction) and :func:`severity` weighs an alert
on a profile (:mod:`corridor.profiles.severity`).
"""

from corridor.model.listings import BLOCKING, RESTRICTION, Listing, listing_of, listing_parts
from corridor.profiles.resolve import DIFFERENT, SAME, Judgement, Link, Resolution, Resolver
from corridor.profiles.stable import assign_ids

__all__ = [
    "BLOCKING",
    "DIFFERENT",
    "RESTRICTION",
    "SAME",
    "Judgement",
    "Link",
    "Listing",
    "Resolution",
    "Resolver",
    "assign_ids",
    "listing_of",
    "listing_parts",
]
