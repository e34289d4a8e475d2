"""Synthetic domain text for the language-model lessons and labs: documented grammars.

No public corpus of clinical notes, bank statements, shipment messages or lesson plans
can be bundled, so these stochastic grammars write them. Each industry has a few kinds of
document, each a template whose slots are filled from lexicons with *facts* that hold
across the document (a patient's surname comes back as "Ms. Lopez" ten lines later, a
drug is written with one of its real regimens, a shipment keeps its number, origin and
destination from pickup to delivery, a statement's balance follows its transactions).
That is what makes the text worth modelling: local spelling and formats are easy, the
facts and the long-range consistency are not.

    style = make_style("medicine", seed=7)        # the hidden parametrisation
    text = generate("medicine", 20_000, seed=1, style=style)

A :class:`Style` fixes what a real source would fix: which people and places occur
(a subset of the name and place lexicons), which kinds of document are common (weights
drawn from a Dirichlet distribution), which part of the domain lexicon is used and how
often (conditions, subjects, companies, goods), and house conventions (the date format,
the currency or weight unit, some headings). The labs draw the style from the grader's
secret seed, so reading this code tells a learner the grammar but not the text it is
graded on. ``generate(industry, n, seed)`` without a style draws one from ``seed``.

The kinds of document (each a few lines; the lexicons are the constants below):

- **medicine**: discharge summaries (patient, age, dates of admission and discharge,
  diagnosis, history, vital signs that fit the diagnosis, an investigation, treatment
  with drug regimens from :data:`DRUGS`, follow-up), progress notes (S/O/A/P) and
  referral letters. One bias is built in on purpose, as real records carry it: the
  doctors named in the notes (follow-up, signatures) are women 25% of the time, the
  patients 50%.
- **finance**: account statements (card payments and salaries with a running
  balance that adds up), market reports (an index, its move, a driver, a company and
  its sector) and credit memos (a loan request and the decision).
- **logistics**: tracking threads (one shipment number from pickup through the hub,
  sometimes a delay, to the signed delivery), depot reports, and exception threads
  that end with a damage claim for the same shipment.
- **education**: lesson plans (grade, subject, topic, objective, three timed
  activities that add up to the lesson's length, homework), quiz feedback whose
  comment follows the score, and report cards.

Every character lies in :data:`ALPHABET` (newline and printable ASCII). Documents are
separated by one blank line. Only the standard library and NumPy are imported: learners
may import this module inside the grading sandbox.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "ALPHABET",
    "DRUGS",
    "FEMALE_NAMES",
    "INDUSTRIES",
    "MALE_NAMES",
    "Style",
    "generate",
    "make_style",
]

INDUSTRIES = ("education", "medicine", "finance", "logistics")
#: Every character a generator may write: newline, then ASCII 32 (space) to 126 (~).
ALPHABET = "\n" + "".join(chr(c) for c in range(32, 127))

FEMALE_NAMES = (
    "Maria", "Aisha", "Yuki", "Fatima", "Mei", "Sofia", "Elena", "Hana", "Priya", "Chloe",
    "Ana", "Zara", "Leila", "Ingrid", "Amara", "Lina", "Nadia", "Rosa", "Grace", "Mina",
)  # fmt: skip
MALE_NAMES = (
    "Wei", "John", "Carlos", "Liam", "Omar", "Arjun", "Kwame", "Lucas", "Ivan", "Tariq",
    "Jin", "Noah", "Mateo", "Kenji", "David", "Pedro", "Felix", "Sami", "Hugo", "Oscar",
)  # fmt: skip
SURNAMES = (
    "Lopez", "Chen", "Khan", "Smith", "Tanaka", "Silva", "Haddad", "Murphy", "Wang", "Nasser",
    "Rossi", "Patel", "Novak", "Mensah", "Kim", "Martin", "Sharma", "Petrov", "Dubois", "Aziz",
    "Santos", "Li", "Okafor", "Brown", "Karimi", "Garcia", "Larsen", "Sato", "Diallo", "Cohen",
    "Zhang", "Costa", "Ibrahim", "Weber", "Moreno", "Yilmaz", "Walker", "Fischer", "Park", "Ali",
)  # fmt: skip
CITIES = (
    "Rotterdam", "Lyon", "Hamburg", "Milan", "Warsaw", "Madrid", "Vienna", "Prague",
    "Antwerp", "Porto", "Munich", "Lille", "Gdansk", "Turin", "Bilbao", "Leipzig",
    "Shanghai", "Ningbo", "Shenzhen", "Busan", "Osaka", "Singapore", "Dubai", "Mumbai",
    "Chicago", "Dallas", "Memphis", "Toronto", "Atlanta", "Denver", "Seattle", "Houston",
)  # fmt: skip
MONTHS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip

# --- medicine lexicon -----------------------------------------------------------------

#: drug -> the regimens (dose, route, frequency) it is written with; the only valid facts.
DRUGS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "amoxicillin": (("500 mg", "PO", "three times daily"), ("1 g", "PO", "three times daily")),
    "ceftriaxone": (("1 g", "IV", "once daily"), ("2 g", "IV", "once daily")),
    "azithromycin": (("500 mg", "PO", "once daily"),),
    "nitrofurantoin": (("100 mg", "PO", "twice daily"),),
    "flucloxacillin": (("500 mg", "PO", "four times daily"), ("1 g", "IV", "four times daily")),
    "metformin": (("500 mg", "PO", "twice daily"), ("1 g", "PO", "twice daily")),
    "insulin glargine": (("10 units", "SC", "at night"), ("20 units", "SC", "at night")),
    "furosemide": (("40 mg", "PO", "once daily"), ("40 mg", "IV", "twice daily")),
    "bisoprolol": (("2.5 mg", "PO", "once daily"), ("5 mg", "PO", "once daily")),
    "ramipril": (("2.5 mg", "PO", "once daily"), ("5 mg", "PO", "once daily")),
    "amlodipine": (("5 mg", "PO", "once daily"), ("10 mg", "PO", "once daily")),
    "apixaban": (("5 mg", "PO", "twice daily"),),
    "atorvastatin": (("20 mg", "PO", "at night"), ("40 mg", "PO", "at night")),
    "salbutamol": (("100 mcg", "inhaled", "as needed"),),
    "prednisolone": (("40 mg", "PO", "once daily"),),
    "paracetamol": (("1 g", "PO", "four times daily"),),
    "sumatriptan": (("50 mg", "PO", "as needed"),),
}

# condition -> (symptoms, drugs, investigations, febrile, clinic)
CONDITIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool, str]] = {
    "community-acquired pneumonia": (
        ("cough", "fever", "shortness of breath", "pleuritic chest pain"),
        ("amoxicillin", "ceftriaxone", "azithromycin", "paracetamol"),
        ("chest X-ray showed right lower lobe consolidation", "CRP 142 mg/L", "WCC 15.2"),
        True,
        "respiratory",
    ),
    "urinary tract infection": (
        ("dysuria", "urinary frequency", "fever", "lower abdominal pain"),
        ("nitrofurantoin", "ceftriaxone", "paracetamol"),
        ("urine dipstick positive for nitrites", "urine culture grew E. coli", "CRP 64 mg/L"),
        True,
        "urology",
    ),
    "cellulitis": (
        ("a red, swollen left leg", "fever", "pain on walking"),
        ("flucloxacillin", "paracetamol"),
        ("WCC 13.1", "CRP 88 mg/L", "ultrasound excluded a deep vein thrombosis"),
        True,
        "dermatology",
    ),
    "heart failure": (
        ("breathlessness on exertion", "ankle swelling", "orthopnoea"),
        ("furosemide", "bisoprolol", "ramipril"),
        ("BNP 1840 ng/L", "echo showed an ejection fraction of 35%", "chest X-ray: effusions"),
        False,
        "cardiology",
    ),
    "atrial fibrillation": (
        ("palpitations", "dizziness", "breathlessness"),
        ("bisoprolol", "apixaban"),
        ("ECG showed atrial fibrillation at 128 bpm", "TSH normal", "echo: normal valves"),
        False,
        "cardiology",
    ),
    "COPD exacerbation": (
        ("worsening cough", "green sputum", "wheeze", "shortness of breath"),
        ("prednisolone", "salbutamol", "amoxicillin"),
        ("chest X-ray: hyperinflation, no consolidation", "pH 7.36, pCO2 6.1 kPa"),
        False,
        "respiratory",
    ),
    "asthma attack": (
        ("wheeze", "chest tightness", "night-time cough"),
        ("salbutamol", "prednisolone"),
        ("peak flow 55% of best", "chest X-ray normal"),
        False,
        "respiratory",
    ),
    "type 2 diabetes": (
        ("thirst", "polyuria", "tiredness", "weight loss"),
        ("metformin", "insulin glargine", "atorvastatin"),
        ("HbA1c 74 mmol/mol", "fasting glucose 11.2 mmol/L", "eGFR 68"),
        False,
        "diabetes",
    ),
    "hypertension": (
        ("headaches", "blurred vision", "dizziness"),
        ("amlodipine", "ramipril", "atorvastatin"),
        ("ECG: left ventricular hypertrophy", "eGFR 74", "urine ACR 4.2"),
        False,
        "hypertension",
    ),
    "migraine": (
        ("throbbing headache", "nausea", "sensitivity to light"),
        ("sumatriptan", "paracetamol"),
        ("CT head normal", "neurological examination normal"),
        False,
        "neurology",
    ),
}
COMORBIDITIES = (
    "hypertension", "type 2 diabetes", "asthma", "hypothyroidism", "osteoarthritis",
    "chronic kidney disease stage 3", "depression", "gout", "previous stroke", "obesity",
)  # fmt: skip

# --- finance lexicon ------------------------------------------------------------------

MERCHANTS = (
    ("GROCERY", ("FRESHMART", "GREEN BASKET", "CITY FOODS", "DAILY GROCER")),
    ("FUEL", ("SHELL", "ARAL", "ESSO", "TOTAL")),
    ("RESTAURANT", ("NOODLE BAR", "PIZZERIA ROMA", "THE OLD MILL", "SUSHI GO")),
    ("TRANSPORT", ("METRO TICKETS", "RAILWAYS", "CITY TAXI")),
    ("ONLINE", ("AMAZON MKTPLACE", "APP STORE", "STREAMPLUS")),
    ("PHARMACY", ("HEALTH PHARMACY", "CARE CHEMIST")),
)
COMPANIES = (
    ("Siemens", "industrials"), ("Tencent", "technology"), ("HSBC", "banks"),
    ("Nestle", "consumer staples"), ("Toyota", "autos"), ("Shell", "energy"),
    ("Novartis", "healthcare"), ("Alibaba", "technology"), ("BNP Paribas", "banks"),
    ("Unilever", "consumer staples"), ("BYD", "autos"), ("TotalEnergies", "energy"),
    ("Sanofi", "healthcare"), ("ASML", "technology"), ("Maersk", "industrials"),
)  # fmt: skip
INDICES = (
    ("DAX", 18_000), ("FTSE 100", 8_000), ("CAC 40", 7_600), ("Nikkei 225", 38_000),
    ("Hang Seng", 17_500), ("S&P 500", 5_200), ("Euro Stoxx 50", 4_900),
)  # fmt: skip
DRIVERS = (
    "inflation data came in below forecasts", "bond yields fell", "oil prices rose",
    "the central bank held rates", "earnings beat expectations", "trade data disappointed",
    "the currency weakened", "factory orders slowed",
)  # fmt: skip

# --- logistics lexicon ----------------------------------------------------------------

GOODS = (
    "auto parts", "frozen seafood", "electronics", "textiles", "pharmaceuticals",
    "furniture", "machine spares", "wine", "paper rolls", "solar panels",
)  # fmt: skip
CARRIERS = ("NordFreight", "TransAsia", "EuroLine", "BlueRoad", "SkyCargo", "RailLink")
DELAYS = (
    "customs inspection", "missed connection at the hub", "road closure", "driver hours limit",
    "weather at origin", "wrong address on the label", "vehicle breakdown",
)  # fmt: skip

# --- education lexicon ----------------------------------------------------------------

SUBJECTS: dict[str, tuple[tuple[str, str], ...]] = {
    # subject -> (topic, an objective)
    "Mathematics": (
        ("fractions", "add fractions with unlike denominators"),
        ("linear equations", "solve equations with the unknown on both sides"),
        ("probability", "compute the probability of two independent events"),
        ("Pythagoras", "find a missing side of a right-angled triangle"),
    ),
    "Physics": (
        ("forces", "draw free-body diagrams and find the resultant force"),
        ("electric circuits", "apply Ohm's law to series circuits"),
        ("waves", "relate wave speed, frequency and wavelength"),
    ),
    "Biology": (
        ("photosynthesis", "explain how light intensity affects the rate of photosynthesis"),
        ("cells", "compare plant and animal cells under the microscope"),
        ("genetics", "use Punnett squares to predict offspring ratios"),
    ),
    "English": (
        ("persuasive writing", "structure a persuasive paragraph with evidence"),
        ("poetry", "identify imagery and its effect in a poem"),
        ("grammar", "use relative clauses correctly"),
    ),
    "History": (
        ("the industrial revolution", "explain two causes of urban growth"),
        ("the Silk Road", "describe how trade spread ideas and goods"),
    ),
    "Computing": (
        ("loops", "write a loop that sums a list of numbers"),
        ("algorithms", "trace a binary search by hand"),
    ),
}
ACTIVITIES = (
    "think-pair-share", "worked examples on the board", "group investigation",
    "individual practice", "exit ticket", "peer marking", "mini whiteboard quiz",
    "card sort", "class discussion",
)  # fmt: skip


@dataclass(frozen=True)
class Style:
    """The hidden parametrisation of one source of text (see the module docstring)."""

    industry: str
    women: tuple[str, ...]  # the first names that occur (women's, men's)
    men: tuple[str, ...]
    surnames: tuple[str, ...]
    places: tuple[str, ...]  # hospitals' towns, shops' cities, depots, schools
    kinds: dict[str, float]  # kind of document -> probability
    lexicon: dict[str, float]  # domain items in use (conditions, subjects, ...) -> weight
    date_format: str  # "iso" (2024-03-05), "dmy" (05 Mar 2024) or "us" (03/05/2024)
    unit: str  # finance: the currency; logistics: the weight unit; otherwise ""
    headings: int  # which house wording of headings (0 or 1)
    year: int


KINDS = {
    "medicine": ("discharge", "progress", "referral"),
    "finance": ("statement", "market", "memo"),
    "logistics": ("tracking", "depot", "exception"),
    "education": ("plan", "feedback", "report"),
}


def make_style(industry: str, seed: int) -> Style:
    """Draw a source's parametrisation: people, places, kinds, lexicon and conventions."""
    _check_industry(industry)
    rng = np.random.default_rng(seed)
    lexicon = {
        "medicine": list(CONDITIONS),
        "finance": [name for name, _ in COMPANIES],
        "logistics": list(GOODS),
        "education": list(SUBJECTS),
    }[industry]
    keep = rng.choice(len(lexicon), size=max(2, int(round(0.7 * len(lexicon)))), replace=False)
    weights = rng.dirichlet(np.full(len(keep), 0.8))
    kinds = rng.dirichlet(np.full(3, 2.0))
    unit = {
        "finance": str(rng.choice(["EUR", "USD", "GBP", "CNY"])),
        "logistics": str(rng.choice(["kg", "lb"])),
    }.get(industry, "")
    return Style(
        industry=industry,
        women=tuple(str(n) for n in rng.choice(FEMALE_NAMES, size=8, replace=False)),
        men=tuple(str(n) for n in rng.choice(MALE_NAMES, size=8, replace=False)),
        surnames=tuple(str(n) for n in rng.choice(SURNAMES, size=16, replace=False)),
        places=tuple(str(c) for c in rng.choice(CITIES, size=8, replace=False)),
        kinds={k: float(p) for k, p in zip(KINDS[industry], kinds, strict=True)},
        lexicon={lexicon[int(i)]: float(w) for i, w in zip(keep, weights, strict=True)},
        date_format=str(rng.choice(["iso", "dmy", "us"])),
        unit=unit,
        headings=int(rng.integers(2)),
        year=int(rng.integers(2019, 2026)),
    )


