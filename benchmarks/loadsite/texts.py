"""Made-up but realistic Markdown for the load benchmark: posts of 2-10 KB, and larger texts.

Everything is drawn from a seeded random.Random, so a seed gives the same texts on every machine.
The words are harm-reduction prose (doses, interactions, emergencies) with the Markdown a real
post has (headings, lists, emphasis, links, tables, quotes, code), and never a team member's
name, an internal host or a phone number: the opsec check would flag them on studio pages.
"""

from __future__ import annotations

import random

SUBSTANCES = (
    "MDMA", "Cocaine", "Ketamine", "GHB", "Amphetamine", "Cannabis", "Alcohol", "Nitrous oxide",
    "3-MMC", "Heroin", "Methamphetamine", "Mephedrone",
)  # fmt: skip
TOPICS = (
    "Dosing", "Mixing", "Emergencies", "Drug checking", "Festivals", "Overdose", "Legal",
    "Aftercare", "Sleep", "Hydration", "Injecting", "Sexual health",
)  # fmt: skip
LANGUAGES = (("nl", 5), ("fr", 3), ("en", 2))  # code, weight

_WORDS = (
    "dose", "start", "low", "slow", "wait", "effects", "risk", "friend", "water", "break",
    "heat", "heart", "pill", "powder", "crystal", "test", "kit", "reagent", "service",
    "redose", "mixing", "alcohol", "sleep", "food", "body", "weight", "tolerance", "night",
    "festival", "club", "ambulance", "medics", "help", "calm", "breathing", "position",
    "recovery", "symptoms", "overheating", "confusion", "seizure", "nausea", "anxiety",
    "hours", "minutes", "half", "quarter", "scale", "milligram", "label", "bottle", "sip",
    "cool", "shade", "rest", "signs", "serotonin", "interaction", "medication", "doctor",
    "pharmacy", "advice", "information", "reviewed", "evidence", "study", "report", "lab",
)  # fmt: skip

_HEADINGS = (
    "What this means", "If you still choose to use", "Warning signs", "What to do in an emergency",
    "Combinations to avoid", "Getting your drugs tested", "After the night", "Know your dose",
    "Where to get help", "Why this matters", "What we found", "Questions readers ask",
)  # fmt: skip


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(_WORDS) for _ in range(words)]
    if rng.random() < 0.3:
        chosen[rng.randrange(words)] = f"**{rng.choice(_WORDS)}**"
    if rng.random() < 0.2:
        chosen[rng.randrange(words)] = f"*{rng.choice(_WORDS)}*"
    if rng.random() < 0.15:
        chosen.insert(rng.randrange(words), f"{rng.randint(5, 300)} mg")
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random) -> str:
    sentences = [_sentence(rng, rng.randint(6, 16)) for _ in range(rng.randint(2, 5))]
    if rng.random() < 0.3:
        n = rng.randint(1, 999)
        sentences.append(f"See [the study](https://example.org/studies/{n}) for details.")
    return " ".join(sentences)


def _block(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.45:
        return _paragraph(rng)
    if kind < 0.6:
        return "\n".join(
            f"- {_sentence(rng, rng.randint(4, 10))}" for _ in range(rng.randint(3, 6))
        )
    if kind < 0.72:
        items = range(1, rng.randint(3, 6) + 1)
        return "\n".join(f"{n}. {_sentence(rng, rng.randint(4, 10))}" for n in items)
    if kind < 0.82:
        return f"> {_sentence(rng, rng.randint(8, 16))}"
    if kind < 0.92:
        rows = [
            f"| {rng.choice(SUBSTANCES)} | {rng.randint(5, 200)} mg | {rng.randint(10, 90)} min |"
            for _ in range(rng.randint(2, 5))
        ]
        return "\n".join(["| Substance | Common dose | Onset |", "|---|---:|---|", *rows])
    return f"```\n{rng.randint(50, 250)} mg / {rng.randint(5, 20)} ml = one measured dose\n```"


def markdown_body(rng: random.Random, target_chars: int) -> str:
    """A Markdown body of about `target_chars` characters (never more than 2% over)."""
    parts: list[str] = [_paragraph(rng)]
    size = len(parts[0])
    while size < target_chars:
        block = f"## {rng.choice(_HEADINGS)}" if rng.random() < 0.25 else _block(rng)
        parts.append(block)
        size += len(block) + 2
    return "\n\n".join(parts)[: target_chars + target_chars // 50].rstrip() + "\n"


def title(rng: random.Random, number: int) -> str:
    substance = rng.choice(SUBSTANCES)
    shape = rng.choice(
        (
            "{s}: what to know before you use",
            "Dosing {s} safely",
            "{s} and alcohol: a risky mix",
            "Alert: strong {s} in circulation",
            "Questions about {s}",
            "{s} fact sheet",
        )
    )
    return f"{shape.format(s=substance)} ({number})"


def summary(rng: random.Random) -> str:
    return _sentence(rng, rng.randint(10, 25))
