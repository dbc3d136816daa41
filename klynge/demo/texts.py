"""Norwegian free text for the demo reports, built from templates and varied by cluster and
year, plus the README that goes with the demo data.

The texts keep to characters that Windows-1252 can hold (one demo export uses that encoding)
and have no line that could be mistaken for a heading or a label of the export.
"""

from __future__ import annotations

import random

# The environmental goals a success story can have contributed to.
ENVIRONMENTAL_GOALS = (
    "Reduserte klimagassutslipp",
    "Redusert avfall og økt gjenvinning",
    "Bærekraftig bruk av hav- og vannressurser",
    "Redusert forurensning",
    "Bevaring av naturmangfold",
    "Klimatilpasning",
)

# The goal (index in ENVIRONMENTAL_GOALS) a sector's stories serve most.
_SECTOR_GOAL = {"Sjømat": 2, "Havteknologi": 2, "Energi": 0, "Helse": 3, "IKT": 0, "Reiseliv": 4, "Industri": 1,
                "Mat": 1, "Tre": 0}

_TOPICS = {
    "Sjømat": ("sporbarhet i verdikjeden for laks", "bedre fiskevelferd i merdene", "utnyttelse av restråstoff fra fiskeindustrien",
               "nye produkter av tare og tang", "felles returordning for isopor fra fiskemottak"),
    "Havteknologi": ("autonome droner for overvåking av havbruk", "lavutslippsløsninger for servicefartøy",
                     "sensorer for kartlegging av havbunnen", "digitale tvillinger av offshoreinstallasjoner"),
    "Energi": ("lokal lagring av solkraft", "hydrogen til tungtransport", "fleksibel strømbruk i industrien",
               "varmegjenvinning fra datasentre"),
    "Helse": ("digital hjemmeoppfølging av kronisk syke", "velferdsteknologi i kommunene", "raskere klinisk utprøving",
              "kunstig intelligens i bildediagnostikk"),
    "IKT": ("sikker deling av data mellom virksomheter", "digitalisering av små bedrifter",
            "kunstig intelligens i offentlig forvaltning", "digital sikkerhet for industrien"),
    "Reiseliv": ("helårsturisme i distriktene", "bærekraftsmerking av reisemål", "felles digital booking",
                 "besøksforvaltning ved populære naturattraksjoner"),
    "Industri": ("automatisering av sveiseprosesser", "materialgjenvinning i produksjonen", "prosessvarme med lave utslipp",
                 "3D-printing av reservedeler"),
    "Mat": ("lokale råvarer i storkjøkken", "mindre matsvinn i verdikjeden", "nye plantebaserte produkter",
            "felles distribusjon til dagligvarehandelen"),
    "Tre": ("massivtre i store bygg", "ombruk av byggematerialer", "sporbarhet fra skog til ferdig produkt",
            "industriell produksjon av trehus"),
}
_FAIRS = {
    "Sjømat": "sjømatmessen i Barcelona", "Havteknologi": "havteknologikonferansen i Aberdeen",
    "Energi": "energimessen i Hamburg", "Helse": "helseteknologimessen i Düsseldorf",
    "IKT": "teknologikonferansen i Lisboa", "Reiseliv": "reiselivsmessen i Berlin",
    "Industri": "industrimessen i Hannover", "Mat": "matmessen i Köln", "Tre": "byggemessen i München",
}
_COUNTRIES = (
    ("Danmark", "København"), ("Sverige", "Göteborg"), ("Tyskland", "Hamburg"), ("Nederland", "Rotterdam"),
    ("Finland", "Helsingfors"), ("Skottland", "Aberdeen"), ("Frankrike", "Lyon"), ("Japan", "Tokyo"),
    ("Canada", "Halifax"), ("Island", "Reykjavik"), ("Spania", "Bilbao"), ("Estland", "Tallinn"),
)
_ABROAD = (
    "Delegasjonsreise med {n} medlemsbedrifter og møter med kunder i {city}.",
    "Matchmaking med bedrifter og forskningsmiljøer fra {country}.",
    "Studietur til en søsterklynge i {city}.",
    "Webinarserie om markedsmuligheter i {country} sammen med Innovasjon Norges utekontor.",
)
_ABROAD_CLOSING = (
    "Aktivitetene ble planlagt sammen med Innovasjon Norges utekontor.",
    "Flere av bedriftene følger opp kontaktene med egne salgsbesøk neste år.",
    "Erfaringene ble delt på klyngens medlemsmøte i desember.",
    "Klyngen samarbeidet med Enterprise Europe Network om programmet.",
)
_PARTNERS = ("et forskningsinstitutt", "universitetet i regionen", "en høgskole", "to FoU-miljøer", "et nasjonalt katapultsenter")
_EFFECTS = ("lavere energibruk og mindre avfall", "færre transportkilometer", "utslipp redusert med rundt {p} prosent",
            "bedre utnyttelse av råvarene", "lavere kostnader for de deltakende bedriftene")