def generate(industry: str, n_chars: int, seed: int = 0, style: Style | None = None) -> str:
    """Whole documents of one industry, separated by blank lines, until ``n_chars`` is reached.

    The text is cut at ``n_chars`` characters (possibly mid-document). ``style`` defaults
    to ``make_style(industry, seed)``; documents are drawn from ``seed``, so two seeds
    with one style give two samples of the same source.
    """
    _check_industry(industry)
    if not isinstance(n_chars, int | np.integer) or n_chars < 1:
        raise ValueError(f"n_chars must be a positive integer, got {n_chars!r}")
    style = style if style is not None else make_style(industry, seed)
    if style.industry != industry:
        raise ValueError(f"style is for {style.industry!r}, not {industry!r}")
    rng = np.random.default_rng([seed, 1])
    kinds, probs = list(style.kinds), np.array(list(style.kinds.values()))
    parts, total = [], -2  # the joined length: each document after the first adds 2 for "\n\n"
    while total < n_chars:
        kind = kinds[int(rng.choice(len(kinds), p=probs))]
        doc = _WRITERS[industry](rng, style, kind)
        parts.append(doc)
        total += len(doc) + 2
    return "\n\n".join(parts)[:n_chars]


def _check_industry(industry: str) -> None:
    if industry not in INDUSTRIES:
        raise ValueError(f"industry must be one of {INDUSTRIES}, got {industry!r}")


