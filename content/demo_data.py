"""The demo accounts and demo posts `content.demo.seed()` creates: real sources, every state.

Only data and the plan for each post (which versions, which workflow state); the seeding itself
is content.demo.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from content import roles
from content.exporters.frames import DEFAULT_FRAMES
from content.models import PostKind, PostState
from content.revisions import RevisionContent, Source
from content.states import OVERDUE, PUBLISHED_NEWER_DRAFT

DEMO_USERS = [
    ("anna", "Anna", roles.AUTHORS),
    ("bram", "Bram", roles.AUTHORS),
    ("rik", "Rik", roles.REVIEWERS),
    ("sofie", "Sofie", roles.REVIEWERS),
    ("eva", "Eva", roles.EDITORS),
]

TRIMBOS = Source("Trimbos-instituut: Drugs Informatie en Monitoring Systeem (DIMS)",
                 "https://www.trimbos.nl/", "2026-10-02")  # fmt: skip
SCIENSANO = Source("Sciensano: Belgian Early Warning System on Drugs",
                   "https://www.sciensano.be/", "2026-10-02")  # fmt: skip
EUDA = Source("European Union Drugs Agency (EUDA): European Drug Report",
              "https://www.euda.europa.eu/", "2026-09-14")  # fmt: skip
MODUS_VIVENDI = Source("Modus Vivendi: réduction des risques liés à l'usage de drogues",
                       "https://www.modusvivendi-be.org/", "2026-09-20")  # fmt: skip
DRUGLIJN = Source("De DrugLijn (VAD)", "https://www.druglijn.be/", "2026-09-21")
INFOR_DROGUES = Source("Infor-Drogues & Addictions", "https://www.infor-drogues.be/", "2026-09-21")
TRIPSIT = Source("TripSit: drug combinations chart", "https://combo.tripsit.me/", "2026-09-18")


# --- Export profiles ------------------------------------------------------------------------------
# Migration 0006 seeds the profiles every installation starts with (Dread, phpBB on Tor and on
# the clear web, XenForo, Reddit, Discourse, plain text): every forum Markdown dialect is there.
# The demo adds one profile for each other format and BBCode dialect the exporters support, so a
# newcomer can try them all; an installation adds the forums it really posts to in the admin.
# Every demo profile has the default frame in English and, for Dutch and French posts, in those
# languages (content.exporters.frames; migration 0024 gives the seeded profiles the same).
HEADER = DEFAULT_FRAMES["en"].header
FOOTER_CLEAR = DEFAULT_FRAMES["en"].footer
FOOTER_TOR = DEFAULT_FRAMES["en"].footer_tor
DEMO_FRAME_LANGUAGES = ("nl", "fr")
_CLEAR: dict[str, Any] = {
    "link_policy": "keep", "image_policy": "link", "tor": False,
    "header_template": HEADER, "footer_template": FOOTER_CLEAR,
}  # fmt: skip
_TOR: dict[str, Any] = {
    "link_policy": "onion_internal", "image_policy": "drop", "tor": True,
    "header_template": HEADER, "footer_template": FOOTER_TOR,
}  # fmt: skip

# slug -> fields. Lengths are the forums' defaults (vBulletin 4 postmaxchars 10000, SMF 2.1
# max_messageLength 20000, MyBB 1.8 maxmessagelength 65535).
DEMO_PROFILES: dict[str, dict[str, Any]] = {
    "vbulletin": dict(
        name="vBulletin 4 forum", format="bbcode", dialect="vbulletin4", max_length=10000, **_CLEAR
    ),
    "smf": dict(name="SMF 2.1 forum", format="bbcode", dialect="smf21", max_length=20000, **_CLEAR),
    "mybb": dict(
        name="MyBB 1.8 forum", format="bbcode", dialect="mybb18", max_length=65535, **_CLEAR
    ),
    "html": dict(name="HTML (sanitized)", format="html", dialect="", max_length=None, **_CLEAR),
}

# Signing profiles, seeded only in development: they sign with the demo key.
DEMO_KEY_LABEL = "DEMO KEY \u2013 development only"
DEMO_KEY_EMAIL = "demo-key@example.invalid"
DEMO_SIGNED_PROFILES: dict[str, dict[str, Any]] = {
    "dread-signed": dict(
        name="Dread (Tor), signed with the DEMO KEY", format="forum_markdown", dialect="reddit",
        max_length=10000, sign=True, **_TOR,
    ),
    "xenforo-signed": dict(
        name="XenForo forum, signed with the DEMO KEY", format="bbcode", dialect="xenforo2",
        max_length=10000, sign=True, **_CLEAR,
    ),
}  # fmt: skip
# An address that is obviously not ours nor anyone's (56 base32 characters, as a v3 onion
# address has), for Tor exports in development; `make run` sets PUBLIC_ONION_URL to it.
DEMO_ONION_URL = "http://demoonlydemoonlydemoonlydemoonlydemoonlydemoonlydemoonly.onion"


@dataclass
class DemoPost:
    language: str
    kind: str
    slug: str
    author: str
    versions: list[tuple[str, RevisionContent]]  # (change note, content), oldest first
    translation_of: str = ""
    # The revision of `translation_of` this translation translates (0: its newest published).
    translates_revision: int = 0
    # What happens after the versions are written: a state content.states.bring_to_state
    # brings the post to, or "republished" (first version published and reposted, then the
    # later ones published, so the repost is outdated).
    workflow: str = PostState.DRAFT
    reviewers: tuple[str, ...] = ("rik", "sofie")  # approval order; the first requests changes
    reason: str = ""  # the reviewer's request for changes, or the editor's for withdrawing
    newer_text: str = ""  # "published_newer_draft": added to the published body...
    newer_note: str = ""  # ...with this change note
    # A drug alert whose facts show the photo of the pills (content.demo draws and uploads it).
    photographed: bool = False


MDMA_ALERT_BODY = """\
**Pills with a very high dose of MDMA are being sold as "{name}".** Lab tests of pills bought
online found {dose} of MDMA in a single pill. That is two to three times a usual dose for an adult.

