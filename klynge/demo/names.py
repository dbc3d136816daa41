"""Fictional names for the demo data: places, clusters, member organisations, people, plus
organisation numbers and URL slugs.

Every place is made of two parts ("Måke" + "skjær"), so no cluster is named after a real town;
the few compounds that happen to be real Norwegian places are refused (`REAL_PLACES`).
"""

from __future__ import annotations

import random
import re

from stdnum.no import orgnr as orgnr_lib

PLACE_HEADS = (
    "Måke", "Tåke", "Skodde", "Tare", "Bølge", "Krake", "Skarv", "Ørne", "Kobbe", "Dugg", "Multe",
    "Blåbær", "Rimfrost", "Nordlys", "Sildre", "Stjerne", "Sol", "Kvitsand", "Lunde", "Reve", "Tyri",
    "Perle", "Fjære", "Lysning", "Solbær", "Vindskjær", "Isbre", "Gråmåke", "Ravne", "Sølvtind",
)
PLACE_TAILS = (
    "skjær", "lia", "vik", "nes", "øy", "dal", "fjord", "vågen", "strand", "haug", "berg", "mo",
    "sund", "bukt", "heim", "eid", "holmen", "land", "voll", "sand", "tind", "myra", "odden", "li",
)
# Compounds of the parts above that are (or sound exactly like) real places; never used.
REAL_PLACES = frozenset({"Solund", "Solberg", "Solheim", "Solvoll", "Solli", "Lundeland", "Reveland", "Solstrand"})
QUALIFIERS = ("Indre", "Ytre", "Nordre", "Søndre", "Øvre", "Nedre", "Store", "Vesle")

# Per sector: (short word, "-klynge" word, "-nettverk" word); cluster names are built from these.
SECTOR_WORDS: dict[str, tuple[str, str, str]] = {
    "Sjømat": ("Sjømat", "Sjømatklynge", "Sjømatnettverk"),
    "Havteknologi": ("Havteknologi", "Havteknologiklynge", "Havteknologinettverk"),
    "Energi": ("Energi", "Energiklynge", "Energinettverk"),
    "Helse": ("Helse", "Helseklynge", "Helsenettverk"),
    "IKT": ("Digital", "IKT-klynge", "Digitalnettverk"),
    "Reiseliv": ("Reiseliv", "Reiselivsklynge", "Reiselivsnettverk"),
    "Industri": ("Industri", "Industriklynge", "Industrinettverk"),
    "Mat": ("Mat", "Matklynge", "Matnettverk"),
    "Tre": ("Tre", "Treklynge", "Trenettverk"),
}

# Cluster name templates, by style.
CLUSTER_TEMPLATES = {
    "klynge": "{place} {klynge}",
    "definite": "{klynge}n {place}",
    "arena": "Arena {place} {word}",
    "nce": "NCE {place} {word}",
    "network": "{place} {network}",
}

_BRAND_HEADS = (
    "Hav", "Fjell", "Nord", "Vest", "Kyst", "Berg", "Lys", "Vind", "Sol", "Elv", "Skog", "Myr", "Stein",
    "Bølge", "Fjord", "Storm", "Flo", "Fjære", "Tind", "Lyng", "Is", "Bre", "Furu", "Bjørk", "Polar",
    "Straum", "Skjær", "Måne", "Aure", "Ask",
)
_BRAND_TAILS = (
    "bris", "tind", "lys", "vik", "kraft", "verk", "havn", "stjerne", "lund", "heim", "berg", "våg",
    "tek", "nes", "dal", "mark", "gard", "kilde", "bu", "ly",
)
# Business words for established companies: general ones plus a few per sector.
_GENERAL_TRADES = (
    "Analyse", "Rådgivning", "Elektro", "Mekaniske Verksted", "Logistikk", "Regnskap", "Bygg", "Eiendom",
    "Data", "Automasjon", "Transport", "Consult", "Prosjekt", "Maskin", "Kommunikasjon", "Industri",
)
_SECTOR_TRADES: dict[str, tuple[str, ...]] = {
    "Sjømat": ("Fiskeoppdrett", "Sjømat", "Fiskeindustri", "Smolt", "Fiskemottak", "Rederi", "Marine Ingredienser"),
    "Havteknologi": ("Subsea", "Marin Teknologi", "Offshore", "Skipsdesign", "Undervannsrobotikk", "Verft"),
    "Energi": ("Kraft", "Energi", "Solenergi", "Hydrogen", "Nettservice", "Varmepumper"),
    "Helse": ("Medisinsk", "Helseteknologi", "Diagnostikk", "Omsorg", "Farma", "Velferdsteknologi"),
    "IKT": ("Programvare", "Skytjenester", "Sikkerhet", "Systemutvikling", "Nettverk", "Spillutvikling"),
    "Reiseliv": ("Reiser", "Hotell", "Opplevelser", "Fjordcruise", "Guiding", "Camping"),
    "Industri": ("Stålindustri", "Sveis", "Plast", "Komponenter", "Produksjon", "Aluminium"),
    "Mat": ("Meieri", "Bakeri", "Gartneri", "Kjøtt", "Bryggeri", "Frukt og Grønt"),
    "Tre": ("Sag", "Trelast", "Hus", "Snekkeri", "Limtre", "Skog"),
}
_STARTUP_FORMS = ("{brand} Labs AS", "{brand}tech AS", "{brand} Innovasjon AS", "{brand} Teknologi AS", "{brand}.io AS")
_RND_FORMS = (
    "Universitetet i {place}", "Høgskolen i {place}", "{place} Forskningsinstitutt AS", "{place} Forskning AS",
    "Senter for {topic} {place}", "{place} Teknologisenter AS",
)
_RND_TOPICS = ("bærekraft", "havrom", "digitalisering", "anvendt teknologi", "bioøkonomi", "folkehelse")
_PUBLIC_FORMS = ("{place} kommune", "{place} havn KF", "{place} interkommunale selskap", "{place} regionråd")
_INNOVATION_FORMS = ("{place} Næringshage AS", "{place} Inkubator AS", "{place} Kunnskapspark AS", "{place} Innovasjon AS")
_INVESTOR_FORMS = ("{brand} Kapital AS", "{brand} Invest AS", "{place} Såkornfond AS", "{brand} Venture AS")
_ASSOCIATION_FORMS = ("{place} Næringsforening", "{place} Bondelag", "{brand} Bransjeforening", "{place} Fagforening", "Næringsrådet i {place}")

