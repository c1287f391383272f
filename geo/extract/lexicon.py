"""Word lists the extractor reads reports with: demonyms, country aliases, regions, cue words.

Plain data, no logic. Keys are lower case; :func:`geo.places.names.normalize` folds the text
they
are compared with (so ``Belarusian`` and ``belarusian`` are the same key). Country names that
GeoNames knows (``Kazakhstan``, ``Syria``) come from the gazetteer; this module lists only what
it lacks.
"""

from __future__ import annotations

import re
from typing import Final

DEMONYMS: Final[dict[str, str]] = {
    "afghan": "AF", "albanian": "AL", "algerian": "DZ", "american": "US", "angolan": "AO",
    "argentine": "AR", "argentinian": "AR", "armenian": "AM", "australian": "AU",
    "austrian": "AT", "azerbaijani": "AZ", "azeri": "AZ", "bahraini": "BH",
    "bangladeshi": "BD", "belarusian": "BY", "belarussian": "BY", "byelorussian": "BY",
    "belgian": "BE", "bolivian": "BO", "bosnian": "BA", "brazilian": "BR", "british": "GB",
    "bulgarian": "BG", "burmese": "MM", "cambodian": "KH", "cameroonian": "CM",
    "canadian": "CA", "chilean": "CL", "chinese": "CN", "colombian": "CO", "croatian": "HR",
    "cuban": "CU", "cypriot": "CY", "czech": "CZ", "danish": "DK", "dutch": "NL",
    "ecuadorian": "EC", "egyptian": "EG", "emirati": "AE", "eritrean": "ER", "estonian": "EE",
    "ethiopian": "ET", "filipino": "PH", "philippine": "PH", "finnish": "FI", "french": "FR",
    "georgian": "GE", "german": "DE", "ghanaian": "GH", "greek": "GR", "guatemalan": "GT",
    "haitian": "HT", "honduran": "HN", "hungarian": "HU", "icelandic": "IS", "indian": "IN",
    "indonesian": "ID", "iranian": "IR", "iraqi": "IQ", "irish": "IE", "israeli": "IL",
    "italian": "IT", "ivorian": "CI", "jamaican": "JM", "japanese": "JP", "jordanian": "JO",
    "kazakh": "KZ", "kazakhstani": "KZ", "kenyan": "KE", "kosovan": "XK", "kosovar": "XK",
    "kuwaiti": "KW", "kyrgyz": "KG", "laotian": "LA", "latvian": "LV", "lebanese": "LB",
    "libyan": "LY", "lithuanian": "LT", "luxembourgish": "LU", "macedonian": "MK",
    "malaysian": "MY", "maltese": "MT", "mexican": "MX", "moldovan": "MD", "mongolian": "MN",
    "montenegrin": "ME", "moroccan": "MA", "mozambican": "MZ", "namibian": "NA",
    "nepalese": "NP", "nepali": "NP", "nicaraguan": "NI", "nigerian": "NG",
    "north korean": "KP", "norwegian": "NO", "omani": "OM", "pakistani": "PK",
    "palestinian": "PS", "panamanian": "PA", "paraguayan": "PY", "peruvian": "PE",
    "polish": "PL", "portuguese": "PT", "qatari": "QA", "romanian": "RO", "russian": "RU",
    "rwandan": "RW", "saudi": "SA", "saudi arabian": "SA", "senegalese": "SN", "serbian": "RS",
    "singaporean": "SG", "slovak": "SK", "slovenian": "SI", "slovene": "SI", "somali": "SO",
    "south african": "ZA", "south korean": "KR", "spanish": "ES", "sri lankan": "LK",
    "sudanese": "SD", "swedish": "SE", "swiss": "CH", "syrian": "SY", "taiwanese": "TW",
    "tajik": "TJ", "tanzanian": "TZ", "thai": "TH", "tunisian": "TN", "turkish": "TR",
    "turkmen": "TM", "ugandan": "UG", "ukrainian": "UA", "uruguayan": "UY", "uzbek": "UZ",
    "venezuelan": "VE", "vietnamese": "VN", "yemeni": "YE", "zambian": "ZM",
    "zimbabwean": "ZW",
}
"""Adjectives of nationality to ISO alpha-2 ("Kazakh embassy" → KZ)."""

COUNTRY_ALIASES: Final[dict[str, str]] = {
    "britain": "GB", "great britain": "GB", "uk": "GB", "u.k.": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "us": "US", "u.s.": "US",
    "usa": "US", "u.s.a.": "US", "america": "US", "the united states": "US",
    "holland": "NL", "netherlands": "NL", "czech republic": "CZ", "burma": "MM",
    "macedonia": "MK", "palestine": "PS", "turkiye": "TR", "cote d'ivoire": "CI",
    "uae": "AE", "korea": "KR", "russian federation": "RU",
}
"""Country names in common use that GeoNames spells otherwise."""