# --- shared slot fillers --------------------------------------------------------------


def _pick(rng: np.random.Generator, items, p=None):  # noqa: ANN001, ANN202
    return items[int(rng.choice(len(items), p=p))]


def _weighted(rng: np.random.Generator, table: dict[str, float]) -> str:
    keys = list(table)
    return keys[int(rng.choice(len(keys), p=np.array(list(table.values()))))]


def _date(style: Style, day: int) -> str:
    """Day ``day`` of the style's year (0 = 1 Jan; later days roll into the next year)."""
    y, d = style.year + day // 365, day % 365
    lengths = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    m = 0
    while d >= lengths[m]:
        d -= lengths[m]
        m += 1
    if style.date_format == "iso":
        return f"{y}-{m + 1:02d}-{d + 1:02d}"
    if style.date_format == "dmy":
        return f"{d + 1:02d} {MONTHS[m]} {y}"
    return f"{m + 1:02d}/{d + 1:02d}/{y}"


def _person(rng: np.random.Generator, style: Style, p_female: float = 0.5) -> tuple[str, str, bool]:
    """(first name, surname, female?): the first name agrees with the sex drawn."""
    female = bool(rng.random() < p_female)
    return _pick(rng, style.women if female else style.men), _pick(rng, style.surnames), female


def _anyone(rng: np.random.Generator, style: Style, p_female: float = 0.5) -> str:
    first, last, _ = _person(rng, style, p_female)
    return f"{first} {last}"