## What this means

- One whole pill can cause overheating, a racing heart, seizures and serotonin toxicity.
- The risk is highest for people with a low body weight, people new to MDMA and anyone who
  combines it with alcohol or other drugs.

## If you still choose to use

1. Start with **a quarter of a pill** and wait at least two hours before taking more.
2. Do not redose on the same night, whatever you feel.
3. Take breaks from dancing, cool down, and sip about 250 ml of water an hour (not more).
4. Never use alone; tell a friend what you took.
5. Have your pills tested by a drug checking service if one is near you.

## Emergency

Feeling very hot, confused, or not sweating despite the heat? Call **112** at once and tell the
medics what was taken. They are there to help, not to arrest you.

| Warning sign | What to do |
|---|---|
| Overheating, confusion | Call 112, cool the person down |
| Chest pain, racing heart | Call 112, keep the person calm |
| Seizure | Call 112, do not hold the person down |
"""

KETAMINE_BODY = """\
Ketamine is een verdovingsmiddel. In lage doses geeft het een dromerig, zwevend gevoel; bij
hogere doses kan je in een *k-hole* terechtkomen, waarin je het contact met je omgeving verliest.

## Risico's

- **Blaasschade**: wie vaak ketamine gebruikt, kan ernstige blaasklachten krijgen (pijn, vaak en
  dringend moeten plassen, bloed in de urine). Stop en ga naar een arts bij zulke klachten.
- **Ongevallen**: je voelt pijn minder en je evenwicht is weg. Vallen en verdrinken komen voor.
- **Combinaties**: ketamine met alcohol, GHB of opioïden remt de ademhaling. Niet combineren.

## Veiliger gebruiken