REGIONS: Final[dict[str, str]] = {
    **dict.fromkeys((
        "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut",
        "delaware", "florida", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas",
        "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota",
        "mississippi", "missouri", "montana", "nebraska", "nevada", "new hampshire",
        "new jersey", "new mexico", "north carolina", "north dakota", "ohio", "oklahoma",
        "oregon", "pennsylvania", "rhode island", "south carolina", "south dakota",
        "tennessee", "texas", "utah", "vermont", "virginia", "west virginia", "wisconsin",
        "wyoming"), "US"),
    **dict.fromkeys((
        "alberta", "british columbia", "manitoba", "new brunswick", "newfoundland",
        "nova scotia", "ontario", "prince edward island", "quebec", "saskatchewan"), "CA"),
    **dict.fromkeys((
        "new south wales", "queensland", "south australia", "tasmania", "western australia",
        "northern territory"), "AU"),
    **dict.fromkeys((
        "east midlands", "west midlands", "yorkshire", "lancashire", "kent", "essex",
        "cornwall", "devon", "merseyside", "tyneside", "east anglia", "nottinghamshire"), "GB"),
    **dict.fromkeys(("bavaria", "saxony", "north rhine-westphalia", "brandenburg"), "DE"),
    **dict.fromkeys(("andalusia", "catalonia", "extremadura", "galicia", "castile and leon",
                     "aragon", "basque country"), "ES"),
}
"""First-level regions that name their country when they qualify a city ("London, Ontario")."""

CAPTION_WORDS: Final = frozenset({
    "protesters", "protestors", "demonstrators", "activists", "campaigners", "supporters",
    "photo", "picture", "pictured", "above", "below", "image",
})
"""First words of a heading-like line that is a photo caption, not a section heading."""

ABBREVIATIONS: Final = frozenset({
    "mr", "mrs", "ms", "dr", "st", "prof", "gen", "col", "lt", "sgt", "rev", "no", "vs", "etc",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "e.g", "i.e", "approx", "ca", "inc", "ltd", "co",
})
"""Words after which a full stop does not end a sentence."""

_F = re.IGNORECASE

PROTEST_CUE: Final = re.compile(
    r"\b(?:protest(?:s|ed|ing|ers?|ors?)?|demonstrat(?:ion|ions|ors?|ed|ing|e|es)|demos?"
    r"|rall(?:y|ies|ied|ying)|vigils?|picket(?:s|ed|ing|ers)?|march(?:ed|es|ing|ers)"
    r"|(?-i:march)"
    r"|sit-ins?|die-ins?|gathered|leaflet(?:s|ed|ing|ted|ting)|day of action|descended on"
    r"|blockad(?:e|ed|ing)|occupied|human chain|turnout|crowds?|marchers|strike line"
    r"|lobbied)\b|\b(?:a|the|another|their|our) march\b",
    _F)
"""Words that say a protest took place (or will)."""

CONTEXT_CUE: Final = re.compile(
    r"\b(?:strikes?|strikers|striking|massacre|killings?|killed|shot|shootings?|shelling"
    r"|fired|opened fire|crackdown|repression|arrest(?:s|ed)?|detained|jailed|prison|sentenced"
    r"|trial|visit(?:ed|ing)?|travell?ed|returned|flew|born|based|lives|lived|living|exile"
    r"|family"
    r"|relatives|founded|headquartered|government|regime|ministry|minister|authorities"
    r"|officials?|president|statement|said|says|spokes(?:man|woman|person)|speaking"
    r"|announced|elections?|war|bombing|attack(?:s|ed)?|earthquake|uprising|revolution"
    r"|clashes|collapsed?|talks|called off|cancell?ed|postponed|banned|died"
    r"|fire|blaze|explosion|blast|floods?|flooding|disaster|riots|deaths?|executions?"
    r"|executed|detainees?|detention|custody|raids?|solidarity with)\b",
    _F)
"""Words that make a place the setting of something else: a strike, a killing, a visit, the
disaster or the repression a protest answers ("the factory fire in Gazipur", "a detainee held
near Kashgar", "in solidarity with the strikers in Swansea")."""

LABOUR_ACTION: Final = re.compile(r"\b(?:struck|walked out|downed tools|stopped work)\b", _F)
"""Workers' actions that make a workplace a protest site like a protest word does."""

