"""The programme's rules and criteria cite their sources in Norwegian, as the documents are
written (klynge/rules.py, klynge/qualification.py). An English reader gets them in English:
the document's name and place, and the quoted words translated, marked as a translation.

A source the database holds that is not here (a rule imported later) is shown as stored.
tests/test_language.py checks that every source, note and basis of the built-in rules has its
English text here.
"""

from __future__ import annotations

_DESCRIPTION = "Programme description 2019"
_ARENA = "Application criteria Arena 2019"
_ARENA_PRO = "Application criteria Arena Pro 2019"
_BOTH = "Application criteria Arena and Arena Pro 2019"

IN_ENGLISH: dict[str, str] = {
    "Programbeskrivelsen 2019, kap. 4.1: «tilbyr ikke finansiering i denne fasen»":
        f"{_DESCRIPTION}, ch. 4.1: “offers no funding in this phase” (translated)",
    "Programbeskrivelsen 2019, kap. 4.1": f"{_DESCRIPTION}, ch. 4.1",
    "ingen periode er nevnt": "no period is named",
    "Programbeskrivelsen 2019, kap. 4.2: «årlig driftsstøtte på to millioner kroner»":
        f"{_DESCRIPTION}, ch. 4.2: “annual operating support of two million kroner” (translated)",
    "Programbeskrivelsen 2019, kap. 4.2": f"{_DESCRIPTION}, ch. 4.2",
    "Arena får bare driftsstøtte": "Arena gets operating support only",
    "Programbeskrivelsen 2019, kap. 4.2: «i inntil tre år»": f"{_DESCRIPTION}, ch. 4.2: “for up to three years” (translated)",
    "Programbeskrivelsen 2019, kap. 4.3: «tre millioner i driftsstøtte»":
        f"{_DESCRIPTION}, ch. 4.3: “three million in operating support” (translated)",
    "Programbeskrivelsen 2019, kap. 4.3: «opptil tre millioner i utviklingsstøtte»":
        f"{_DESCRIPTION}, ch. 4.3: “up to three million in development support” (translated)",
    "Programbeskrivelsen 2019, kap. 4.3: «støtter Arena Pro-klynger i fem år»":
        f"{_DESCRIPTION}, ch. 4.3: “supports Arena Pro clusters for five years” (translated)",
    "Programbeskrivelsen 2019, kap. 4.3: «Arena Pro nivået representerer det siste nivået hvor klyngen vil få tilgang til "
    "offentlig driftstøtte»":
        f"{_DESCRIPTION}, ch. 4.3: “the Arena Pro level is the last level at which the cluster has access to public "
        "operating support” (translated)",
    "Programbeskrivelsen 2019, kap. 4.4: «tentativt … 3-årig prosjektstøtte»":
        f"{_DESCRIPTION}, ch. 4.4: “tentatively … 3-year project support” (translated)",
    "beløpet er ikke fastsatt («3-årig» er tre år, ikke tre millioner)":
        "the amount is not set (“3-year” is three years, not three million)",
    "Programbeskrivelsen 2019, kap. 4.4: «ingen tidsbegrensning»": f"{_DESCRIPTION}, ch. 4.4: “no time limit” (translated)",
    "ingen tidsgrense": "no time limit",
    "Søknadskriterier Arena 2019, krav 5.1: «minimum 10 bedriftene som er kjernemedlemmer»":
        f"{_ARENA}, criterion 5.1: “at least 10 companies that are core members” (translated)",
    "Søknadskriterier Arena 2019, krav 5.2: «Forsknings- og utviklingsaktører (min 2)»":
        f"{_ARENA}, criterion 5.2: “research and development actors (min 2)” (translated)",
    "Søknadskriterier Arena 2019, krav 5.2: «entreprenørskapstankegang … (min 1)»":
        f"{_ARENA}, criterion 5.2: “entrepreneurial mindset … (min 1)” (translated)",
    "Søknadskriterier Arena 2019, krav 5.2: «Andre samarbeidspartnere … (min 2)»":
        f"{_ARENA}, criterion 5.2: “other partners … (min 2)” (translated)",
    "Søknadskriterier Arena Pro 2019, krav 5.1: «minimum 20 bedriftene som er kjernemedlemmer»":
        f"{_ARENA_PRO}, criterion 5.1: “at least 20 companies that are core members” (translated)",
    "Søknadskriterier Arena Pro 2019, krav 5.2: «Forsknings- og utviklingsaktører (min 3)»":
        f"{_ARENA_PRO}, criterion 5.2: “research and development actors (min 3)” (translated)",
    "Søknadskriterier Arena Pro 2019, krav 5.2: «entreprenørskapstankegang … (min 1)»":
        f"{_ARENA_PRO}, criterion 5.2: “entrepreneurial mindset … (min 1)” (translated)",
    "Søknadskriterier Arena Pro 2019, krav 5.2: «Andre samarbeidspartnere … (min 3)»":
        f"{_ARENA_PRO}, criterion 5.2: “other partners … (min 3)” (translated)",
    "Søknadskriterier Arena Pro 2019, krav 1.4: «minimum fem gjennomførte samarbeidsprosjekter»":
        f"{_ARENA_PRO}, criterion 1.4: “at least five completed collaboration projects” (translated)",
    "Søknadskriterier Arena Pro 2019, krav 3.2: «minimum tre planlagte … utviklingsprosjekter»":
        f"{_ARENA_PRO}, criterion 3.2: “at least three planned … development projects” (translated)",
    "Programbeskrivelsen 2019, kap. 4.3: «alle fem aktørene i fempunktsmodellen»":
        f"{_DESCRIPTION}, ch. 4.3: “all five actors of the five-point model” (translated)",
    "Programbeskrivelsen 2019, kap. 4.4: «Tilfredsstille kriteriene for å ta i bruk NCE-merkenavnet»":
        f"{_DESCRIPTION}, ch. 4.4: “meet the criteria for using the NCE brand” (translated)",
    "Programbeskrivelsen 2019, kap. 4.4: «Kunne vise at det er løpende aktivitet i klyngen»":
        f"{_DESCRIPTION}, ch. 4.4: “be able to show ongoing activity in the cluster” (translated)",
    "lest som minst én aktivitet arrangert i året": "read as at least one activity organised in the year",
    "ESCA (European Secretariat for Cluster Analysis), Cluster Management Excellence Label":
        "ESCA (European Secretariat for Cluster Analysis), Cluster Management Excellence Label",
    "et merke gjelder i to år fra året det ble tildelt": "a label is valid for two years from the year it was awarded",
    "Søknadskriterier Arena og Arena Pro 2019, krav 5.2: «Mulige investorer (offentlig og/eller private)»":
        f"{_BOTH}, criterion 5.2: “possible investors (public and/or private)” (translated)",
    "Programbeskrivelsen 2019, kap. 4.3: «et nasjonalt ressursgrunnlag som reflekterer alle fem aktørene»":
        f"{_DESCRIPTION}, ch. 4.3: “a national resource base that reflects all five actors” (translated)",
    "Programbeskrivelsen 2019, kap. 4.3: «gullsertifisering i ESCA modellen»":
        f"{_DESCRIPTION}, ch. 4.3: “gold certification in the ESCA model” (translated)",
    "Programbeskrivelsen 2019, kap. 4.4: «Ha en selvfinansierende forretningsmodell for klyngens driftsaktivitet»":
        f"{_DESCRIPTION}, ch. 4.4: “have a self-financing business model for the cluster's operations” (translated)",
}