def _time(rng: np.random.Generator, start: int = 6, stop: int = 22) -> str:
    """hh:mm with the hour in [start, stop)."""
    return f"{int(rng.integers(start, stop)):02d}:{int(rng.integers(0, 60)):02d}"


def _money(x: float) -> str:
    return f"{x:,.2f}"


# --- medicine -------------------------------------------------------------------------


def _regimen(rng: np.random.Generator, drug: str) -> str:
    dose, route, freq = _pick(rng, DRUGS[drug])
    return f"{drug} {dose} {route} {freq}"


def _vitals(rng: np.random.Generator, febrile: bool, style: Style) -> str:
    t = rng.normal(38.6, 0.4) if febrile else rng.normal(36.8, 0.25)
    hr = int(rng.normal(104 if febrile else 82, 9))
    sys_bp, dia = int(rng.normal(132, 14)), int(rng.normal(80, 8))
    sat = int(np.clip(rng.normal(93 if febrile else 97, 2), 84, 100))
    if style.headings:
        return f"temp {t:.1f} C, pulse {hr}, BP {sys_bp}/{dia}, sats {sat}% on air"
    return f"T {t:.1f} C, HR {hr}, BP {sys_bp}/{dia}, RR {int(rng.integers(14, 26))}, SpO2 {sat}%"


