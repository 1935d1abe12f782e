"""Reference tables shared by the OFAC advanced and enhanced XML parsers: the feature types
that become attributes or identifiers, and the script names."""

from __future__ import annotations

ATTR_FEATURES = {
    "website": "website",
    "email address": "email",
    "phone number": "phone",
    "bik (ru)": "bik",
    "organization established date": "incorporation_date",
    "organization type:": "organization_type",
    "vessel call sign": "call_sign",
    "vessel type": "vessel_type",
    "vessel flag": "vessel_flag",
    "vessel owner": "vessel_owner",
    "vessel tonnage": "vessel_tonnage",
    "vessel gross registered tonnage": "vessel_grt",
    "vessel year of build": "vessel_build_year",
    "nationality of registration": "registration_country",
    "additional sanctions information -": "sanctions_info",
    "secondary sanctions risk:": "sanctions_info",
    "aircraft model": "aircraft_model",
    "aircraft operator": "aircraft_operator",
    "aircraft tail number": "aircraft_tail_number",
    "target type": "target_type",
}

ID_FEATURES = (
    "swift/bic",
    "vessel registration identification",
    "mmsi",
    "aircraft manufacturer's serial number (msn)",
    "legal entity number",
)

SCRIPTS = {
    "latin": "Latn",
    "cyrillic": "Cyrl",
    "arabic": "Arab",
    "chinese": "Hani",
    "chinese simplified": "Hans",
    "chinese traditional": "Hant",
    "korean": "Hang",
}
