"""The embargoed places a trade document involves: its country columns (ISO 3166-1, or
ISO 3166-2 for a region, kept by the reader), and the places named in its addresses, ports
and places of delivery, on the side of the movement each field describes."""

from __future__ import annotations

from corridor.model.trade import DocumentLine
from corridor.places import EmbargoBook, PlaceFinder
from corridor.shipments.results import PlaceHit

# country columns by the side of the movement they describe
_COUNTRY_SIDES = {
    "destination_country": "destination",
    "consignee_country": "destination",
    "buyer_country": "destination",
    "origin_country": "origin",
    "dispatch_country": "origin",
    "manufacturer_country": "origin",
    "seller_country": "origin",
    "payer_country": "party",
}
# free-text columns (in the ledger's extra columns) that name places
_TEXT_SIDES = {
    "destination_region": "destination",
    "destination_place": "destination",
    "destination_city": "destination",
    "place_of_delivery": "destination",
    "delivery_place": "destination",
    "delivery_address": "destination",
    "port_of_discharge": "destination",
    "consignee_address": "destination",
    "buyer_address": "destination",
    "end_user_address": "destination",
    "port_of_loading": "origin",
    "place_of_loading": "origin",
    "seller_address": "origin",
    "origin_region": "origin",
    "payer_address": "party",
    "address": "party",
}
PLACE_COLUMNS = tuple(_TEXT_SIDES)


def _side_of(column: str) -> str | None:
    side = _TEXT_SIDES.get(column)
    if side is None and column.endswith("_address"):
        side = "party"
    return side


class DocumentPlaces:
    """Finds the embargoed places of documents with one embargoes file."""

    def __init__(self, book: EmbargoBook) -> None:
        self.book = book
        self.finder = PlaceFinder(book)
        self.codes = book.embargoed_codes()
        self._cache: dict[str, list[tuple[str, str, str, str, bool]]] = {}

    def _text_hits(self, text: str) -> list[tuple[str, str, str, str, bool]]:
        found = self._cache.get(text)
        if found is None:
            found = [
                (h.place.code, h.place.name, h.matched, h.kind, h.partial)
                for h in self.finder.find(text)
            ]
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[text] = found
        return found

    def of(self, doc: list[DocumentLine]) -> list[PlaceHit]:
        hits: dict[tuple[str, str], PlaceHit] = {}

        def add(hit: PlaceHit) -> None:
            key = (hit.code, hit.side)
            known = hits.get(key)
            if known is None or (known.partial and not hit.partial):
                hits[key] = hit

        for line in doc:
            for column, side in _COUNTRY_SIDES.items():
                country: str | None = getattr(line, column)
                region = line.extra.get(column.replace("_country", "_subdivision"))
                for value in (region, country):
                    if value and value in self.codes:
                        place = self.book.places[value]
                        add(
                            PlaceHit(
                                column,
                                side,
                                value,
                                place.name,
                                value,
                                "country" if not place.is_region else "code",
                                place.partial,
                            )
                        )
                        break
            transit_regions = line.extra.get("transit_subdivisions", "").split(";")
            for code in [*transit_regions, *line.transit_countries]:
                if code in self.codes:
                    place = self.book.places[code]
                    add(
                        PlaceHit(
                            "transit_countries",
                            "transit",
                            code,
                            place.name,
                            code,
                            "country",
                            place.partial,
                        )
                    )
            for column, text in line.extra.items():
                text_side = _side_of(column) if not column.endswith("_subdivision") else None
                if text_side is None:
                    continue
                for code, name, matched, kind, partial in self._text_hits(text):
                    add(PlaceHit(column, text_side, code, name, matched, kind, partial))
        return sorted(hits.values(), key=lambda h: (h.code, h.side))