def _medicine(rng: np.random.Generator, style: Style, kind: str) -> str:
    cond = _weighted(rng, style.lexicon)
    symptoms, drugs, tests, febrile, clinic = CONDITIONS[cond]
    first, last, female = _person(rng, style)
    title, noun = ("Ms.", "woman") if female else ("Mr.", "man")
    age = int(np.clip(rng.normal(64, 15), 18, 97))
    doctor = _anyone(rng, style, p_female=0.25)  # the skew of older records, on purpose
    town = _pick(rng, style.places)
    day = int(rng.integers(0, 360))
    chosen = [str(d) for d in rng.choice(drugs, size=min(len(drugs), 2), replace=False)]
    regimens = [_regimen(rng, d) for d in chosen]
    sym = [str(s) for s in rng.choice(symptoms, size=2, replace=False)]
    if kind == "discharge":
        stay = int(rng.integers(1, 9))
        others = [str(c) for c in rng.choice(COMORBIDITIES, size=2, replace=False) if c != cond]
        head = "Principal diagnosis" if style.headings else "Diagnosis"
        return "\n".join(
            [
                "DISCHARGE SUMMARY",
                f"Patient: {first} {last}, {age}-year-old {noun}. MRN {int(rng.integers(10**6, 10**7))}.",
                f"Admitted: {_date(style, day)}. Discharged: {_date(style, day + stay)}.",
                f"{head}: {cond}.",
                f"History: {', '.join(others)}.",
                f"Presentation: {int(rng.integers(1, 8))} days of {sym[0]} and {sym[1]}.",
                f"On examination: {_vitals(rng, febrile, style)}.",
                f"Investigations: {_pick(rng, tests)}.",
                f"Treatment: {'; '.join(regimens)}.",
                f"Outcome: {title} {last} improved and went home on day {stay}.",
                f"Follow-up: {clinic} clinic with Dr. {doctor} in {int(rng.integers(1, 7))} weeks.",
            ]
        )
    if kind == "progress":
        trend = _pick(rng, ("improving", "stable", "slower to improve than expected"))
        return "\n".join(
            [
                f"Progress note, {_date(style, day)} {_time(rng)}",
                f"{title} {last} ({age}{'F' if female else 'M'}), day {int(rng.integers(1, 6))} of admission with {cond}.",
                f"S: {'less' if trend == 'improving' else 'ongoing'} {sym[0]}, eating and drinking.",
                f"O: {_vitals(rng, febrile and trend != 'improving', style)}.",
                f"A: {cond}, {trend}.",
                f"P: continue {regimens[0]}; review with {_pick(rng, tests).split(' ')[0]} results tomorrow.",
                f"Dr. {doctor}",
            ]
        )
    return "\n".join(
        [
            f"Dear Dr. {doctor.split(' ')[1]},",
            f"Thank you for seeing {title} {first} {last}, a {age}-year-old {noun} with {cond},",
            f"who presented to {town} General Hospital on {_date(style, day)} with {sym[0]}.",
            f"Findings: {_pick(rng, tests)}. Current medication: {'; '.join(regimens)}.",
            f"I would be grateful for your advice in the {clinic} clinic.",
            "Yours sincerely,",
            f"Dr. {_anyone(rng, style, p_female=0.25)}, {town} General Hospital",
        ]
    )


