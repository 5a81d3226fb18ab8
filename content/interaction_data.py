"""The interaction table every installation starts with (migration 0027 writes it once).

Substances with their aliases, and pairs with a level (content.models.InteractionLevel codes)
and a one-sentence explanation in Dutch, French and English. Levels follow the TripSit
combinations chart; the explanations are ours: what happens in the body, never a dose. Editors
change the table in the studio afterwards, where each change needs another person's approval.
"""

from __future__ import annotations

# Canonical name -> other names (spelling differences such as "3 MMC" or "kétamine" need no
# alias: names are compared as tags are, accents dropped).
SUBSTANCES: dict[str, tuple[str, ...]] = {
    "MDMA": ("XTC", "ecstasy", "molly", "mandy", "3,4-methylenedioxymethamphetamine"),
    "alcohol": ("alcool", "ethanol"),
    "tramadol": ("Tramal", "Contramal"),
    "ketamine": ("ket",),
    "cocaine": ("coke",),
    "GHB": ("GBL", "GHB/GBL", "1,4-butanediol"),
    "opioids": ("opioïdes", "opioïden", "opiaten", "opiates", "heroin", "heroïne"),
    "benzodiazepines": ("benzo", "benzos", "benzodiazepine"),
    "PMMA": ("PMA", "para-methoxymethamphetamine"),
    "3-MMC": ("3-methylmethcathinone", "metaphedrone"),
    "amphetamine": ("speed", "amfetamine", "amphetamines"),
    "cannabis": ("weed", "wiet", "hasj", "THC"),
    "MAOIs": ("MAOI", "IMAO", "MAO-remmers", "MAO inhibitors"),
    "SSRIs": ("SSRI", "ISRS", "antidepressants", "antidepressiva"),
}

D, U, C = "dangerous", "unsafe", "caution"

