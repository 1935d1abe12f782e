"""Organisation legal forms and abbreviations, Latin and Cyrillic (romanised), with the Kazakh,
Kyrgyz and Uzbek forms that other tools miss (ТОО/ЖШС, АҚ/ЖАҚ, ОсОО, МЧЖ and Latin TOO, AQ)."""

from __future__ import annotations

# romanised lowercase token sequence -> canonical legal form
LEGAL_FORMS: dict[tuple[str, ...], str] = {}


def _add(canonical: str, *forms: str) -> None:
    for form in forms:
        LEGAL_FORMS[tuple(form.split())] = canonical


_add(
    "llc",
    "llc",
    "l l c",
    "ooo",
    "osoo",
    "mchzh",
    "mchj",
    "tov",
    "sp z o o",
    "srl",
    "sarl",
    "limited liability company",
    "obshchestvo s ogranichennoy otvetstvennostyu",
    "obshestvo s ogranichennoi otvetstvennostiu",
    "limited liability co",
)
_add(
    "llp",
    "llp",
    "l l p",
    "too",
    "zhshs",
    "jshs",
    "limited liability partnership",
    "tovarishchestvo s ogranichennoy otvetstvennostyu",
)
_add(
    "jsc",
    "jsc",
    "j s c",
    "ao",
    "aq",
    "ak",
    "oao",
    "ojsc",
    "zao",
    "cjsc",
    "zhaq",
    "jaq",
    "joint stock company",
    "open joint stock company",
    "closed joint stock company",
    "aktsionernoe obshchestvo",
    "aksionernoe obshchestvo",
    "nao",
    "ooo ao",
)
_add("pjsc", "pjsc", "pao", "public joint stock company", "public jsc")
_add(
    "ltd",
    "ltd",
    "ltda",
    "cia ltda",
    "limitada",
    "eirl",
    "sac",
    "saa",
    "limited",
    "ltd co",
    "co ltd",
    "company limited",
    "pte ltd",
    "pty ltd",
    "private limited",
    "pvt ltd",
    "sdn bhd",
    "bhd",
)
_add("inc", "inc", "incorporated")
_add("corp", "corp", "corporation")
_add("co", "co", "company", "cia", "compania", "companhia", "kompaniya")
_add("plc", "plc")
_add("gmbh", "gmbh", "gesellschaft mit beschrankter haftung", "mbh")
_add("ag", "ag", "aktiengesellschaft")
_add(
    "sa",
    "sa",
    "s a",
    "sas",
    "s a s",
    "sae",
    "spa",
    "s p a",
    "sl",
    "s l",
    "sa de cv",
    "s a de c v",
    "s de rl",
)
_add("bv", "bv", "b v", "nv", "n v")
_add("ab", "ab", "oy", "oyj", "as", "a s", "asa", "aps", "a p s")
_add(
    "kg",
    "kg",
    "gmbh co kg",
    "ohg",
    "kft",
    "zrt",
    "doo",
    "d o o",
    "ad",
    "dd",
    "sro",
    "s r o",
    "as",
    "spolka",
    "sp",
)
_add("ip", "ip", "chp", "sole proprietor", "individual entrepreneur")
_add("fze", "fze", "fzco", "fzc", "fz llc", "dmcc")
_add("jv", "jv", "joint venture")
_add("sc", "s en c", "sen c", "s en c s", "y cia s en c", "y cia", "y compania", "s c", "scs")
_add(
    "ue",
    "gup",
    "fgup",
    "mup",
    "rup",
    "unitary enterprise",
    "state unitary enterprise",
    "federal state unitary enterprise",
)

MAX_FORM_LEN = max(len(k) for k in LEGAL_FORMS)

# abbreviations that lists and customers use for ordinary words in organisation names
ABBREVIATIONS: dict[str, str] = {
    "grp": "group",
    "comm": "communications",
    "comms": "communications",
    "commun": "communications",
    "intl": "international",
    "int'l": "international",
    "internat": "international",
    "srvces": "services",
    "srvcs": "services",
    "svcs": "services",
    "svc": "service",
    "mfg": "manufacturing",
    "mfr": "manufacturer",
    "inds": "industries",
    "indus": "industrial",
    "tech": "technology",
    "techs": "technologies",
    "technol": "technology",
    "engg": "engineering",
    "devt": "development",
    "mgmt": "management",
    "mgt": "management",
    "natl": "national",
    "assn": "association",
    "assoc": "association",
    "bros": "brothers",
    "hldg": "holding",
    "hldgs": "holdings",
    "hlds": "holdings",
    "trdg": "trading",
    "electr": "electronics",
    "entps": "enterprises",
    "invt": "investment",
    "chem": "chemical",
    "pharm": "pharmaceutical",
    "pharma": "pharmaceutical",
    "shpg": "shipping",
    "transp": "transport",
    "logist": "logistics",
    "constr": "construction",
    "dept": "department",
    "univ": "university",
    "aviat": "aviation",
    "cntr": "center",
    "centre": "center",
    "nk": "oil company",
}

# words that describe rather than name an organisation; they never make a match alone
GENERIC_ORG_WORDS = frozenset(
    {
        "company",
        "group",
        "holding",
        "holdings",
        "international",
        "trading",
        "trade",
        "services",
        "service",
        "industries",
        "industrial",
        "enterprises",
        "enterprise",
        "corporation",
        "limited",
        "partnership",
        "the",
        "and",
        "of",
        "for",
        "de",
        "la",
        "el",
        "al",
        "del",
        "da",
        "do",
        "di",
        "der",
        "und",
        "et",
        "y",
        "llc",
        "bank",
        "investment",
        "general",
        "global",
        "systems",
        "technology",
        "technologies",
        "management",
        "import",
        "export",
        "development",
        "national",
        "organization",
        "organisation",
        "association",
        "foundation",
        "center",
        "office",
        "branch",
        "plant",
        "factory",
        "works",
        "firm",
        "agency",
        "fund",
        "cia",
        "cie",
        "compania",
        "sociedad",
        "societe",
        "gesellschaft",
        "kompaniya",
        "obshchestvo",
    }
)
