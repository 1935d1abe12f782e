"""Country names, codes and demonyms as written by sanctions lists and by users, mapped to
ISO 3166-1 alpha-2.

The ISO table comes from the ``iso3166`` package; the aliases below are the spellings that
OFAC, the UN, the EU and HM Treasury actually use and that ISO does not. Names in every other
language (Россия, Қазақстан, Deutschland, 中国...) come from the Unicode CLDR through
``babel``: the territory names of each of its languages, read once, on the first name the
tables above do not know; a name that CLDR gives to two countries is left unmapped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import iso3166
from babel import localedata

_ALIASES: dict[str, str] = {
    "russia": "RU",
    "iran": "IR",
    "syria": "SY",
    "korea north": "KP",
    "north korea": "KP",
    "dprk": "KP",
    "democratic peoples republic of korea": "KP",
    "korea south": "KR",
    "south korea": "KR",
    "republic of korea": "KR",
    "korea": "KR",
    "burma": "MM",
    "myanmar": "MM",
    "vietnam": "VN",
    "viet nam": "VN",
    "laos": "LA",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "taiwan": "TW",
    "macau": "MO",
    "macao": "MO",
    "hong kong": "HK",
    "czech republic": "CZ",
    "czechia": "CZ",
    "turkey": "TR",
    "turkiye": "TR",
    "ivory coast": "CI",
    "cote divoire": "CI",
    "congo democratic republic of the": "CD",
    "democratic republic of the congo": "CD",
    "congo democratic republic of was zaire": "CD",
    "congo democratic republic": "CD",
    "drc": "CD",
    "zaire": "CD",
    "congo republic of the": "CG",
    "republic of the congo": "CG",
    "congo": "CG",
    "palestinian": "PS",
    "palestine": "PS",
    "palestinian territories": "PS",
    "occupied palestinian territory": "PS",
    "west bank": "PS",
    "gaza": "PS",
    "gaza strip": "PS",
    "state of palestine": "PS",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "northern ireland": "GB",
    "united states": "US",
    "usa": "US",
    "united states of america": "US",
    "bahamas the": "BS",
    "the bahamas": "BS",
    "gambia the": "GM",
    "the gambia": "GM",
    "micronesia federated states of": "FM",
    "brunei": "BN",
    "cape verde": "CV",
    "cabo verde": "CV",
    "swaziland": "SZ",
    "eswatini": "SZ",
    "macedonia": "MK",
    "north macedonia": "MK",
    "the former yugoslav republic of macedonia": "MK",
    "kosovo": "XK",
    "vatican": "VA",
    "holy see": "VA",
    "east timor": "TL",
    "timor leste": "TL",
    "st kitts and nevis": "KN",
    "st lucia": "LC",
    "st vincent and the grenadines": "VC",
    "saint vincent and the grenadines": "VC",
    "netherlands antilles": "AN",
    "curacao": "CW",
    "sint maarten": "SX",
    "british virgin islands": "VG",
    "virgin islands british": "VG",
    "us virgin islands": "VI",
    "virgin islands us": "VI",
    "falkland islands": "FK",
    "reunion": "RE",
    "crimea": "UA",
    "region crimea": "UA",
    "soviet union": "SU",
    "ussr": "SU",
    "yugoslavia": "YU",
    "serbia and montenegro": "CS",
    "libyan arab jamahiriya": "LY",
    "iran islamic republic of": "IR",
    "islamic republic of iran": "IR",
    "syrian arab republic": "SY",
    "lao peoples democratic republic": "LA",
    "russian federation": "RU",
    "uae": "AE",
    "emirates": "AE",
    "united arab emirates": "AE",
    "ksa": "SA",
    "south sudan": "SS",
    "sudan": "SD",
    "kyrgyzstan": "KG",
    "kirghizia": "KG",
    "kazakstan": "KZ",
    "tajikistan": "TJ",
    "belarus": "BY",
    "byelorussia": "BY",
    "undetermined": "",
    "unknown": "",
    "stateless": "",
    # demonyms used in nationality fields
    "russian": "RU",
    "iranian": "IR",
    "syrian": "SY",
    "iraqi": "IQ",
    "afghan": "AF",
    "pakistani": "PK",
    "saudi": "SA",
    "saudi arabian": "SA",
    "yemeni": "YE",
    "egyptian": "EG",
    "libyan": "LY",
    "lebanese": "LB",
    "jordanian": "JO",
    "kuwaiti": "KW",
    "qatari": "QA",
    "emirati": "AE",
    "turkish": "TR",
    "ukrainian": "UA",
    "belarusian": "BY",
    "kazakh": "KZ",
    "kazakhstani": "KZ",
    "uzbek": "UZ",
    "kyrgyz": "KG",
    "tajik": "TJ",
    "chinese": "CN",
    "north korean": "KP",
    "cuban": "CU",
    "venezuelan": "VE",
    "colombian": "CO",
    "mexican": "MX",
    "german": "DE",
    "french": "FR",
    "british": "GB",
    "american": "US",
    "somali": "SO",
    "sudanese": "SD",
    "tunisian": "TN",
    "algerian": "DZ",
    "moroccan": "MA",
    "nigerian": "NG",
    "indian": "IN",
    "indonesian": "ID",
    "filipino": "PH",
    "malaysian": "MY",
    "bangladeshi": "BD",
    "zimbabwean": "ZW",
    "congolese": "CD",
    "rwandan": "RW",
    "ugandan": "UG",
    "kenyan": "KE",
    "eritrean": "ER",
    "ethiopian": "ET",
    "malian": "ML",
    "mauritanian": "MR",
    "bahraini": "BH",
    "omani": "OM",
    "israeli": "IL",
    "georgian": "GE",
    "armenian": "AM",
    "azerbaijani": "AZ",
    "moldovan": "MD",
    "serbian": "RS",
    "bosnian": "BA",
    "italian": "IT",
    "spanish": "ES",
    "belgian": "BE",
    "dutch": "NL",
    "swiss": "CH",
    "austrian": "AT",
    "swedish": "SE",
    "danish": "DK",
    "norwegian": "NO",
    "finnish": "FI",
    "polish": "PL",
    "czech": "CZ",
    "slovak": "SK",
    "hungarian": "HU",
    "romanian": "RO",
    "bulgarian": "BG",
    "greek": "GR",
    "cypriot": "CY",
    "latvian": "LV",
    "lithuanian": "LT",
    "estonian": "EE",
    "canadian": "CA",
    "australian": "AU",
    "japanese": "JP",
    "burmese": "MM",
    "vietnamese": "VN",
    "thai": "TH",
    "nicaraguan": "NI",
    "panamanian": "PA",
    "guatemalan": "GT",
    "salvadoran": "SV",
    "honduran": "HN",
    "haitian": "HT",
    "dominican": "DO",
    "brazilian": "BR",
    "argentine": "AR",
    "argentinian": "AR",
    "peruvian": "PE",
    "ecuadorian": "EC",
    "bolivian": "BO",
    "chilean": "CL",
    "south african": "ZA",
    "central african": "CF",
    "chadian": "TD",
    "nigerien": "NE",
    "beninese": "BJ",
    "ghanaian": "GH",
    "senegalese": "SN",
    "guinean": "GN",
    "liberian": "LR",
    "sierra leonean": "SL",
    "ivorian": "CI",
    "burundian": "BI",
    "south sudanese": "SS",
    "tanzanian": "TZ",
    "mozambican": "MZ",
    "angolan": "AO",
    "zambian": "ZM",
    "malawian": "MW",
    "namibian": "NA",
    "botswanan": "BW",
    "maldivian": "MV",
    "sri lankan": "LK",
    "nepalese": "NP",
    "singaporean": "SG",
    "palestinian authority": "PS",
    "trinidadian": "TT",
    "jamaican": "JM",
}

# Former or reserved codes that lists still use, kept as they are written.
_EXTRA_CODES = {"SU", "YU", "CS", "AN", "XK"}


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("&", " and ").replace("'", "").replace("’", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return text.strip()


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in iso3166.countries:
        code = country.alpha2
        table[_key(country.name)] = code
        table[_key(country.apolitical_name)] = code
        table[country.alpha2.lower()] = code
        table[country.alpha3.lower()] = code
        # "Korea, Democratic People's Republic of" -> also "democratic peoples republic of korea"
        if "," in country.name:
            head, _, tail = country.name.partition(",")
            table[_key(f"{tail} {head}")] = code
    for alias, code in _ALIASES.items():
        table[_key(alias)] = code
    return table


# official long forms that CLDR does not carry, and words of state forms that leave the
# country's own name when dropped ("Республика Казахстан", "Қазақстан Республикасы")
_OFFICIAL = {
    "российская федерация": "RU",
    "рф": "RU",
    "ресей федерациясы": "RU",
    "кыргызская республика": "KG",
    "қырғыз республикасы": "KG",
    "kyrgyz republic": "KG",
    "республика беларусь": "BY",
    "китайская народная республика": "CN",
    "кнр": "CN",
    "оаэ": "AE",
    "сша": "US",
}
_STATE_WORDS = re.compile(
    r"\b(республика|республикасы|respublikasi|respublikasy|republic|of|the|state|"
    r"государство|мемлекеті)\b"
)


def _wide_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return re.sub(r"[\W_]+", " ", text).strip()


@lru_cache(maxsize=1)
def _cldr_table() -> dict[str, str]:
    """Territory names in every CLDR language (about 330 of them; read in a quarter of a
    second and 10 MB)."""
    found: dict[str, set[str]] = {}
    languages = sorted({i.split("_")[0] for i in localedata.locale_identifiers()})
    cache = getattr(localedata, "_cache", {})  # babel keeps every locale it loads
    for language in languages:
        try:
            # the language's own data only (no inherited root): its territory names
            names = dict(localedata.load(language, merge_inherited=False).get("territories", {}))
        except (OSError, ValueError):
            continue
        finally:
            cache.clear()  # ~0.5 MB a language: read the names, keep nothing else
        for code, name in names.items():
            if len(code) == 2 and code.isalpha():
                found.setdefault(_wide_key(name), set()).add(code)
    table = {key: next(iter(codes)) for key, codes in found.items() if len(codes) == 1}
    table.update({_wide_key(k): v for k, v in _OFFICIAL.items()})
    return table


def _from_cldr(text: str) -> str | None:
    table = _cldr_table()
    key = _wide_key(text)
    code = table.get(key)
    if code is None:
        short = re.sub(r"\s+", " ", _STATE_WORDS.sub(" ", key)).strip()
        code = table.get(short) if short else None
    return code


@lru_cache(maxsize=16384)
def to_iso2(text: str | None) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for a country name, code or demonym, or None.

    >>> to_iso2("Korea, North"), to_iso2("Iran (Islamic Republic of)"), to_iso2("DEU")
    ('KP', 'IR', 'DE')
    """
    if not text:
        return None
    key = _key(text)
    table = _table()
    code = table.get(key) if key else None
    if code is None and key:
        # "Iran (Islamic Republic of)" -> "iran islamic republic of"; try without the bracket
        stripped = _key(re.sub(r"\(.*?\)", " ", text))
        code = table.get(stripped) if stripped else None
    if code is None and (not text.isascii() or len(key) > 3):
        code = _from_cldr(text)
    return code or None


def is_country_code(text: str) -> bool:
    """True for a current ISO alpha-2 code or a former one that lists still use."""
    return len(text) == 2 and (text.upper() in _EXTRA_CODES or text.lower() in _table())