# (substance, substance, level, English, Dutch, French)
PAIRS: list[tuple[str, str, str, str, str, str]] = [
    (
        "MDMA", "tramadol", D,
        "Both raise serotonin: risk of serotonin syndrome and of seizures.",
        "Beide verhogen serotonine: kans op serotoninesyndroom en op epileptische aanvallen.",
        "Les deux augmentent la sérotonine : risque de syndrome sérotoninergique et de "
        "convulsions.",
    ),
    (
        "MDMA", "alcohol", C,
        "Alcohol adds to dehydration and overheating and hides how strong the MDMA is.",
        "Alcohol verergert uitdroging en oververhitting en verbergt hoe sterk de MDMA werkt.",
        "L'alcool aggrave la déshydratation et la surchauffe et masque l'effet de la MDMA.",
    ),
    (
        "MDMA", "PMMA", D,
        "PMMA acts late; taking more MDMA while waiting can lead to fatal overheating.",
        "PMMA werkt laat; wie intussen meer MDMA neemt, riskeert dodelijke oververhitting.",
        "La PMMA agit tard ; reprendre de la MDMA en attendant peut causer une surchauffe "
        "mortelle.",
    ),
    (
        "MDMA", "MAOIs", D,
        "MAO inhibitors block the breakdown of MDMA: severe serotonin syndrome can follow.",
        "MAO-remmers blokkeren de afbraak van MDMA: er kan een ernstig serotoninesyndroom volgen.",
        "Les IMAO bloquent la dégradation de la MDMA : un syndrome sérotoninergique grave peut "
        "suivre.",
    ),
    (
        "MDMA", "SSRIs", "low_decrease",
        "SSRIs mostly weaken MDMA's effect; taking more to compensate adds risk.",
        "SSRI's verzwakken meestal het effect van MDMA; bijnemen om dat te compenseren is riskant.",
        "Les ISRS affaiblissent surtout l'effet de la MDMA ; en reprendre pour compenser est "
        "risqué.",
    ),
    (
        "MDMA", "cocaine", U,
        "Two stimulants together strain the heart and raise body temperature.",
        "Twee stimulerende middelen samen belasten het hart en verhogen de lichaamstemperatuur.",
        "Deux stimulants ensemble fatiguent le cœur et font monter la température du corps.",
    ),
    (
        "MDMA", "ketamine", "low_synergy",
        "The effects add up; confusion and falls are more likely.",
        "De effecten versterken elkaar; verwarring en vallen worden waarschijnlijker.",
        "Les effets s'additionnent ; confusion et chutes deviennent plus probables.",
    ),
    (
        "MDMA", "GHB", C,
        "GHB's dose is hard to judge and MDMA hides how sedated you are.",
        "De dosis GHB is moeilijk in te schatten en MDMA verbergt hoe verdoofd u bent.",
        "La dose de GHB est difficile à juger et la MDMA masque à quel point vous êtes sédaté.",
    ),
    (
        "MDMA", "3-MMC", U,
        "Two stimulants together strain the heart and raise body temperature.",
        "Twee stimulerende middelen samen belasten het hart en verhogen de lichaamstemperatuur.",
        "Deux stimulants ensemble fatiguent le cœur et font monter la température du corps.",
    ),
    (
        "ketamine", "alcohol", D,
        "Both depress breathing; vomiting while unconscious can choke.",
        "Beide remmen de ademhaling; braken tijdens bewusteloosheid kan tot verstikking leiden.",
        "Les deux freinent la respiration ; vomir en étant inconscient peut étouffer.",
    ),
    (
        "cocaine", "alcohol", U,
        "Together they form cocaethylene, which is harder on the heart and liver than either.",
        "Samen vormen ze cocaëthyleen, dat zwaarder is voor hart en lever dan elk apart.",
        "Ensemble ils forment du cocaéthylène, plus dur pour le cœur et le foie que chacun seul.",
    ),
    (
        "GHB", "alcohol", D,
        "Both depress breathing; together they often cause unconsciousness and can kill.",
        "Beide remmen de ademhaling; samen leiden ze vaak tot bewusteloosheid en kunnen ze doden.",
        "Les deux freinent la respiration ; ensemble ils causent souvent une perte de "
        "connaissance et peuvent tuer.",
    ),
    (
        "GHB", "ketamine", D,
        "Both sedate; together they can stop breathing and cause choking on vomit.",
        "Beide verdoven; samen kunnen ze de ademhaling stilleggen en verstikking door braaksel "
        "veroorzaken.",
        "Les deux sédatent ; ensemble ils peuvent arrêter la respiration et causer un étouffement "
        "par vomissement.",
    ),
    (
        "GHB", "cocaine", C,
        "The stimulant hides how sedated you are; when it wears off, GHB can knock you out.",
        "Het stimulerende middel verbergt hoe verdoofd u bent; als het uitwerkt, kan GHB u "
        "bewusteloos maken.",
        "Le stimulant masque la sédation ; quand il s'estompe, le GHB peut vous faire perdre "
        "connaissance.",
    ),
    (
        "GHB", "opioids", D,
        "Both depress breathing; together the risk of a fatal overdose is high.",
        "Beide remmen de ademhaling; samen is de kans op een dodelijke overdosis groot.",
        "Les deux freinent la respiration ; ensemble le risque d'overdose mortelle est élevé.",
    ),
    (
        "opioids", "alcohol", D,
        "Both depress breathing; most fatal opioid overdoses involve another depressant.",
        "Beide remmen de ademhaling; bij de meeste dodelijke opioïdenoverdosissen speelt een "
        "ander verdovend middel mee.",
        "Les deux freinent la respiration ; la plupart des overdoses mortelles d'opioïdes "
        "impliquent un autre dépresseur.",
    ),
    (
        "opioids", "benzodiazepines", D,
        "Both depress breathing; together the risk of a fatal overdose is high.",
        "Beide remmen de ademhaling; samen is de kans op een dodelijke overdosis groot.",
        "Les deux freinent la respiration ; ensemble le risque d'overdose mortelle est élevé.",
    ),
    (
        "opioids", "cocaine", D,
        "The stimulant hides the opioid's effect; when it wears off, breathing can stop.",
        "Het stimulerende middel verbergt het effect van het opioïde; als het uitwerkt, kan de "
        "ademhaling stoppen.",
        "Le stimulant masque l'effet de l'opioïde ; quand il s'estompe, la respiration peut "
        "s'arrêter.",
    ),
    (
        "tramadol", "alcohol", D,
        "Both depress breathing, and the mix raises the risk of seizures.",
        "Beide remmen de ademhaling, en de combinatie verhoogt de kans op epileptische aanvallen.",
        "Les deux freinent la respiration, et le mélange augmente le risque de convulsions.",
    ),
    (
        "tramadol", "SSRIs", D,
        "Both raise serotonin: risk of serotonin syndrome and of seizures.",
        "Beide verhogen serotonine: kans op serotoninesyndroom en op epileptische aanvallen.",
        "Les deux augmentent la sérotonine : risque de syndrome sérotoninergique et de "
        "convulsions.",
    ),
    (
        "benzodiazepines", "alcohol", D,
        "Both depress breathing; blackouts and fatal overdoses are far more likely together.",
        "Beide remmen de ademhaling; black-outs en dodelijke overdosissen zijn samen veel "
        "waarschijnlijker.",
        "Les deux freinent la respiration ; trous noirs et overdoses mortelles sont bien plus "
        "probables ensemble.",
    ),
    (
        "3-MMC", "alcohol", C,
        "Alcohol hides how strong the stimulant is and both strain the heart.",
        "Alcohol verbergt hoe sterk het stimulerende middel werkt en beide belasten het hart.",
        "L'alcool masque la force du stimulant et les deux fatiguent le cœur.",
    ),
    (
        "amphetamine", "alcohol", C,
        "The stimulant hides how drunk you are; people drink more than they notice.",
        "Het stimulerende middel verbergt hoe dronken u bent; men drinkt meer dan men merkt.",
        "Le stimulant masque l'ivresse ; on boit plus qu'on ne le remarque.",
    ),
    (
        "cannabis", "alcohol", C,
        "Alcohol first, then cannabis, often causes nausea, dizziness and fainting.",
        "Eerst alcohol en dan cannabis leidt vaak tot misselijkheid, duizeligheid en flauwvallen.",
        "L'alcool puis le cannabis provoquent souvent nausées, vertiges et malaises.",
    ),
]