STATEMENT_AFTER: Final = re.compile(
    r"(?:\s+(?:has|have|had|also|again|later|swiftly|quickly|publicly|officially))?\s+"
    r"(?:said|says|condemned|condemns|dismissed|dismisses|described|describes|denied|denies"
    r"|rejected|rejects|replied|responded|warned|accused|insisted|claimed|stated|declared"
    r"|urged|blamed|defended|refused|announced|reported|did not (?:respond|comment|reply))\b",
    _F)
"""A statement right after a city: the place speaks, it is not a protest site ("the ministry
in Damascus condemned", "Management in Wolfsburg said")."""

FUTURE_CUE: Final = re.compile(
    r"\b(?:will|shall|(?:is|are) (?:being )?(?:planned|scheduled|due|set|called|expected)"
    r"|plans? to|planning to|intends? to|(?:is|are) going to|tomorrow|next (?:week|month"
    r"|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|upcoming"
    r"|coming up|later this (?:week|month)|(?:has|have|are) called for)\b|'ll\b",
    _F)
"""Words that put a protest in the future (status ``planned``)."""

PAST_PROTEST: Final = re.compile(
    r"\b(?:protested|demonstrated|rallied|gathered|marched|picketed|held|took place|staged"
    r"|leafleted|leafletted|descended|blockaded|occupied|was|were)\b",
    _F)
"""Past-tense verbs that keep a clause ``held`` even in a sentence that looks ahead."""

EVENT_SHIFT: Final = re.compile(
    r"\bhad\b[^.;]*?\b(?:shot|killed|massacred|arrested|attacked|fired|died|jailed|detained)\b",
    _F)
"""A pluperfect report of the events the protests answered ("had been killed")."""

MISSION_WORDS: Final[dict[str, str]] = {
    "honorary consulate": "honorary_consulate",
    "honorary consul": "honorary_consulate",
    "consulate general": "consulate",
    "general consulate": "consulate",
    "consulate": "consulate",
    "high commission": "embassy",
    "embassy": "embassy",
    "diplomatic mission": "embassy",
    "mission": "embassy",
    "diplomatic representation": "embassy",
    "representation": "embassy",
    "representative office": "embassy",
    "permanent mission": "other",
    "permanent representation": "other",
}
"""Diplomatic missions to ``venues.csv`` kinds: a high commission, a country's mission or
representation is an embassy; a permanent mission (to the UN, the EU) is ``other``. A bare
"mission" or "representation" counts only with its country ("the Nigerian mission", "the
representation of Venezuela"): alone the words mean too much else."""

BARE_MISSION_WORDS: Final = frozenset({"mission", "representation"})
"""Mission words that need a country beside them (see :data:`MISSION_WORDS`)."""

SHOP_WORDS: Final[dict[str, str]] = {
    "shop": "company_shop", "shops": "company_shop", "store": "company_shop",
    "stores": "company_shop", "flagship store": "company_shop", "flagship": "company_shop",
    "flagships": "company_shop", "branch": "company_shop",
    "branches": "company_shop", "outlet": "company_shop", "outlets": "company_shop",
    "supermarket": "company_shop", "supermarkets": "company_shop",
    "showroom": "company_shop", "petrol station": "company_shop",
    "petrol stations": "company_shop", "filling station": "company_shop",
    "filling stations": "company_shop", "gas station": "company_shop",
    "gas stations": "company_shop", "restaurant": "company_shop",
    "restaurants": "company_shop",
    "headquarters": "other", "head office": "other", "hq": "other", "offices": "other",
    "office": "other", "refinery": "other", "plant": "other", "plants": "other",
    "sorting plant": "other", "factory": "other", "depot": "other", "mine": "other",
    "terminal": "other", "warehouse": "other", "warehouses": "other",
    "distribution centre": "other", "distribution center": "other",
    "fulfilment centre": "other", "fulfillment center": "other",
}
"""What a company's site is called, to its venue kind (shops are ``company_shop``)."""

POSSESSIVE_BRANDS: Final = frozenset({
    "sainsbury's", "mcdonald's", "macy's", "kohl's", "lowe's", "dillard's", "wendy's",
    "domino's", "kellogg's", "claire's", "sotheby's", "christie's", "lloyd's", "hardee's",
    "denny's", "applebee's", "chili's", "trader joe's",
})
"""Brands whose own name ends in 's: "Sainsbury's stores" is Sainsbury's, "Shell's offices"
is Shell (compared folded, without the apostrophe)."""