_FOLLOW_UPS = ("To kommuner vurderer nå å ta løsningen i bruk.", "Løsningen skal nå skaleres til flere bedrifter i klyngen.",
               "Prosjektet har fått videre finansiering fra Forskningsrådet.", "Erfaringene deles på klyngens fagsamlinger neste år.",
               "En av bedriftene har allerede ansatt to nye medarbeidere for å følge opp.")
_TITLES = ("Felles løsning for {topic}", "Pilot for {topic}", "Samarbeid om {topic}", "Nytt grep for {topic}")
_ARENAS = ("nettverksmøter", "kompetanseprogram", "internasjonaliseringsprogram", "innovasjonsverksted", "investorforum",
           "bedriftsbesøk")
_ACTORS = ("gründerbedrifter", "medlemsbedrifter", "små og mellomstore bedrifter", "unge bedrifter")
_ACHIEVEMENTS = ("sin første eksportavtale", "tilgang til nye markeder", "finansiering til et felles innovasjonsprosjekt",
                 "avtale om pilotering hos en stor kunde", "kompetanse til å ta i bruk ny teknologi")
_MATCHES = ("en etablert grossist", "en større industribedrift", "investorer fra regionen", "en internasjonal kunde",
            "forskere ved universitetet")


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def international_description(rng: random.Random, year: int, count: int, sector: str) -> str:
    """Several lines on the year's new international activities (or why there were none)."""
    if count == 0:
        country = rng.choice(_COUNTRIES)[0]
        return "\n".join((
            f"Klyngen startet ingen nye internasjonale klyngeaktiviteter i {year}.",
            rng.choice((f"Vi har brukt året på å forberede et samarbeid med en søsterklynge i {country}.",
                        "Medlemmene har i stedet deltatt på nasjonale samlinger og webinarer.",
                        f"Et besøk fra {country} er planlagt til neste år.")),
        ))
    chosen = rng.sample(_COUNTRIES, min(count, 3))
    lines = [f"Klyngen har hatt {count} nye internasjonale aktiviteter i {year}, blant annet mot "
             f"{', '.join(c for c, _ in chosen[:-1])}{' og ' if len(chosen) > 1 else ''}{chosen[-1][0]}.", ""]
    for country, city in chosen:
        lines.append(country)
        lines.append(rng.choice(_ABROAD).format(n=rng.randint(3, 9), city=city, country=country))
        lines.append("")
    if rng.random() < 0.5:
        lines.append(f"I tillegg hadde klyngen felles stand på {_FAIRS[sector]}.")
    lines.append(rng.choice(_ABROAD_CLOSING))
    return "\n".join(lines)


def story_societal(rng: random.Random, year: int, sector: str, place: str, slug: str) -> str:
    """A success story that solves a societal challenge; sometimes it ends with a URL."""
    topic = rng.choice(_TOPICS[sector])
    lines = [
        _sentence(rng.choice(_TITLES).format(topic=topic)),
        f"{rng.randint(3, 8)} medlemsbedrifter har sammen med {rng.choice(_PARTNERS)} utviklet og testet en løsning for {topic}.",
        f"Piloten ble gjennomført i {place} i {year}, og resultatene viser {rng.choice(_EFFECTS).format(p=rng.randint(10, 40))}.",
        rng.choice(_FOLLOW_UPS),
    ]
    if rng.random() < 0.4:
        lines += ["", f"https://{slug}.example.no/prosjekter/{year}/"]
    return "\n".join(lines)