# --- finance --------------------------------------------------------------------------


def _finance(rng: np.random.Generator, style: Style, kind: str) -> str:
    cur = style.unit
    day = int(rng.integers(0, 330))
    if kind == "statement":
        first, last, _ = _person(rng, style)
        city = _pick(rng, style.places)
        balance = float(np.round(rng.lognormal(7.3, 0.7), 2))
        lines = [
            f"Account statement: {first} {last}, account ending {int(rng.integers(1000, 10000))}",
            f"Opening balance {cur} {_money(balance)}",
        ]
        for _ in range(int(rng.integers(4, 9))):
            day += int(rng.integers(0, 4))
            if rng.random() < 0.12:
                amount = float(np.round(rng.normal(2400, 300), 2))
                what = f"SALARY {_pick(rng, style.surnames).upper()} LTD"
            else:
                group, shops = _pick(rng, MERCHANTS)
                amount = -float(np.round(rng.lognormal(3.2, 0.8), 2))
                what = f"CARD {_pick(rng, shops)} {city.upper()} ({group})"
            balance = round(balance + amount, 2)
            lines.append(
                f"{_date(style, day)}  {what}  {'+' if amount > 0 else '-'}{_money(abs(amount))}  balance {_money(balance)}"
            )
        lines.append(f"Closing balance {cur} {_money(balance)}")
        return "\n".join(lines)
    company = _weighted(rng, style.lexicon)
    sector = dict(COMPANIES)[company]
    if kind == "market":
        index, level = _pick(rng, INDICES)
        move = float(np.round(rng.normal(0, 0.9), 1))
        verb = "rose" if move > 0 else "fell" if move < 0 else "was flat"
        change = float(np.round(move + rng.normal(0, 1.5), 1))
        return (
            f"Market report, {_date(style, day)}. The {index} {verb}"
            f"{f' {abs(move)}%' if move else ''} to {int(level * (1 + rng.normal(0, 0.05))):,}"
            f" as {_pick(rng, DRIVERS)}. {company} {'gained' if change >= 0 else 'lost'} {abs(change)}%"
            f" and {sector} {'led' if change * move > 0 else 'lagged'} the market."
            f" Analysts at {_pick(rng, style.surnames)} Capital expect volatility to stay"
            f" {_pick(rng, ('high', 'low', 'elevated'))} before the next rate decision."
        )
    first, last, female = _person(rng, style)
    limit = int(rng.integers(5, 60)) * 1000
    rate = float(np.round(rng.uniform(3.5, 11.0), 2))
    decision = _pick(rng, ("approved", "approved with conditions", "declined"))
    return "\n".join(
        [
            f"Credit memo {_date(style, day)}: {first} {last}, employee of {company} ({sector}).",
            f"Requested: personal loan of {cur} {limit:,} over {int(rng.integers(1, 7)) * 12} months at {rate}%.",
            f"Debt-to-income {rng.uniform(0.1, 0.6):.2f}; {int(rng.integers(0, 4))} late payments in 12 months.",
            f"Decision: {decision}. {'Her' if female else 'His'} file was reviewed by {_anyone(rng, style)}.",
        ]
    )


