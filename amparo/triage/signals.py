"""Distress/hardship and scam signals: cue phrases in Spanish, English and Hebrew.

Distress cues follow the FCA's four drivers of vulnerability (FG21/1): health, life
events, resilience (money to live on) and capability (including digital capability).
Each cue has a weight; a message's score is 1 - prod(1 - weight) over the cues that
fired, so one strong cue ("no tengo para comer") weighs more than several weak ones.
Routing and the reply guard read the cues, not just the score: a person sees why.

Cues are matched on text folded like the topic model's input (lower case, no accents
or niqqud, digits as 0), so "no tengo pa comer", "NO TENGO PARA COMER" and
"no tengo para comér" are the same cue.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MAX_CHARS = 5000


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text[:MAX_CHARS].lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Cue:
    name: str
    kind: str  # distress: health, life_event, resilience, capability; scam: code_request, fake_support, link
    weight: float
    pattern: re.Pattern[str]


def cue(name: str, kind: str, weight: float, *patterns: str) -> Cue:
    return Cue(name, kind, weight, re.compile("|".join(f"(?:{p})" for p in patterns)))


# Hebrew prefixes (ו and, ה the, ב in, ל to, ש that, מ from, כ as) join the word.
H = "[ובהלשמכ]{0,2}"

DISTRESS_CUES = (
    cue(
        "no_money_for_food",
        "resilience",
        0.9,
        r"no (?:tengo|tenemos|hay) (?:ni )?(?:pa|para|dinero para|con que) (?:comer|la comida|darle de comer)",
        r"no (?:tengo|tenemos) (?:ni )?(?:para|pa) (?:el |la |los )?(?:mandado|despensa|leche|pa[nñ]ales)",
        r"(?:can'?t|cannot|can not|unable to) (?:afford to )?(?:feed|buy food|eat)",
        r"no money (?:left )?for (?:food|groceries|nappies|diapers|formula)",
        r"(?:nothing|no food) (?:to eat|in the (?:fridge|house))",
        rf"אין (?:לי|לנו) (?:כסף )?{H}(?:אוכל|לאכול|קניות)",
        r"אין (?:לי|לנו) (?:במה|איך) (?:להאכיל|לקנות אוכל)",
    ),
    cue(
        "children_affected",
        "resilience",
        0.25,
        r"mis (?:hijos|ninos|chavos|bebes?)",
        r"my (?:kids|children|baby|babies|son|daughter)",
        rf"{H}(?:ילדים|הילדים|תינוק|התינוק|הילד) (?:שלי|שלנו)",
    ),
    cue(
        "no_money_rent_bills",
        "resilience",
        0.6,
        r"no (?:tengo|alcanza|me alcanza) (?:para|pa) (?:la )?(?:renta|el alquiler|la luz|pagar nada)",
        r"(?:can'?t|cannot) (?:pay|afford) (?:the |my )?(?:rent|bills|mortgage)",
        r"(?:eviction|evicted|bailiffs|repossess)",
        r"(?:me van a|nos van a) (?:correr|desalojar|echar)",
        rf"אין (?:לי|לנו) {H}(?:שכר דירה|לשלם שכירות|חשבונות)",
        rf"{H}(?:פינוי|מפנים אותנו|הוצאה לפועל)",
    ),
    cue(
        "no_money_at_all",
        "resilience",
        0.55,
        r"no tengo (?:ni )?(?:un )?(?:peso|dinero|un centavo|nada de dinero|ni un quinto)",
        r"(?:i have|i've got|ive got|i got) (?:no money|nothing left|0 in my account|zero)",
        r"(?:skint|broke|penniless)",
        r"אין (?:לי|לנו) (?:שקל|כסף|אגורה)",
        rf"{H}(?:נשארתי בלי כסף|אין לי גרוש)",
    ),
    cue(
        "payday_missing",
        "resilience",
        0.4,
        r"(?:no (?:me )?(?:ha )?(?:llegado|cayo|deposita(?:ron)?)|sin) (?:mi )?(?:sueldo|quincena|nomina|salario|pension)",
        r"(?:wages|salary|pay|pension|benefits|universal credit) (?:hasn'?t|has not|didn'?t|did not|not) (?:arrived|come|gone in|landed)",
        rf"{H}(?:משכורת|המשכורת|הפנסיה|קצבה|הקצבה) (?:לא )?(?:נכנסה|לא הגיעה|לא נכנס)",
    ),
    cue(
        "job_loss",
        "life_event",
        0.5,
        r"(?:me|nos) (?:corrieron|despidieron|quede sin (?:trabajo|chamba|empleo))",
        r"(?:perdi|perdio) (?:mi|el|su) (?:trabajo|empleo|chamba)",
        r"(?:lost my job|been made redundant|laid off|got fired|unemployed)",
        rf"{H}(?:פוטרתי|פיטרו אותי|איבדתי את העבודה|מובטל|מובטלת)",
    ),
    cue(
        "bereavement",
        "life_event",
        0.6,
        r"(?:fallecio|murio|falleci[oó]|perdi a) (?:mi|mis)",
        r"(?:passed away|died|bereavement|funeral)",
        rf"{H}(?:נפטר|נפטרה|הלוויה|שבעה)",
    ),
    cue(
        "relationship_breakdown",
        "life_event",
        0.4,
        r"(?:me estoy divorciando|me separe|divorcio)",
        r"(?:divorce|separated|domestic abuse|domestic violence)",
        rf"{H}(?:גירושים|גרושה|התגרשתי|אלימות במשפחה)",
    ),
    cue(
        "illness",
        "health",
        0.5,
        r"(?:estoy|estoy muy) (?:enferm[oa]|hospitalizad[oa])",
        r"(?:en el hospital|tengo cancer|quimio|dialisis|discapacidad)",
        r"(?:in hospital|i'?m (?:ill|sick|disabled)|cancer|chemo|dialysis|disability)",
        rf"{H}(?:בבית חולים|בבית החולים|חולה|סרטן|כימו|דיאליזה|נכות)",
    ),
    cue(
        "mental_health",
        "health",
        0.6,
        r"(?:depresion|ansiedad|ataques? de panico|ya no puedo mas|no aguanto mas)",
        r"(?:depression|anxiety|panic attack|can'?t cope|breaking down|at the end of my tether)",
        rf"{H}(?:דיכאון|חרדה|התקף חרדה|לא עומד בזה|לא עומדת בזה|אני קורס|אני קורסת)",
    ),
    cue(
        "self_harm",
        "health",
        0.95,
        r"(?:quitarme la vida|suicid|no quiero vivir|matarme)",
        r"(?:kill myself|suicid|end it all|don'?t want to live|self[- ]harm)",
        rf"{H}(?:להתאבד|לשים קץ|לא רוצה לחיות)",
    ),
    cue(
        "desperation",
        "resilience",
        0.45,
        r"(?:desesperad[oa]|estoy en la ruina|angustiad[oa]|no se que hacer)",
        r"(?:desperate|at my wits'? end|don'?t know what to do|begging you)",
        rf"{H}(?:מיואש|מיואשת|אין לי מה לעשות|אני מתחנן|אני מתחננת|בבקשה תעזרו)",
    ),
    cue(
        "elderly_or_digital",
        "capability",
        0.4,
        r"(?:soy (?:una )?persona (?:mayor|de la tercera edad)|tengo [789]0 anos|no se usar (?:la app|el celular|internet))",
        r"(?:i'?m (?:elderly|[789]0 years old|a pensioner)|don'?t know how to use (?:the app|apps|a smartphone|online banking))",
        rf"{H}(?:אני בן [789]0|אני בת [789]0|פנסיונר|פנסיונרית|לא יודע(?:ת)? להשתמש ב?(?:אפליקציה|אינטרנט))",
    ),
    cue(
        "language_or_reading",
        "capability",
        0.3,
        r"(?:no se leer|no entiendo (?:nada|el ingles))",
        r"(?:can'?t read|english is not my first language|dyslexi)",
        rf"{H}(?:לא יודע(?:ת)? לקרוא|לא מבין עברית|לא מבינה עברית)",
    ),
)

SCAM_CUES = (
    cue(
        "code_requested",
        "code_request",
        0.8,
        r"(?:me (?:pidieron|pidio|piden|esta pidiendo|pide)|quieren|solicitaron) (?:mi |el |la |un )?(?:codigo|clave|nip|pin|contrasena|token|cvv|numero de (?:la )?tarjeta|datos)",
        r"(?:asked|asking|ask) (?:me )?for (?:my |the |a )?(?:code|pin|password|passcode|otp|card (?:number|details)|cvv|login)",
        r"(?:wants?|wanted) my (?:code|pin|password|card details)",
        rf"{H}(?:ביקשו|מבקשים|ביקש|מבקש) (?:ממני )?(?:את )?{H}(?:קוד|סיסמה|סיסמא|פרטי הכרטיס|מספר הכרטיס)",
    ),
    cue(
        "fake_support_contact",
        "fake_support",
        0.7,
        r"(?:me (?:escribio|contacto|mando (?:un )?(?:dm|mensaje))|me hablo) (?:una cuenta|un perfil|alguien) (?:de |que dice ser )?(?:soporte|atencion|ayuda|del banco|de altamar)",
        r"(?:cuenta|perfil) (?:falsa|falso|de soporte)",
        r"(?:a |some |an )?(?:support|help|customer service) (?:account|page|profile) (?:dm'?d|messaged|contacted|replied|wrote)",
        r"(?:fake|impostor|imposter|scam) (?:account|support|page|profile)",
        rf"{H}(?:חשבון|פרופיל) (?:מזויף|של שירות לקוחות|תמיכה) (?:פנה|כתב|שלח)",
        rf"{H}(?:התחזות|מתחזה|מתחזים)",
    ),
    cue(
        "scam_words",
        "fake_support",
        0.5,
        r"(?:fraude|estafa|phishing|hackeo|me hackearon|robo de identidad)",
        r"(?:scam|fraud|phishing|hacked|identity theft)",
        rf"{H}(?:הונאה|עוקץ|פישינג|פרצו|נפרצתי)",
    ),
    cue(
        "remote_access",
        "code_request",
        0.6,
        r"(?:anydesk|teamviewer|instalar una app para ayudarme)",
        r"(?:anydesk|teamviewer|remote access|install an app to help)",
    ),
)

_URL = re.compile(
    r"(?i)\b(?:https?://|www\.)[^\s<>\"']+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|mx|io|co|info|xyz|top|link|ly|me|site|online|app|uk|il)(?:/[^\s<>\"']*)?"
)
_SHORTENERS = {
    "bit.ly",
    "tinyurl.com",
    "t.co",
    "cutt.ly",
    "goo.gl",
    "is.gd",
    "ow.ly",
    "rebrand.ly",
    "shorturl.at",
    "wa.me",
}


@dataclass
class Signal:
    score: float = 0.0
    cues: list[dict[str, str]] = field(default_factory=list)

    def add(self, name: str, kind: str, weight: float, matched: str) -> None:
        self.cues.append({"cue": name, "kind": kind, "text": matched[:80]})
        self.score = 1 - (1 - self.score) * (1 - weight)

    def as_dict(self) -> dict[str, object]:
        return {"score": round(self.score, 3), "cues": self.cues}


def match_cues(folded: str, cues: tuple[Cue, ...]) -> Signal:
    signal = Signal()
    for item in cues:
        found = item.pattern.search(folded)
        if found:
            signal.add(item.name, item.kind, item.weight, found.group(0))
    return signal


def distress(text: str, folded: str | None = None) -> Signal:
    return match_cues(fold(text) if folded is None else folded, DISTRESS_CUES)


def link_domains(text: str) -> list[str]:
    domains = []
    for found in _URL.finditer(text[:MAX_CHARS]):
        url = found.group(0)
        host = urlsplit(url if "://" in url else f"http://{url}").hostname or ""
        if host:
            domains.append(host.removeprefix("www."))
    return domains


def is_official(host: str, official_domains: set[str]) -> bool:
    return any(host == domain or host.endswith(f".{domain}") for domain in official_domains)


def scam(
    text: str, official_domains: set[str] | frozenset[str] = frozenset(), folded: str | None = None
) -> Signal:
    """Someone asked for a code, a "support" account wrote, or a link leaves the brand's
    official domains (a shortener always counts: it hides where it goes)."""
    signal = match_cues(fold(text) if folded is None else folded, SCAM_CUES)
    for host in link_domains(text):
        if host in _SHORTENERS:
            signal.add("shortened_link", "link", 0.5, host)
        elif not is_official(host, set(official_domains)):
            signal.add("unofficial_link", "link", 0.35, host)
    return signal