1. Gebruik nooit alleen en zit of lig op een veilige plek.
2. Begin met een kleine hoeveelheid en wacht; de werking begint snel.
3. Gebruik je eigen snuifmateriaal en deel het niet (hepatitis C).
4. Las pauzes in: dagelijks gebruik verhoogt het risico op blaasschade sterk.

Vragen? Bel De DrugLijn of lees verder op hun website.
"""

MIXING_BODY = """\
Mélanger des produits multiplie souvent les risques au lieu de les additionner.

## Les mélanges les plus dangereux

| Mélange | Risque principal |
|---|---|
| Alcool + GHB/GBL | Perte de connaissance, arrêt respiratoire |
| Opioïdes + benzodiazépines | Dépression respiratoire, overdose |
| MDMA + antidépresseurs (IMAO) | Syndrome sérotoninergique |
| Cocaïne + alcool | Cocaéthylène : plus toxique pour le cœur |

## Réduire les risques

- Un seul produit à la fois, et attendez que l'effet du premier soit passé.
- Informez vos amis de ce que vous avez pris.
- En cas de malaise : appelez le **112** et mettez la personne en position latérale de sécurité.

Le tableau ne remplace pas un avis médical : si vous prenez un traitement, parlez-en à un
médecin ou à un service de réduction des risques.
"""

PILL_TESTING_BODY = """\
Home test kits (reagents) can show that a pill contains *something* like MDMA, but they cannot
tell you **how much** is in it, nor detect every dangerous adulterant.

- A reagent test changes colour: compare it with the chart that comes with the kit.
- A "good" colour does not mean the pill is safe: dose is the biggest risk with today's pills.
- Drug checking services analyse your sample in a lab and tell you what is in it and how much.

In Belgium, drug checking is offered by prevention services at set times and places; ask a local
harm-reduction service. Results stay anonymous.
"""

GHB_BODY = """\
**GHB** (and GBL, which the body turns into GHB) is a depressant sold as a liquid.

## Dosage

The difference between a dose that works and one that makes you pass out is very small.
Measure with a pipette or syringe, never "by the cap", and note the time of every dose.

## Risks

- Passing out ("going under"), vomiting while unconscious, stopped breathing.
- **Never with alcohol**, ketamine, opioids or sleeping pills.
- Daily use can lead to dependence; stopping suddenly can cause a dangerous withdrawal.
  Do not stop alone: get medical help.

## Help

Someone cannot be woken up? Call **112**, put them in the recovery position and stay with them.
"""


PMMA_BODY = """\
Pills sold as ecstasy in some Belgian cities were found to contain **PMMA** instead of MDMA.
PMMA takes longer to work and is far more toxic: people who think the pill "did not work" and
take another are at risk of a fatal overdose.

- Never take a second pill because the first "does nothing".
- Wait at least two hours.
- Overheating, muscle cramps or confusion: call **112**.
"""

MDMA_ALERT_NL_BODY = """\
**Er worden XTC-pillen met een zeer hoge dosis MDMA verkocht als "oranje Tesla".** Eén pil bevat
tot 280 mg MDMA: twee tot drie keer een gewone dosis.

1. Begin met **een kwart pil** en wacht minstens twee uur.
2. Neem dezelfde avond niet bij.
3. Pauzeer, koel af en drink ongeveer 250 ml water per uur.
4. Laat je pillen testen als dat in je buurt kan.

Oververhit, verward of zweet je niet meer? Bel meteen **112**.
"""


MDMA_ALERT_FR_BODY = """\
**Des pilules d'ecstasy très fortement dosées en MDMA sont vendues comme « Tesla orange ».** Une
pilule contient environ 250 mg de MDMA : deux à trois fois une dose habituelle.

1. Commencez par **un quart de pilule** et attendez au moins deux heures.
2. Ne reprenez pas de dose le même soir.
3. Faites des pauses, rafraîchissez-vous et buvez environ 250 ml d'eau par heure.
4. Faites analyser vos pilules si un service d'analyse existe près de chez vous.