# --- logistics ------------------------------------------------------------------------


def _logistics(rng: np.random.Generator, style: Style, kind: str) -> str:
    goods = _weighted(rng, style.lexicon)
    origin, dest, hub = (str(c) for c in rng.choice(style.places, size=3, replace=False))
    carrier = _pick(rng, CARRIERS)
    ref = f"{carrier[:2].upper()}-{int(rng.integers(10000, 100000))}"
    day = int(rng.integers(0, 350))
    pallets = int(rng.integers(1, 33))
    weight = int(pallets * rng.normal(420, 60))
    if style.unit == "lb":
        weight = int(weight * 2.2046)
    if kind == "depot":
        lines = [f"Depot report {hub}, {_date(style, day)}"]
        for _ in range(int(rng.integers(3, 7))):
            n = int(rng.integers(2, 40))
            lines.append(
                f"- {_time(rng)} {_pick(rng, CARRIERS)}: {n} pallets of {_weighted(rng, style.lexicon)} "
                f"{_pick(rng, ('unloaded', 'loaded for ' + _pick(rng, style.places), 'held for inspection'))}"
            )
        lines.append(
            f"Dock utilisation {int(rng.integers(40, 99))}%. Supervisor: {_pick(rng, style.surnames)}."
        )
        return "\n".join(lines)
    lines = [
        f"Shipment {ref} ({carrier}): {pallets} pallets of {goods}, {weight:,} {style.unit}.",
        f"{_date(style, day)} {_time(rng)} Picked up in {origin}.",
        f"{_date(style, day + 1)} {_time(rng, 6, 13)} Arrived at hub {hub}.",
    ]
    late = kind == "exception" or rng.random() < 0.2
    if late:
        hours = int(rng.integers(2, 30))
        lines.append(
            f"{_date(style, day + 1)} {_time(rng, 13, 22)} Delay of {hours} h at {hub}: {_pick(rng, DELAYS)}."
        )
    first, last, _ = _person(rng, style)
    arrive = day + 2 + int(late)
    lines.append(
        f"{_date(style, arrive)} {_time(rng)} Delivered to {last} & Co, {dest}. Signed: {first[0]}. {last}."
    )
    if kind == "exception":
        lines.append(
            f"Claim opened for shipment {ref}: {int(rng.integers(1, max(2, pallets)))} pallets of {goods} damaged in transit."
        )
    return "\n".join(lines)