def story_goals(rng: random.Random, sector: str) -> list[str]:
    """One to three goals, the first usually the one the sector's stories serve most."""
    wanted = rng.randint(1, 3)
    chosen = {_SECTOR_GOAL[sector]} if rng.random() < 0.8 else set()
    while len(chosen) < wanted:
        chosen.add(rng.randrange(len(ENVIRONMENTAL_GOALS)))
    return [goal for index, goal in enumerate(ENVIRONMENTAL_GOALS) if index in chosen]


def story_effect(rng: random.Random, year: int) -> str:
    """A success story that shows the effect of the cluster's work."""
    lines = [
        f"Gjennom klyngens {rng.choice(_ARENAS)} fikk {rng.choice(('to', 'tre', 'fire', 'fem'))} "
        f"{rng.choice(_ACTORS)} {rng.choice(_ACHIEVEMENTS)}.",
        f"Klyngen koblet dem med {rng.choice(_MATCHES)}, og samarbeidet fortsetter i {year + 1}.",
    ]
    if rng.random() < 0.6:
        lines.append(f"Bedriftene anslår at samarbeidet har gitt {rng.randint(2, 15)} nye årsverk.")
    return "\n".join(lines)


README = """\
# Syntetiske demodata / Synthetic demo data

**Norsk.** Filene i denne mappen er SYNTETISKE demodata, laget av `python -m klynge demo`
(modulen `klynge.demo`, fast frø {seed}). Klyngene, personene, bedriftene og tallene er
oppdiktet; likhet med virkelige klynger eller virksomheter er tilfeldig. Organisasjonsnumrene
er gyldige i formen, men tilfeldig trukket. Dataene brukes til å vise dashbordet uten oppsett.

**English.** The files in this folder are SYNTHETIC demo data, generated by
`python -m klynge demo` (the module `klynge.demo`, fixed seed {seed}). The clusters, people,
companies and figures are fictional; any likeness to real clusters or organisations is
coincidental. The organisation numbers are valid in form but drawn at random. The data let
the dashboard be shown with no set-up.

## Innhold / Contents
- `clusters.csv`: {clusters} klynger / clusters (id, navn og tidligere navn, fylke, bransje, orgnr, nettsted, ESCA)
- `programme_periods.csv`: {periods} programperioder / programme periods (nivå / level, år / years, NCE/GCE)
- `members.csv`: {members} medlemskap / memberships (orgnr, type, kjernemedlem / core member, inn- og utmeldt / joined and left)
- `reports.csv`: {reports} årsrapporter / annual reports, {first_year}–{last_year}, under de kanoniske feltnavnene / under the canonical field names
- `targets.csv`: {targets} SYNTETISKE mål for programmets indikatorer, ikke vedtatt av programmet / SYNTHETIC targets for the programme's indicators, not decisions of the programme
- `reports/*.txt`: {exports} årsrapporter i tekstformatet fra Klyngeportalen, ikke med i `reports.csv` / annual reports in the text-export format, not in `reports.csv`,
  med typiske feil fra PDF-uttrekket / with the usual quirks of the PDF extraction (BOM, CRLF, Windows-1252, sideskift / page breaks, U+FFFD)

## Bevisste datakvalitetsfeil / Deliberate data-quality cases
- {missing} manglende rapporter / missing reports (a cluster-year inside a programme period with no report)
- {inconsistent} rapporter som ikke henger sammen / inconsistent reports (for example members by type that do not add up to the total)
- {mismatched} rapporter der medlemmer per type avviker fra medlemsregisteret / reports whose members by type differ from the register
- {jumps} urimelig hopp fra året før / implausible jump from the year before (unique participants)
- noen klynger ligger like under kravet til kjernemedlemmer / a few clusters fall just short of the core-member threshold
"""
