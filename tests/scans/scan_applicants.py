"""Applicants for generated scans: deterministic from a seed, the way people fill the form.

Names with Polish letters, organisations of the social economy of Lower Silesia, e-mail
addresses with digits, dots and hyphens, phone numbers as people write them, one or two
groups, statements ticked or not. Every value is typed into the call's Word form; what the
applicant writes by hand (ticks, signature) is drawn on the page image later.
"""

from __future__ import annotations

import random
from dataclasses import replace

from mailbot.ops.samples import Applicant

WOMEN = (
    "Żaneta",
    "Łucja",
    "Małgorzata",
    "Agnieszka",
    "Bożena",
    "Jadwiga",
    "Urszula",
    "Grażyna",
    "Dorota",
    "Elżbieta",
    "Katarzyna",
    "Ewelina",
    "Joanna",
    "Halina",
)
MEN = (
    "Grzegorz",
    "Józef",
    "Zdzisław",
    "Paweł",
    "Łukasz",
    "Mieczysław",
    "Tomasz",
    "Bartłomiej",
    "Stanisław",
    "Wojciech",
    "Przemysław",
    "Jarosław",
)
# (feminine form, masculine form)
SURNAMES = (
    ("Wółkiewicz-Śliwa", "Wółkiewicz-Śliwa"),
    ("Brzęczyszczykiewicz", "Brzęczyszczykiewicz"),
    ("Ćwiklińska", "Ćwikliński"),
    ("Ślęzak", "Ślęzak"),
    ("Dąbrowska-Kuźma", "Dąbrowski-Kuźma"),
    ("Źrebiec", "Źrebiec"),
    ("Pietrzyk", "Pietrzyk"),
    ("Ołdak", "Ołdak"),
    ("Gąsiorowska", "Gąsiorowski"),
    ("Żurawska", "Żurawski"),
    ("Mączyńska", "Mączyński"),
    ("Szczęsna", "Szczęsny"),
    ("Kołodziej", "Kołodziej"),
    ("Nowak", "Nowak"),
    ("Wiśniewska", "Wiśniewski"),
    ("Łęcka", "Łęcki"),
)
# (town, "in the town": the preposition and the locative, postcode)
TOWNS = (
    ("Wrocław", "we Wrocławiu", "50-231"),
    ("Oława", "w Oławie", "55-200"),
    ("Legnica", "w Legnicy", "59-220"),
    ("Wałbrzych", "w Wałbrzychu", "58-300"),
    ("Jelenia Góra", "w Jeleniej Górze", "58-500"),
    ("Świdnica", "w Świdnicy", "58-100"),
    ("Głogów", "w Głogowie", "67-200"),
    ("Kłodzko", "w Kłodzku", "57-300"),
    ("Zgorzelec", "w Zgorzelcu", "59-900"),
    ("Bolesławiec", "w Bolesławcu", "59-700"),
    ("Oleśnica", "w Oleśnicy", "56-400"),
    ("Ząbkowice Śląskie", "w Ząbkowicach Śląskich", "57-200"),
    ("Środa Śląska", "w Środzie Śląskiej", "55-300"),
    ("Żmigród", "w Żmigrodzie", "55-140"),
    ("Lądek-Zdrój", "w Lądku-Zdroju", "57-540"),
)
STREETS = (
    "ul. Wrocławska",
    "ul. Kościuszki",
    "ul. Piłsudskiego",
    "ul. Żeromskiego",
    "ul. Świerczewskiego",
    "ul. Łąkowa",
    "ul. Źródlana",
    "pl. Wolności",
    "al. Niepodległości",
    "ul. Ogrodowa",
)
NICKNAMES = ("Źródło", "Razem", "Przystań", "Młyn", "Ścieżka", "Tęcza", "Dębina", "Most")
# (organisation type as written in the form, organisation name pattern)
ORGANISATIONS = (
    ("CIS", "Centrum Integracji Społecznej {loc}"),
    ("KIS", "Klub Integracji Społecznej „{nick}” {loc}"),
    ("ZAZ", "Zakład Aktywności Zawodowej {loc}"),
    ("WTZ", "Warsztat Terapii Zajęciowej przy Stowarzyszeniu „{nick}”"),
    ("ŚDS", "Środowiskowy Dom Samopomocy nr 2 {loc}"),
    ("spółdzielnia socjalna", "Spółdzielnia Socjalna „{nick}”"),
    ("organizacja pozarządowa", "Fundacja Rozwoju Ekonomii Społecznej „{nick}”"),
    ("organizacja pozarządowa", "Stowarzyszenie na rzecz Osób Niepełnosprawnych {loc}"),
    ("JST", "Miejski Ośrodek Pomocy Społecznej {loc}"),
    ("JST", "Gmina {town} – Urząd Miejski"),
)
POSITIONS_F = (
    "Prezeska Zarządu",
    "Kierowniczka",
    "Koordynatorka projektów",
    "Dyrektorka",
    "Specjalistka ds. reintegracji zawodowej",
    "Członkini Zarządu",
    "Pracowniczka socjalna",
)
POSITIONS_M = (
    "Prezes Zarządu",
    "Kierownik",
    "Koordynator projektu",
    "Dyrektor",
    "Specjalista ds. reintegracji społecznej",
    "Wiceprezes Stowarzyszenia",
    "Pracownik socjalny",
)
FREE_MAIL = ("wp.pl", "o2.pl", "gmail.com", "interia.pl", "onet.pl", "op.pl")
PHONES = (
    "{a} {b} {c}",
    "+48 {a} {b} {c}",
    "{a}-{b}-{c}",
    "{a}{b}{c}",
    "kom. {a} {b} {c}",
    "0048 {a} {b} {c}",
    "71 {d} wew. {w}",
    "(74) {d}",
    "+48 {a} {b} {c}, 71 {d}",
)
SENTENCES = (
    "Od {year} r. pracuję w instytucji: {org_loc}.",
    "Koordynowałam/em projekty aktywizacji zawodowej osób zagrożonych wykluczeniem społecznym.",
    "Współpracuję z lokalnymi przedsiębiorcami przy zatrudnianiu uczestników reintegracji.",
    "Jestem członkinią/członkiem Zespołu ds. Ekonomii Społecznej w powiecie.",
    "Prowadzę szkolenia dla spółdzielni socjalnych z zakresu zamówień publicznych.",
    "W latach {year}–2023 odpowiadałam/em za zlecanie usług społecznych w gminie.",
    "Chcę dzielić się doświadczeniem z deinstytucjonalizacji usług dla osób starszych.",
    "Nasz podmiot zatrudnia {n} osób, w tym {m} z orzeczoną niepełnosprawnością.",
    "Uczestniczyłam/em w pracach Regionalnego Komitetu w poprzedniej kadencji.",
    "Mam doświadczenie we współpracy z PES, OWES i jednostkami samorządu terytorialnego.",
)
PLACE_AND_DATE = ("{town}, {d}.05.2024", "{town} {d}.05.2024 r.", "{town}, {d} maja 2024 r.")