# --- education ------------------------------------------------------------------------


def _education(rng: np.random.Generator, style: Style, kind: str) -> str:
    subject = _weighted(rng, style.lexicon)
    topic, objective = _pick(rng, SUBJECTS[subject])
    grade = int(rng.integers(6, 13))
    teacher = _pick(rng, style.surnames)
    if kind == "plan":
        minutes = int(_pick(rng, (40, 45, 50, 60)))
        steps = [str(a) for a in rng.choice(ACTIVITIES, size=3, replace=False)]
        cuts = np.sort(rng.choice(np.arange(5, minutes - 5, 5), size=2, replace=False))
        lengths = [int(cuts[0]), int(cuts[1] - cuts[0]), int(minutes - cuts[1])]
        head = "Learning objective" if style.headings else "Objective"
        body = [
            f"Lesson plan: Grade {grade} {subject}, {topic} ({minutes} min). Teacher: {teacher}."
        ]
        body.append(f"{head}: students can {objective}.")
        for s, m in zip(steps, lengths, strict=True):
            body.append(f"- {s} ({m} min)")
        body.append(
            f"Homework: {_pick(rng, ('worksheet', 'textbook exercises', 'short essay', 'online quiz'))} on {topic}."
        )
        return "\n".join(body)
    first, last, female = _person(rng, style)
    score = int(np.clip(rng.normal(6.8, 2.0), 0, 10))
    pron = "She" if female else "He"
    if kind == "feedback":
        comment = (
            f"Excellent work: {pron.lower()} can {objective} with confidence."
            if score >= 8
            else f"Good progress; {pron.lower()} should practise how to {objective}."
            if score >= 5
            else f"{pron} found this hard. Let us review how to {objective} together."
        )
        return (
            f"Feedback for {first} {last}, {subject} quiz on {topic}: {score}/10.\n{comment}\n"
            f"{teacher}, {_date(style, int(rng.integers(0, 360)))}"
        )
    attendance = int(np.clip(rng.normal(93, 5), 60, 100))
    return "\n".join(
        [
            f"Report card, {_pick(rng, style.places)} Secondary School, Grade {grade}",
            f"Student: {first} {last}. Attendance {attendance}%.",
            f"{subject}: {'ABCD'[min(3, max(0, 9 - score) // 2)]}. {pron} studied {topic} this term"
            f" and {'can' if score >= 6 else 'is learning to'} {objective}.",
            f"Tutor comment ({teacher}): {_pick(rng, ('a pleasure to teach', 'must hand in homework on time', 'participates well in class', 'should ask for help earlier'))}.",
        ]
    )


_WRITERS: dict[str, Callable[[np.random.Generator, Style, str], str]] = {
    "medicine": _medicine,
    "finance": _finance,
    "logistics": _logistics,
    "education": _education,
}