PUBLIC_SUFFIXES: Final = frozenset({
    "square", "platz", "plaza", "park", "gardens", "bridge", "gate", "hill", "circus",
    "cathedral", "church", "mosque", "palace", "hall", "parliament", "legislature",
    "memorial", "monument", "market", "station", "embankment", "common", "green",
})
"""Last words of a named public place ("George Square", "Cologne Cathedral")."""

STREET_SUFFIXES: Final = frozenset({
    "street", "road", "avenue", "boulevard", "lane", "way", "drive", "strasse", "straße",
    "place", "quay", "terrace", "crescent", "row", "highway", "parade",
})
"""Last words of a street name: after "on", a street is an address, not the venue."""

PUBLIC_PREFIXES: Final = frozenset({"place", "plaza", "piazza", "plac", "plein", "praça"})
"""First words of a named public place in other languages ("Place des Nations")."""

PUBLIC_NOUNS: Final = re.compile(
    r"\b(?:(?:the\s+)?(?:main|central|market|town|city|cathedral)\s+square"
    r"|(?:the\s+)?(?:town|city)\s+hall|(?:the\s+|state\s+|national\s+)?parliament(?:\s+building)?"
    r"|(?:the\s+)?legislature|(?:the\s+)?cathedral|(?:the\s+)?(?:central|railway|main)\s+station"
    r"|(?:the\s+)?stock\s+exchange|(?:the\s+)?(?:foreign|interior|labour|education)\s+ministry"
    r"|(?:the\s+)?(?:federal\s+)?chancellery|(?:the\s+)?(?:congress|senate|assembly)\s+building"
    r"|(?:the\s+)?national\s+assembly|(?-i:the\s+(?:Bundestag|Reichstag|Storting|Riksdag"
    r"|Folketing|Eduskunta|Knesset|Sejm|Duma|Senedd|Capitol|Dáil|Oireachtas|Assemblée"
    r"\s+nationale)))\b",
    _F)
"""Unnamed public places ("the town hall", "in front of the cathedral"), government buildings
("the Federal Chancellery", "the Congress building") and parliaments by their names ("the
Bundestag", "the Senedd")."""

LOCATION_BEFORE: Final = re.compile(
    r"\b(?:in|at|outside|near|across|around|throughout|to|into|through|including)\s+"
    r"(?:(?:the\s+)?(?:city|town|centre|center|city\s+centre|city\s+center|streets|capital"
    r"|port\s+city|heart|village)\s+of\s+|central\s+|downtown\s+|the\s+centre\s+of\s+)?$",
    _F)
"""What comes right before a city named as a place ("in central Leeds"); "from" is not there:
"students from Grodno" names where people come from, not where they protest."""

PEOPLE: Final = (r"people|protesters|protestors|demonstrators|activists|campaigners|supporters"
                 r"|students|members|workers|teachers|nurses|residents|marchers|pensioners")
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-\w+)?"
"""Nouns a participant count counts."""

PARTICIPANTS: Final = re.compile(
    r"\b(?<!\d[,.])(?P<n>(?:(?:about|around|some|roughly|nearly|almost|more than|over|up to"
    r"|at least)\s+)?"
    r"(?:\d+(?:[,.]\d+)*|" + _TENS + r"|a dozen|dozens|several hundred|hundreds|thousands"
    r"|a few dozen|scores"
    r"|a handful|several dozen|a few hundred|tens of thousands))"
    r"(?:\s+of)?\s+(?:" + PEOPLE + r")\b(?!\s+(?:had|were|have been|died))"
    r"|\bwe were (?P<we>(?:about |around |some )?\d+)\b"
    r"|\bcrowd at (?P<crowd>\d+(?:[,.]\d+)*)"
    r"|\bdrew (?P<drew>(?:about |around |some |more than )?\d+(?:[,.]\d+)*)",
    _F)
"""Participant counts: "about 150 people", "we were about 35", "the crowd at 40,000"."""

ORGANIZER_PATTERNS: Final = (
    r"\b(?:organi[sz]ed|called|convened|led) by (?:the )?(?P<org>{ORG})",
    r"\b(?i:members (?:and supporters )?of (?:the )?)(?P<org>{ORG})",
    r"\b(?i:supporters of (?:the )?)(?P<org>{ORG})",
    r"(?:^|[.;:,]\s+|\b(?:and|as|when|while|then)\s+)(?:the )?(?P<org>{ORG})"
    r" (?:held|staged|organi[sz]ed|called|picketed|protested|rallied|marched)\b",
    r"(?<![\w'/&.-])(?P<org>{ORG}) (?:members|activists)\b",
)
"""Ways a report names who organised a protest; ``{ORG}`` is a capitalised name."""