_ASCII = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def ascii_of(text: str) -> str:
    """The way people write their names in e-mail addresses (no Polish letters, no spaces)."""
    return text.translate(_ASCII).lower().replace(" ", "")


def _email(rnd: random.Random, first: str, last: str, nick: str, town: str) -> str:
    f, s, n, t = ascii_of(first), ascii_of(last), ascii_of(nick), ascii_of(town)
    patterns = (
        f"{f}.{s}@{rnd.choice(FREE_MAIL)}",
        f"{f[0]}.{s}{rnd.randint(2, 99)}@{rnd.choice(FREE_MAIL)}",
        f"{s}-{f}@fundacja-{n}.org.pl",
        f"{f}.{s}@ops.{t}.pl",
        f"biuro{rnd.randint(1, 9)}@spoldzielnia-{n}.pl",
        f"{f}{s[0]}.{rnd.randint(1960, 1999)}@cis-{t}.com.pl",
        f"{f[0]}{s}@zaz-{t}.pl",
    )
    return rnd.choice(patterns)


def _phone(rnd: random.Random) -> str:
    digits = f"{rnd.choice('5678')}{rnd.randint(0, 99):02d}"
    return rnd.choice(PHONES).format(
        a=digits,
        b=f"{rnd.randint(100, 999)}",
        c=f"{rnd.randint(100, 999)}",
        d=f"{rnd.randint(300, 899)} {rnd.randint(10, 99)} {rnd.randint(10, 99)}",
        w=rnd.randint(10, 250),
    )


def _experience(rnd: random.Random, org_loc: str, woman: bool) -> str:
    count = rnd.choice((1, 2, 2, 3, 4))
    chosen = [SENTENCES[0], *rnd.sample(SENTENCES[1:], count - 1)]
    values = {"year": rnd.randint(2005, 2019), "org_loc": org_loc}
    values |= {"n": rnd.randint(12, 60), "m": rnd.randint(3, 11)}
    texts = [s.format(**values) for s in chosen]
    texts = [s.replace("am/em", "am" if woman else "em") for s in texts]
    texts = [
        s.replace("członkinią/członkiem", "członkinią" if woman else "członkiem") for s in texts
    ]
    if count >= 3 and rnd.random() < 0.5:  # two paragraphs
        return " ".join(texts[:2]) + "\n" + " ".join(texts[2:])
    return " ".join(texts)


def applicant(rnd: random.Random) -> Applicant:
    """One applicant, every value typed in; groups one or two, both statements ticked."""
    woman = rnd.random() < 0.6
    first = rnd.choice(WOMEN if woman else MEN)
    last = rnd.choice(SURNAMES)[0 if woman else 1]
    town, loc, postcode = rnd.choice(TOWNS)
    org_type, pattern = rnd.choice(ORGANISATIONS)
    nick = rnd.choice(NICKNAMES)
    organisation = pattern.format(loc=loc, nick=nick, town=town)
    street = f"{rnd.choice(STREETS)} {rnd.randint(1, 120)}"
    if rnd.random() < 0.4:
        street += f"/{rnd.randint(1, 40)}"
    groups = tuple(sorted(rnd.sample(range(1, 6), rnd.choice((1, 1, 2)))))
    return Applicant(
        full_name=f"{first} {last}",
        organisation=organisation,
        organisation_type=org_type,
        position=rnd.choice(POSITIONS_F if woman else POSITIONS_M),
        address=f"{street}\n{postcode} {town}",
        email=_email(rnd, first, last, nick, town),
        phone=_phone(rnd),
        groups=groups,
        experience=_experience(rnd, organisation, woman),
        accepts_rules=True,
        consents_gdpr=True,
        place_and_date=rnd.choice(PLACE_AND_DATE).format(town=town, d=rnd.randint(6, 24)),
    )


def applicants(seed: int, count: int) -> list[Applicant]:
    """``count`` different applicants; every fifth leaves the first statement unticked and
    every fifth (another one) the second, so each kind of scan has unticked statements."""
    rnd = random.Random(seed)
    out: list[Applicant] = []
    names: set[str | None] = set()
    while len(out) < count:
        person = applicant(rnd)
        if person.full_name in names:
            continue
        names.add(person.full_name)
        index = len(out)
        if index % 5 == 1:
            person = replace(person, accepts_rules=False)
        elif index % 5 == 3:
            person = replace(person, consents_gdpr=False)
        out.append(person)
    return out