Trop chaud, confus ou vous ne transpirez plus ? Appelez tout de suite le **112**.
"""


def alert_facts(
    *, tested_days_ago: int, valid_days: int, amount: str = "280", **changes: Any
) -> dict[str, Any]:
    """A drug alert's facts (content.alerts), dated from the day the demo is seeded: the orange
    Tesla pills, unless `changes` say otherwise."""
    tested = datetime.date.today() - datetime.timedelta(days=tested_days_ago)
    facts: dict[str, Any] = {
        "sold_as": "Ecstasy (orange Tesla)",
        "substances": [{"name": "MDMA", "amount": amount, "unit": "mg", "per": "pill"}],
        "colour": "orange",
        "logo": "Tesla",
        "shape": "shield",
        "weight_mg": "450",
        "tested_on": tested.isoformat(),
        "tested_at": "Utrecht",
        "tested_by": "Trimbos-instituut (DIMS)",
        "severity": "high_dose",
        "expires_on": (tested + datetime.timedelta(days=valid_days)).isoformat(),
    }
    return facts | changes


# The orange Tesla alert's facts: first about 250 mg, then (new lab results) up to 280 mg.
TESLA_250: dict[str, Any] = {"tested_days_ago": 20, "valid_days": 90, "amount": "250"}
TESLA_280: dict[str, Any] = {"tested_days_ago": 6, "valid_days": 90, "amount": "280"}


def _mdma(
    title: str,
    dose: str,
    name: str,
    sources: tuple[Source, ...],
    public_change_note: str = "",
    facts: dict[str, Any] | None = None,
) -> RevisionContent:
    return RevisionContent(
        facts=facts or {},
        public_change_note=public_change_note,
        title=title,
        summary=f"Lab tests found {dose} of MDMA in single pills sold as \u201c{name}\u201d.",
        body=MDMA_ALERT_BODY.format(name=name, dose=dose),
        sources=sources,
        substances=("MDMA",),
        topics=("drug alert", "dosage", "drug checking"),
    )


# A post's `workflow` may also be SCHEDULED: approved, and its publication scheduled by the
# editor SCHEDULED_IN from the time of seeding (content.demo), so the home shows it.
SCHEDULED = "scheduled"
SCHEDULED_IN = datetime.timedelta(days=3)

FESTIVAL_BODY = """\
Festival weekends mean heat, long nights and often more than one substance. A few habits keep
most people out of the first-aid tent.

- **Drink water regularly** (about 250 ml an hour when dancing) and take breaks in the shade.
- **Do not mix** alcohol with MDMA, ketamine or GHB: the combinations cause most emergencies.
- **Start low, go slow**: wait at least two hours before taking more.
- **Look after each other** and go to the first-aid post at once if someone is confused or hot.
"""

MIXING_EN_BODY = """\
Tramadol is a prescription painkiller that some people take for back pain or after an
operation. It also raises serotonin, as MDMA does.

- **Together they can cause serotonin syndrome**: fever, shaking, stiff muscles, confusion.
  Tramadol also makes seizures more likely, and MDMA adds to that risk.
- **Alcohol** adds to dehydration and overheating, and with tramadol it slows breathing.
- If you take tramadol or another prescribed medicine, tell the first-aid team what you took.
- **Call the emergency number (112)** at once if someone is very hot, confused or has a seizure.
"""

COCAINE_LEVAMISOLE_BODY = """\
**Cocaine sold in Brussels was cut with levamisole**, a veterinary dewormer. Levamisole can
lower the white blood cells that fight infection (agranulocytosis) and damage the skin.