FIRST_NAMES = (
    "Kari", "Ola", "Ingrid", "Lars", "Silje", "Håkon", "Marit", "Anders", "Ragnhild", "Eirik", "Sigrid",
    "Torstein", "Hilde", "Jon", "Astrid", "Magnus", "Liv", "Øyvind", "Tone", "Espen", "Guro", "Vegard",
    "Solveig", "Trond", "Ane", "Sindre", "Maren", "Per", "Ida", "Kjetil",
)
_SURNAME_TAILS = ("stad", "dal", "berg", "heim", "vik", "land", "li", "nes", "haug", "bø")


def place(rng: random.Random) -> str:
    """A fictional place name such as "Tåkelia" or "Måkeskjær"."""
    while True:
        name = rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS)
        if name not in REAL_PLACES:
            return name


def cluster_name(style: str, place_name: str, sector: str) -> str:
    word, klynge, network = SECTOR_WORDS[sector]
    return CLUSTER_TEMPLATES[style].format(place=place_name, word=word, klynge=klynge, network=network)


def person(rng: random.Random) -> str:
    """A fictional person: a common first name and a made-up farm-style surname."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(_BRAND_HEADS)}{rng.choice(_SURNAME_TAILS)}"


def _brand(rng: random.Random) -> str:
    return rng.choice(_BRAND_HEADS) + rng.choice(_BRAND_TAILS)


def organisation(rng: random.Random, member_type: str, sector: str, home: str) -> str:
    """A fictional organisation of `member_type` ("cluster" excepted: those are demo clusters).

    `home` is the cluster's own place; public and R&D actors are often there.
    """
    where = home if rng.random() < 0.4 else place(rng)
    if member_type == "established":
        trades = _SECTOR_TRADES[sector] if rng.random() < 0.6 else _GENERAL_TRADES
        return f"{_brand(rng)} {rng.choice(trades)} AS"
    if member_type == "startup":
        return rng.choice(_STARTUP_FORMS).format(brand=_brand(rng))
    forms = {
        "rnd": _RND_FORMS, "public": _PUBLIC_FORMS, "innovation_company": _INNOVATION_FORMS,
        "investor": _INVESTOR_FORMS, "association": _ASSOCIATION_FORMS,
    }[member_type]
    return rng.choice(forms).format(place=where, brand=_brand(rng), topic=rng.choice(_RND_TOPICS))


def orgnr(rng: random.Random) -> str:
    """A random valid organisation number (9 digits, first digit 8 or 9).

    The check digit comes from the library's checksum; a base whose check digit would be 10
    cannot be valid, so another is drawn.
    """
    while True:
        base = f"{rng.choice('89')}{rng.randrange(10_000_000):07d}"
        check = -orgnr_lib.checksum(base + "0") % 11
        if check < 10:
            return base + str(check)


_SLUG_MAP = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e"})


def slug(name: str) -> str:
    """'Måkeskjær Sjømatklynge' -> 'makeskjaer-sjomatklynge'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower().translate(_SLUG_MAP)).strip("-")


def name_key(name: str) -> str:
    """How names are compared for uniqueness (as the importer does: case and spacing ignored)."""
    return " ".join(name.split()).casefold()
