"""The list-format parsers; importing this package registers every format.

Detection tries formats in this order, most specific signature first.
"""

from corridor.lists.parsers import (
    csl,
    eu_csv,
    eu_xml,
    ftm_json,
    kz_afm,
    ofac_advanced,
    ofac_csv,
    ofac_enhanced,
    ofac_xml,
    uk_csv,
    uk_sl_xml,
    un_xml,
)

__all__ = [
    "csl",
    "eu_csv",
    "eu_xml",
    "ftm_json",
    "kz_afm",
    "ofac_advanced",
    "ofac_csv",
    "ofac_enhanced",
    "ofac_xml",
    "uk_csv",
    "uk_sl_xml",
    "un_xml",
]