- See a doctor if you get a fever, a sore throat or sores that do not heal after using.
- Smaller amounts and fewer nights lower the risk; testing a sample shows what is in it.
"""

DEMO_POSTS = [
    DemoPost(
        language="en",
        kind=PostKind.ARTICLE,
        slug="festival-weekend-safer-use",
        author="anna",
        workflow=SCHEDULED,
        versions=[
            (
                "For the festival weekend",
                RevisionContent(
                    title="Festival weekend: staying safe",
                    summary="Water, breaks, no mixing and looking after each other.",
                    body=FESTIVAL_BODY,
                    sources=(TRIPSIT, DRUGLIJN),
                    substances=("MDMA", "ketamine"),
                    topics=("festivals", "mixing"),
                ),
            ),
        ],
    ),
    DemoPost(
        language="en",
        kind=PostKind.DRUG_ALERT,
        slug="high-dose-mdma-pills-orange-tesla",
        photographed=True,
        author="anna",
        workflow="republished",
        versions=[
            (
                "First draft",
                _mdma(
                    "High-dose MDMA pills: orange Tesla",
                    "about 250 mg",
                    "orange Tesla",
                    (TRIMBOS,),
                    facts=alert_facts(**TESLA_250),
                ),
            ),
            (
                "Dose from the latest lab results",
                _mdma(
                    "High-dose MDMA pills: orange \u201cTesla\u201d",
                    "up to 280 mg",
                    "orange Tesla",
                    (TRIMBOS, SCIENSANO),
                    "New lab results: the pills contain up to 280 mg of MDMA, not about 250 mg.",
                    facts=alert_facts(**TESLA_280),
                ),
            ),
        ],
    ),
    DemoPost(
        language="nl",
        kind=PostKind.ARTICLE,
        slug="ketamine-veiliger-gebruiken",
        author="bram",
        workflow=PostState.IN_REVIEW,
        versions=[
            (
                "Eerste versie",
                RevisionContent(
                    title="Ketamine: veiliger gebruiken",
                    summary="Wat ketamine doet, wat de risico's zijn en hoe je ze kleiner maakt.",
                    body=KETAMINE_BODY,
                    sources=(DRUGLIJN, EUDA),
                    substances=("ketamine",),
                    topics=("safer use",),
                ),
            ),
        ],
    ),
    DemoPost(
        language="fr",
        kind=PostKind.ARTICLE,
        slug="melanges-quels-risques",
        author="anna",
        workflow=PostState.CHANGES_REQUESTED,
        reviewers=("sofie",),
        reason="Add a source for the cocaethylene claim and the date you consulted it.",
        versions=[
            (
                "Première version",
                RevisionContent(
                    title="Mélanges de produits : quels risques ?",
                    summary="Les combinaisons les plus dangereuses et comment réduire les risques.",
                    body=MIXING_BODY,
                    sources=(MODUS_VIVENDI, INFOR_DROGUES, TRIPSIT),
                    substances=("alcool", "GHB", "cocaïne", "MDMA", "opioïdes"),
                    topics=("mixing",),
                ),
            ),
        ],
    ),
    DemoPost(
        language="en",
        kind=PostKind.FAQ_ANSWER,
        slug="can-i-test-my-pills-myself",
        author="bram",
        workflow=PUBLISHED_NEWER_DRAFT,
        newer_text="\nReagent kits are sold online; buy from a known shop.\n",
        newer_note="Where to buy kits",
        versions=[
            (
                "First version",
                RevisionContent(
                    title="Can I test my pills myself?",
                    summary=(
                        "What reagent kits can and cannot tell you, and where to get a lab test."
                    ),
                    body=PILL_TESTING_BODY,
                    sources=(TRIMBOS, MODUS_VIVENDI),
                    substances=("MDMA",),
                    topics=("drug checking",),
                ),
            ),
        ],
    ),
    DemoPost(
        language="en",
        kind=PostKind.FACT_SHEET,
        slug="ghb-gbl-fact-sheet",
        author="anna",
        workflow=OVERDUE,
        versions=[
            (
                "First version",
                RevisionContent(
                    title="GHB / GBL fact sheet",
                    summary="Dosage, risks and what to do when someone goes under.",
                    body=GHB_BODY,
                    sources=(EUDA, DRUGLIJN),
                    substances=("GHB", "GBL"),
                    topics=("dosage", "overdose"),
                ),
            ),
        ],
    ),
    DemoPost(
        language="en",
        kind=PostKind.DRUG_ALERT,
        slug="pmma-sold-as-ecstasy",
        author="bram",
        workflow=PostState.WITHDRAWN,
        reason="The lab retracted the result: the pills contained MDMA after all.",
        versions=[
            (
                "First version",
                RevisionContent(
                    title="PMMA sold as ecstasy",
                    summary="Pills sold as ecstasy contained PMMA, which is far more toxic.",
                    body=PMMA_BODY,
                    facts=alert_facts(
                        tested_days_ago=40,
                        valid_days=120,
                        sold_as="Ecstasy (pink Superman)",
                        substances=[
                            {"name": "PMMA", "amount": "60", "unit": "mg", "per": "pill"},
                            {"name": "MDMA"},
                        ],
                        colour="pink",
                        logo="Superman",
                        shape="round",
                        weight_mg="",
                        tested_at="Brussels",
                        tested_by="Sciensano (Belgian Early Warning System on Drugs)",
                        severity="unexpected_substance",
                    ),
                    sources=(SCIENSANO, EUDA),
                    substances=("PMMA", "MDMA"),
                    topics=("drug alert", "overdose"),
                ),
            ),
        ],
    ),
    DemoPost(
        language="nl",
        kind=PostKind.DRUG_ALERT,
        slug="hooggedoseerde-xtc-pillen-oranje-tesla",
        photographed=True,
        author="bram",
        translation_of="high-dose-mdma-pills-orange-tesla",
        workflow=PostState.PUBLISHED,
        versions=[
            (
                "Vertaling van de Engelse waarschuwing",
                RevisionContent(
                    title="Hooggedoseerde XTC-pillen: oranje \u201cTesla\u201d",
                    summary="Labotests vonden tot 280 mg MDMA in één pil.",
                    body=MDMA_ALERT_NL_BODY,
                    facts=alert_facts(
                        **TESLA_280, sold_as="XTC (oranje Tesla)", colour="oranje", shape="schild"
                    ),
                    sources=(TRIMBOS, SCIENSANO, DRUGLIJN),
                    substances=("MDMA",),
                    topics=("drug alert", "dosage"),
                ),
            ),
        ],
    ),
    # A translation just started ("Translate into English"): still a draft holding the Dutch text.
    DemoPost(
        language="en",
        kind=PostKind.ARTICLE,
        slug="ketamine-safer-use",
        author="bram",
        translation_of="ketamine-veiliger-gebruiken",
        versions=[
            (
                "Translation of revision 1, not yet translated",
                RevisionContent(
                    title="Ketamine: safer use",
                    summary="Wat ketamine doet, wat de risico's zijn en hoe je ze kleiner maakt.",
                    body=KETAMINE_BODY,
                    sources=(DRUGLIJN, EUDA),
                    substances=("ketamine",),
                    topics=("safer use",),
                ),
            ),
        ],
    ),
    # Translated from the first English version (about 250 mg): the English alert has since
    # published the 280 mg dose, which matters for safety, so this one is behind its source.
    DemoPost(
        language="fr",
        kind=PostKind.DRUG_ALERT,
        slug="pilules-mdma-fortement-dosees-tesla-orange",
        photographed=True,
        author="anna",
        translation_of="high-dose-mdma-pills-orange-tesla",
        translates_revision=1,
        workflow=PostState.PUBLISHED,
        versions=[
            (
                "Traduction de l'alerte anglaise",
                RevisionContent(
                    title="Pilules de MDMA fortement dosées : Tesla orange",
                    summary="Des analyses ont trouvé environ 250 mg de MDMA dans une pilule.",
                    body=MDMA_ALERT_FR_BODY,
                    facts=alert_facts(
                        **TESLA_250, sold_as="Ecstasy (Tesla orange)", shape="écusson"
                    ),
                    sources=(TRIMBOS, MODUS_VIVENDI),
                    substances=("MDMA",),
                    topics=("drug alert", "dosage"),
                ),
            ),
        ],
    ),
    # A drug alert whose warning held until a month ago ("Valid until" in the past): issue 14's
    # expired alert (an expired alert leaves the active list; content.alerts.expires_on).
    DemoPost(
        language="en",
        kind=PostKind.DRUG_ALERT,
        slug="cocaine-cut-with-levamisole",
        author="anna",
        workflow=PostState.PUBLISHED,
        versions=[
            (
                "First version",
                RevisionContent(
                    title="Cocaine cut with levamisole",
                    summary="Lab tests found levamisole, a dewormer, in cocaine sold in Brussels.",
                    body=COCAINE_LEVAMISOLE_BODY,
                    sources=(SCIENSANO, EUDA),
                    substances=("cocaine",),
                    topics=("drug alert", "drug checking"),
                    facts=alert_facts(
                        tested_days_ago=120,
                        valid_days=90,
                        sold_as="Cocaine",
                        substances=[
                            {"name": "Cocaine", "amount": "62", "unit": "%", "per": "gram"},
                            {"name": "Levamisole", "amount": "11", "unit": "%", "per": "gram"},
                        ],
                        colour="white",
                        logo="",
                        shape="powder",
                        weight_mg="",
                        tested_at="Brussels",
                        tested_by="Modus Vivendi (drug checking)",
                        severity="dangerous_adulterant",
                    ),
                ),
            ),
        ],
    ),
    # Names MDMA, tramadol and alcohol: the interaction table (migration 0027) puts a warning
    # about the dangerous pairs before the text, on the public page and in every export.
    DemoPost(
        language="en",
        kind=PostKind.ARTICLE,
        slug="mdma-tramadol-alcohol",
        author="bram",
        workflow=PostState.PUBLISHED,
        versions=[
            (
                "First version",
                RevisionContent(
                    title="MDMA with tramadol or alcohol",
                    summary="Why some painkillers and drink do not mix with MDMA.",
                    body=MIXING_EN_BODY,
                    sources=(TRIPSIT, EUDA),
                    substances=("MDMA", "tramadol", "alcohol"),
                    topics=("mixing",),
                ),
            ),
        ],
    ),
]


@dataclass(frozen=True)
class DemoComment:
    """A thread of the demo's review discussion: a comment (quoting `quote` of the revision,
    if given), its replies as (user name, text), and who resolved it ("": still open)."""

    author: str
    body: str
    quote: str = ""
    replies: tuple[tuple[str, str], ...] = ()
    resolved_by: str = ""


# The review discussion on the post in review (language, slug): one open thread on a quoted
# passage, answered by the author, and one thread the author resolved.
DISCUSSED = ("nl", "ketamine-veiliger-gebruiken")
DEMO_DISCUSSION = [
    DemoComment(
        author="rik",
        quote="Begin met een kleine hoeveelheid en wacht; de werking begint snel.",
        body=(
            "Lezers zullen vragen hoeveel 'een kleine hoeveelheid' is. Kunnen we een richtwaarde "
            "geven, met een bron, en zeggen hoe lang 'wachten' is?"
        ),
        replies=(
            (
                "bram",
                "De DrugLijn noemt geen getal. Ik vraag het na bij Modus Vivendi en pas de zin "
                "aan zodra ik een bron heb.",
            ),
        ),
    ),
    DemoComment(
        author="sofie",
        quote="Las pauzes in",
        body="'Inlassen' is correct, maar 'Neem pauzes' leest makkelijker voor wie snel leest.",
        resolved_by="bram",
    ),
]
