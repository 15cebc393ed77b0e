"""Write the lookalike benchmark's plain negatives: handles and names that imitate no brand.

    python scripts/make_lookalike_negatives.py [--seed 20261125]

Reads `amparo/lookalike/data/official_handles.csv` and writes
`amparo/lookalike/data/negatives.txt`, one candidate a line, grouped by category and
sorted within each group:

1. `person`: ordinary usernames built from Spanish, English, Hebrew (transliterated)
   and Portuguese first names, nicknames and surnames, with dots, underscores, digits,
   birth years and city suffixes (`lupita_hdz92`, `danny.cohen`, `martin_gomez_ok`).
2. `generic`: support, money and shopping words as people and small organisations use
   them, with no brand (`helpdesk_mike`, `soporte_tecnico_juan`, `bancodealimentos_gdl`).
3. `other_sector`: airlines, telcos, football clubs, newspapers, post and transport in
   the styles support accounts use (`AskIberia`, `VodafoneAyuda`): they imitate nobody
   in the official list.
4. `display_name`: display names in Spanish, English, Portuguese and Hebrew, with
   spaces, separators and emoji (`María José 🌻`, `דני כהן`, `Tom | Runner`).
5. `near_word`: ordinary words or given names one or two edits from a brand core, by
   substitution, transposition or an inner edit (`chose` for Chase, `sara` for Zara),
   each checked by `near_word_rule_holds`. A truncation or extension of the core
   (`barclay`, `chaser`) is never one: it contains or is contained in the core, and
   impersonators use exactly those, so it is in neither the negatives nor the positives.

Every candidate that contains an official brand core is dropped, so each line is a true
negative. The comparison is on the candidate's letters only (NFKC, accents stripped,
case folded, `_ . -`, digits, spaces and emoji removed), also after undoing digit
look-alikes (`ch4se`). Cores come from each official row: the brand name, the handle
without its support and country affixes (`AskLloydsBank` → `lloydsbank`,
`BBVARe_mx` → `bbva`), the domain's first label, a leading acronym (`HSBC UK` →
`hsbc`), each distinctive word of a several-word brand (`Bank Leumi` → `leumi`, but not
`John Lewis` → `john`), and `EXTRA_CORES` (former names, Hebrew names). A core of four
letters or more matches anywhere; a shorter core (`td`, `nab`, `ing`) only as a whole
word, or, with three letters, at the start (`ingdirect`), since as a substring it would
be in half the language (`running`).

Other brands' official accounts are not written here: the evaluation pairs each brand
with every other brand's official handles itself. `hard_negatives.csv`, beside the
output, is written by hand.

Deterministic for a seed; standard library only.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "amparo" / "lookalike" / "data"
DEFAULT_SEED = 20261125
# How many of each category to write; the total must stay ≥ 10,000.
TARGETS = {
    "person": 5200,
    "generic": 2000,
    "other_sector": 1000,
    "display_name": 2000,
    "near_word": 700,
}
MAX_HANDLE = 30  # Instagram's limit, the longest of the handle platforms we mimic
MAX_DISPLAY_NAME = 50  # X's limit for display names
HANDLE_CHARS = re.compile(r"[a-z0-9_.]+", re.IGNORECASE)

# --- brand cores -------------------------------------------------------------------

HANDLE_PREFIXES = frozenset({"ask", "the", "official", "contacto", "info"})
HANDLE_SUFFIXES = frozenset(
    {
        "help", "helps", "helpers", "support", "care", "cares", "connect", "resp", "re",
        "responde", "escucha", "atiende", "service", "team", "retail", "ltd", "com",
        "uk", "us", "gb", "ie", "irl", "il", "mx", "mex", "mexico", "es", "esp",
        "espana", "ar", "arg", "argentina", "co", "colombia", "cl", "chile", "br",
        "brasil", "in", "india", "ca", "canada", "au", "aus", "australia",
    }
)  # fmt: skip
# Words of several-word brand names that are ordinary words, places or personal names:
# alone they imitate nobody (`john_smith` is no John Lewis), so they are not cores.
BRAND_WORDS_IN_COMMON_USE = frozenset(
    {
        "bank", "banco", "building", "society", "royal", "scotland", "national",
        "international", "first", "direct", "trust", "financial", "credit", "express",
        "american", "america", "capital", "money", "virgin", "metro", "stores", "drug",
        "digital", "shoppers", "reliance", "home", "depot", "casas", "bahia", "mercado",
        "libre", "livre", "magazine", "luiza", "almacenes", "exito", "bodega",
        "palacio", "hierro", "corte", "ingles", "super", "canadian", "canada",
        "mexico", "espana", "argentina", "colombia", "chile", "brasil", "ireland",
        "israel", "india", "australia", "commonwealth", "discount", "inter", "punjab",
        "baroda", "mizrahi", "wells", "fargo", "marks", "spencer", "john", "lewis",
        "george", "bogota", "nacion", "galicia", "macro", "azteca", "naranja", "pharm",
        "cash",
    }
)  # fmt: skip
# Names customers and impersonators still use, and the Hebrew names of Israeli brands.
EXTRA_CORES = frozenset(
    {
        "bancomer", "citibanamex", "magalu", "bofa", "amex", "pnb", "rbs",
        "הפועלים", "לאומי", "דיסקונט", "מזרחיטפחות", "ישראכרט", "שופרסל", "רמילוי",
        "סופרפארם",
    }
)  # fmt: skip
TOKEN = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[^\W\d_A-Za-z]+")
DIGIT_LOOKALIKES = (
    str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"}),
    str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"}),
)  # fmt: skip


def fold(text: str) -> str:
    """NFKC with accents and other combining marks removed (`María` → `Maria`); case kept."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def letters(text: str) -> str:
    """The case-folded letters of `text`: separators, digits, spaces and emoji removed."""
    return "".join(c for c in fold(text).casefold() if c.isalpha())


def words_of(text: str) -> list[str]:
    """Lower-case words, split at separators, digits and camelCase (`HDFCBank_Cares`)."""
    return [w.lower() for w in TOKEN.findall(fold(text))]


def handle_core(platform: str, handle: str) -> str:
    """The brand part of an official handle: `AsdaServiceTeam` → `asda`."""
    if platform in ("domain", "bluesky"):
        return letters(handle.split(".")[0])
    parts = words_of(handle)
    while len(parts) > 1 and parts[0] in HANDLE_PREFIXES:
        parts = parts[1:]
    while len(parts) > 1 and parts[-1] in HANDLE_SUFFIXES:
        parts = parts[:-1]
    core = letters("".join(parts))
    # `CashSupport` is no `cash`, `BancodoBrasil` no `bancodo`: keep what was stripped.
    if core in BRAND_WORDS_IN_COMMON_USE or re.search(r"(de|do|da|del|of)$", core):
        return letters(handle)
    return core


def brand_cores(brand: str) -> set[str]:
    """The whole name, a leading acronym and each distinctive word of a brand name."""
    words = [w for w in re.split(r"[\s.\-]+", brand.strip()) if w]
    if len(words) > 1 and words[0].lower() in ("the", "el"):
        words = words[1:]
    cores = {letters("".join(words))}
    if re.fullmatch(r"[A-Z]{2,}", words[0]):
        cores.add(words[0].lower())
    if len(words) > 1:
        cores |= {letters(w) for w in words if len(letters(w)) >= 5}
        cores -= BRAND_WORDS_IN_COMMON_USE
    return cores


def read_official(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def official_cores(rows: Iterable[dict[str, str]]) -> set[str]:
    cores = set(EXTRA_CORES)
    for row in rows:
        cores |= brand_cores(row["brand"])
        cores.add(handle_core(row["platform"], row["handle"]))
    return {core for core in cores if len(core) >= 2}


class CoreMatcher:
    """Says whether a candidate contains any brand core (see the module docstring)."""

    def __init__(self, cores: Iterable[str]) -> None:
        cores = set(cores)
        long_cores = sorted((c for c in cores if len(c) >= 4), key=len, reverse=True)
        self.anywhere = re.compile("|".join(map(re.escape, long_cores)))
        self.whole_word = {c for c in cores if len(c) < 4}
        self.at_start = tuple(c for c in self.whole_word if len(c) == 3)

    def forms(self, candidate: str) -> set[str]:
        return {letters(candidate)} | {letters(candidate.translate(t)) for t in DIGIT_LOOKALIKES}

    def contains_core(self, candidate: str) -> bool:
        forms = self.forms(candidate)
        if any(self.anywhere.search(form) for form in forms):
            return True
        if self.whole_word & set(words_of(candidate)):
            return True
        return any(form.startswith(self.at_start) for form in forms)


# --- vocabulary ----------------------------------------------------------------------

ES_FIRST = (
    "María José Juan Luis Carlos Jorge Miguel Alejandro Fernando Ricardo Eduardo Francisco "
    "Javier Daniel Pablo Sergio Andrés Diego Raúl Héctor Óscar Rubén Iván Mario Arturo "
    "Rafael Gabriel Santiago Mateo Sebastián Emiliano Leonardo Ana Lucía Sofía Valentina "
    "Camila Valeria Fernanda Daniela Gabriela Mariana Paola Andrea Carolina Patricia "
    "Verónica Alejandra Claudia Adriana Mónica Laura Elena Isabel Carmen Rosa Guadalupe "
    "Ximena Regina Renata Natalia Paula Julia Martina Agustina Florencia Micaela Belén "
    "Rocío Pilar Nuria Montse Itziar Ainhoa Iker Unai Jordi Marc Pau Joaquín Tomás "
    "Ignacio Matías Nicolás Facundo Gonzalo Rodrigo Esteban Cristian"
).split()
ES_NICKS = (
    "lupita pepe paco chuy nacho lalo memo beto tono pancho lupe chelo maru lulu fer dani "
    "vale cami gaby pao majo anita caro sofi juanma juanpa santi mati nico facu agus flor "
    "mica rodri tomi chava pili quique kike rulo"
).split()
ES_SURNAMES = (
    "García Hernández Martínez López González Rodríguez Pérez Sánchez Ramírez Torres "
    "Flores Rivera Gómez Díaz Cruz Morales Reyes Gutiérrez Ortiz Chávez Ruiz Jiménez "
    "Mendoza Castillo Vargas Romero Álvarez Castro Herrera Medina Aguilar Vázquez Moreno "
    "Muñoz Rojas Navarro Domínguez Ramos Guerrero Silva Contreras Salazar Fuentes "
    "Espinoza Cabrera Delgado Vega Campos Soto Figueroa Sandoval Pineda Acosta Molina "
    "Ibarra Cortés Garrido Iglesias Serrano Blanco Marín Gil Sanz Peña Carrasco Quintero "
    "Zamora Bravo Villalobos Galindo Benítez Fernández Martín Ortega Rubio Núñez Suárez "
    "Prieto Lozano"
).split()
EN_FIRST = (
    "James John Robert Michael William David Richard Joseph Thomas Charles Christopher "
    "Daniel Matthew Anthony Mark Steven Paul Andrew Joshua Kevin Brian George Timothy "
    "Ryan Jacob Nicholas Eric Jonathan Justin Brandon Tyler Aaron Adam Nathan Kyle Ethan "
    "Noah Liam Oliver Harry Jack Charlie Oscar Alfie Callum Declan Sean Cian Conor Niamh "
    "Aoife Siobhan Mary Patricia Jennifer Linda Elizabeth Susan Jessica Sarah Karen Lisa "
    "Nancy Sandra Ashley Emily Emma Olivia Amelia Isla Ava Mia Grace Chloe Hannah Megan "
    "Lauren Rachel Amy Katie Sophie Lucy Holly Ellie Jade Priya Rahul Arjun Ananya Rohan "
    "Aditya Neha Pooja Vikram Sanjay Deepak Kavya Ishaan Anika Raj"
).split()
EN_NICKS = (
    "danny mike jen jenny tom tommy bill billy bob rob dave steve chris matt tony nick jon "
    "sam kate liz beth sue jess becky meg charlie ollie harry jim jimmy joe pat ricky ben "
    "josh zach andy ted will"
).split()
EN_SURNAMES = (
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
    "Martin Jackson Thompson White Harris Clark Robinson Walker Young Allen King Wright "
    "Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans "
    "Turner Parker Collins Edwards Stewart Murphy Cook Rogers Morgan Cooper Peterson Reed "
    "Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray Hughes "
    "Price Patel Sharma Singh Kumar Gupta Shah Mehta Iyer Reddy Nair O'Brien Byrne Ryan "
    "O'Connor Walsh McCarthy Doyle Murray Quinn Kennedy Lynch Fitzgerald Stone Fox Hunt"
).split()
HE_FIRST = (
    "Yossi Avi Moshe David Itai Omer Noam Yonatan Eyal Amit Ido Tomer Roi Gal Oren Uri "
    "Eitan Ariel Nir Shai Yael Noa Tamar Michal Shira Maya Talia Rotem Adi Hila Liat "
    "Orly Dana Inbar Keren Efrat Sivan Hadas Neta Ronit Meirav Lior"
).split()
HE_NICKS = "danny yossi avi moshik itzik dudi kobi shuki tali michali shiri noy".split()
HE_SURNAMES = (
    "Cohen Levi Levy Mizrahi Peretz Biton Dahan Avraham Friedman Azoulay Malka Hadad "
    "Gabay Shapira Katz Ohayon Yosef Amar Ben-David Goldberg Rosenberg Ashkenazi Sasson "
    "Vaknin Elbaz Ben-Ami Shalom Weiss Klein Segal Golan Barak Navon Tal Zohar"
).split()
PT_FIRST = (
    "João Pedro Lucas Gabriel Mateus Rafael Gustavo Felipe Bruno Thiago Rodrigo Leonardo "
    "Vinícius Caio Enzo Heitor Arthur Bernardo Davi Guilherme Ana Maria Júlia Beatriz "
    "Larissa Camila Letícia Fernanda Amanda Bruna Mariana Isabela Luana Gabriela Yasmin "
    "Raquel Thaís Vitória Heloísa Manuela Luiza"
).split()
PT_NICKS = "ze joaozinho pedrinho lu bia gabi rafa gu fe nanda mari isa duda ju".split()
PT_SURNAMES = (
    "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa "
    "Ribeiro Martins Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias "
    "Nascimento Andrade Moreira Nunes Marques Machado Mendes Freitas Cardoso Ramos "
    "Gonçalves Santana Teixeira Araújo Cavalcanti Monteiro Moura Correia"
).split()
PEOPLE = {
    "es": (ES_FIRST, ES_NICKS, ES_SURNAMES),
    "en": (EN_FIRST, EN_NICKS, EN_SURNAMES),
    "he": (HE_FIRST, HE_NICKS, HE_SURNAMES),
    "pt": (PT_FIRST, PT_NICKS, PT_SURNAMES),
}
# Mexican shorthand for common surnames, as in `lupita_hdz92`.
SURNAME_SHORTHAND = {
    "hernandez": "hdz", "gonzalez": "glz", "martinez": "mtz", "rodriguez": "rdz",
    "lopez": "lpz", "perez": "prz", "gutierrez": "gtz", "ramirez": "rmz",
    "sanchez": "schz", "dominguez": "dgz", "fernandez": "fdz", "jimenez": "jmz",
}  # fmt: skip
PLACE_SUFFIXES = (
    "mx gdl cdmx mty pue ar bsas cba co mde bog cl stgo es bcn mad vlc uk ldn mcr ie dub "
    "il tlv br sp rj bh in mum blr ca to yvr au syd mel"
).split()
PERSON_PATTERNS = (
    "{f}_{l}", "{f}.{l}", "{f}{l}", "{f}_{l}{yy}", "{f}.{l}{yy}", "{f}{l}{yyyy}",
    "{n}_{a}{yy}", "{f}_{l}_ok", "{i}{l}", "{f}{li}{yy}", "the_real_{f}{l}", "{n}_{l}",
    "{n}{yy}", "{f}_{l}_{p}", "{f}__{l}", "{n}.{l}", "{l}{f}", "{l}_{f}{yy}", "{f}{l}_",
    "x{n}x", "{f}_{yyyy}", "iam{f}{l}", "{n}_{l}{d}", "{f}.{l}.{yy}", "{n}{l}",
    "{f}_{l}_{yyyy}", "{f}{l}{d}", "_{n}_{l}_", "{n}.{p}", "{i}.{l}{yy}", "{f}_{a}",
)  # fmt: skip

SUPPORT_WORDS = (
    "helpdesk help soporte soporte_tecnico soportetecnico ayuda support it_support "
    "itsupport techsupport tech_help asistencia servicio_tecnico ajuda suporte "
    "customer_care atencion"
).split()
HELP_TOPICS = (
    "tareas mate fisica quimica programacion python linux pcs laptops redes wifi "
    "impresoras bicis plantas gatos perros jardin cocina mudanzas taxes homework math "
    "bikes plants cats garden cooking moving resumes cv tesis ortografia recetas "
    "consolas celulares moviles guitarra fitness nutricion yoga lactancia crianza "
    "ansiedad estudio excel_sheets wordpress"
).split()
MONEY_WORDS = (
    "cashback ahorro finanzas presupuesto deudas_cero money budget frugal cupones "
    "ofertas descuentos deals shopping compras outlet rebajas promos savings finance "
    "invest inversiones economia poupanca grana dinheiro"
).split()
COMMUNITY_ORGS = (
    "banco_de_alimentos bancodealimentos food_bank foodbank banco_de_sangre "
    "bancodesangre banco_de_tiempo bancodetiempo banco_de_leche seed_bank toollibrary "
    "ropero_solidario comedor_comunitario despensa_solidaria banco_de_libros"
).split()
JOKE_BANKS = (
    "bankofmemes bankofdadjokes bankofbadideas memebank jokebank ideabank "
    "bancodememes bancodechistes banco_de_ideas piggybank thebankofmum bankofmumanddad"
).split()
SMALL_SHOPS = (
    "bakery tienda tiendita papeleria ferreteria abarrotes shop boutique panaderia "
    "floreria taller cafe kiosco minisuper barberia loja padaria"
).split()
CITIES = (
    "gdl cdmx mty puebla merida medellin cali lima quito madrid bcn sevilla valencia "
    "bilbao bsas cordoba rosario mendoza valpo concepcion leeds manchester bristol "
    "glasgow dublin cork galway telaviv haifa jerusalem saopaulo rio recife mumbai pune "
    "delhi toronto montreal vancouver sydney melbourne perth brisbane"
).split()
GENERIC_PATTERNS = (
    "{s}_{n}", "{n}_{s}", "{s}_{t}", "{t}_{s}", "{s}_{t}_{n}", "{m}_{n}", "{n}_{m}",
    "{m}_{c}", "{o}_{c}", "{j}", "{j}_{c}", "{j}{yy}", "{n}s_{shop}",
    "{shop}_{n}", "{shop}_de_{n}", "{shop}_{l}", "{m}{yy}", "{s}{t}",
)  # fmt: skip

OTHER_SECTOR = (
    # airlines
    "Iberia Vueling AirEuropa Aeromexico VivaAerobus Volaris AerLingus Ryanair easyJet "
    "BritishAirways AmericanAir Delta United SouthwestAir AirCanada WestJet Qantas LATAM "
    "Avianca JetSMART GOL Azul ElAl Arkia IndiGo airindia Emirates Lufthansa KLM "
    "AirFrance TAP "
    # telcos
    "Telcel Movistar Vodafone Claro Tigo Entel Vivo TIM Airtel Jio Rogers Bell Telus "
    "Optus Telstra Eir Three Bezeq Cellcom Verizon ATT TMobile Xfinity Spectrum Digi "
    "Orange "
    # football clubs
    "RealMadrid FCBarcelona Atleti SevillaFC ValenciaCF RealBetis AthleticClub "
    "ClubAmerica Chivas Rayados Tigres Pumas CruzAzul Toluca BocaJuniors RiverPlate "
    "Independiente SanLorenzo Flamengo Corinthians Palmeiras SaoPauloFC SantosFC Gremio "
    "ManUtd ManCity Arsenal ChelseaFC Spurs Everton Celtic Rangers ShamrockRovers "
    "MaccabiTLV Millonarios AtlNacional ColoColo UdeChile Juventus ACMilan FCBayern PSG "
    "Ajax Benfica FCPorto "
    # newspapers and broadcasters
    "elpais elmundoes ElUniversal Reforma Milenio Clarin Infobae Pagina12 ElTiempo "
    "ElEspectador LaTercera Emol Folha Estadao Globo Guardian BBCNews nytimes "
    "WashingtonPost IrishTimes Independent Haaretz Ynet Maariv TheHindu TimesofIndia "
    "NDTV GlobeandMail CBCNews ABCNews SMH Reuters "
    # post, transport, utilities, apps
    "Correos RoyalMail USPS CanadaPost AusPost AnPost Correios DHL FedEx UPS Estafeta "
    "Renfe Amtrak ViaRail IrishRail TfL Iberdrola Endesa Naturgy BritishGas "
    "OctopusEnergy Uber DiDi Cabify Glovo Airbnb Netflix Spotify Steam Nintendo"
).split()
OTHER_SECTOR_STYLES = (
    "{b}", "{b}Help", "Ask{b}", "{b}Ayuda", "{b}_es", "{b}_mx", "{b}Oficial", "{b}Care",
    "{b}Support", "{b}News", "{b}UK", "{b}_fans", "{b}Atiende", "{b}Cares", "{b}_help",
    "{b}Soporte", "{b}_ar", "{b}Brasil", "{b}_co",
)  # fmt: skip

EMOJI = (
    "🌻 ✨ 🌸 💫 ⚽ 🏃 ☕ 📚 🎧 🌊 🐶 🐱 🌵 🍕 🎸 💙 💚 🌮 🙏 🔥 🦋 🌙 ⭐ 🌈 🏳️‍🌈 🍀 🎨 📷 🚴 🧉"
).split()
FLAGS = "🇲🇽 🇪🇸 🇦🇷 🇨🇴 🇨🇱 🇧🇷 🇮🇱 🇬🇧 🇮🇪 🇺🇸 🇨🇦 🇦🇺 🇮🇳 🇵🇹 🇺🇾 🇵🇪".split()
ROLES = (
    "Runner|Mamá de 3|Papá de 2|Profe de mate|Ingeniera civil|Dev|Foodie|Fotógrafo|"
    "Enfermera|Abogado|Estudiante|Barista|Gamer|Designer|Teacher|Nurse|Coach|Viajera|"
    "Mom of 2|Dad of 3|Football fan|Ciclista|Professora|Médica|Engenheiro|Corredor|"
    "Jardinera|Chef en casa|Cat person|Book nerd|Músico|Nutrióloga|Contadora|Arquitecto|"
    "Plant mum|Padel addict|Hincha de Boca|Tifosa|Maratonista|Diseñadora UX"
).split("|")
PLACES = (
    "CDMX|GDL|MTY|Madrid|Barcelona|Bogotá|Medellín|Santiago|Buenos Aires|Córdoba|Lima|"
    "London|Manchester|Dublin|Cork|Tel Aviv|Haifa|São Paulo|Rio|Recife|Mumbai|Toronto|"
    "Montréal|Sydney|Melbourne|Sevilla|Valparaíso|Cali|Puebla|Leeds"
).split("|")
SEPARATORS = (" | ", " · ", " • ", " - ", " — ")
TITLES = ("Dr.", "Dra.", "Prof.", "Lic.", "Mtra.")
DISPLAY_PATTERNS = (
    "{F} {L}", "{F} {L} {e}", "{F} {e}", "{F}{sep}{r}", "{F} {F2} {e}", "{e} {F} {L} {e2}",
    "{F} ({N})", "{F} {L}{sep}{pl}", "{F} {Li}.", "{F} {L} {flag}", "{N} {L}",
    "{t} {F} {L}", "{F} {F2} {L}", "{F} {L}{sep}{r} {e}", "{N} {e} {e2}",
)  # fmt: skip
HE_FIRST_SCRIPT = (
    "דני יוסי אבי משה דוד איתי עומר נועם יונתן אייל עמית עידו תומר רועי גל אורן אורי איתן "
    "אריאל ניר שי יעל נועה תמר מיכל שירה מאיה טליה רותם עדי הילה ליאת אורלי דנה ענבר קרן "
    "אפרת סיון הדס נטע רונית מירב ליאור"
).split()
HE_SURNAMES_SCRIPT = (
    "כהן לוי פרץ ביטון דהן אברהם פרידמן אזולאי מלכה חדד גבאי שפירא כץ אוחיון יוסף דוד עמר "
    "גולדברג רוזנברג אשכנזי ששון וקנין אלבז שלום וייס קליין סגל גולן ברק נבון טל זוהר מזרחי"
).split()
HE_ROLES = (
    "סטודנטית|אמא של 3|מורה למתמטיקה|רץ מרתון|מתכנת|צלמת|חובב כדורגל|מהנדסת|אבא של 2|"
    "שפית ביתית|מדריך טיולים|אחות"
).split("|")
HE_PLACES = "תל אביב|חיפה|ירושלים|באר שבע|רמת גן|נתניה|אשדוד|מודיעין".split("|")
HE_DISPLAY_PATTERNS = (
    "{F} {L}", "{F} {L} {e}", "{F}{sep}{r}", "{F} {e}", "{F} {L}{sep}{pl}",
    "{F} {L} | {FL} {LL}", "{F} {L} 🇮🇱", "{e} {F} {e2}",
)  # fmt: skip

# Ordinary words and given names one or two edits from a brand core, never containing
# it or contained in it: see `near_word_rule_holds`.
NEAR_WORDS = {
    "chase": "chose chasm chaste phase chafe cease chaos",
    "citi": "city cite cutie",
    "target": "larger tarot garnet",
    "tesco": "fresco disco pesca",
    "asda": "asia soda aida adda",
    "argos": "argus argot cargo",
    "boots": "boats boost roots booth bolts",
    "monzo": "monza bonzo",
    "zara": "sara zora vara lara cara tara zarza",
    "aldi": "aldo aldea ali",
    "lidl": "lily",
    "coles": "holes moles poles colts",
    "ally": "alloy allie alley silly",
    "etsy": "easy itsy testy",
    "venmo": "venom vento memo",
    "chime": "chimp crime chile",
    "amex": "apex annex amen alex",
    "ebay": "obey",
    "apple": "ample apply",
    "lowes": "lower loves lobes",
    "costco": "costa costo",
    "kroger": "kruger",
    "paypal": "papal",
    "bbva": "bbq diva",
    "santander": "stander",
    "amazon": "amazing",
    "starling": "sterling starring darling",
    "primark": "primary",
    "revolut": "revolt",
    "coppel": "copper",
    "ocado": "ocaso",
    "currys": "curros",
    "caixa": "baixa",
    "kotak": "kayak",
    "myntra": "mantra",
    "bmo": "bmx",
    "nab": "nap",
    "anz": "ant",
    "aib": "aid",
    "dunnes": "dunes",
    "kmart": "smart",
    "ripley": "replay",
    "soriana": "soriano",
    "coto": "foto coco",
    "lider": "rider lidar",
    "jumbo": "dumbo jambo rumba",
    "lloyds": "floyd",
    "bunnings": "bunnies running",
}
NEAR_WORD_PATTERNS = (
    "{w}", "{w}_{n}", "{n}_{w}", "{w}{yy}", "the_{w}", "{w}_fan", "{w}_club", "{w}lover",
    "{w}.{n}", "{w}_{c}", "{w}_daily", "{w}_pics", "{w}world", "{w}_{n}{yy}", "my{w}",
)  # fmt: skip


# --- generators --------------------------------------------------------------------


def ascii_name(name: str) -> str:
    """A name as it appears in handles: `Ben-David` → `bendavid`, `O'Brien` → `obrien`."""
    return re.sub(r"[^a-z]", "", fold(name).lower())


def shorthand(surname: str) -> str:
    """`hernandez` → `hdz`; otherwise the first letter and the last two consonants."""
    if surname in SURNAME_SHORTHAND:
        return SURNAME_SHORTHAND[surname]
    consonants = re.sub(r"[aeiouy]", "", surname[1:])
    return surname[0] + consonants[-2:]


def birth_year(rng: random.Random) -> int:
    return rng.randint(1958, 2008)


def person_handles(rng: random.Random) -> Iterator[str]:
    languages = sorted(PEOPLE)
    while True:
        first_names, nicknames, surnames = PEOPLE[rng.choice(languages)]
        first, last = ascii_name(rng.choice(first_names)), ascii_name(rng.choice(surnames))
        year = birth_year(rng)
        yield rng.choice(PERSON_PATTERNS).format(
            f=first, l=last, n=rng.choice(nicknames + [first]), a=shorthand(last),
            i=first[0], li=last[0], yy=f"{year % 100:02d}", yyyy=year,
            d=rng.randint(1, 999), p=rng.choice(PLACE_SUFFIXES),
        )  # fmt: skip


def any_nickname(rng: random.Random) -> str:
    first_names, nicknames, _ = PEOPLE[rng.choice(sorted(PEOPLE))]
    return rng.choice(nicknames + [ascii_name(rng.choice(first_names))])


def generic_handles(rng: random.Random) -> Iterator[str]:
    while True:
        _, _, surnames = PEOPLE[rng.choice(sorted(PEOPLE))]
        yield rng.choice(GENERIC_PATTERNS).format(
            s=rng.choice(SUPPORT_WORDS), n=any_nickname(rng), t=rng.choice(HELP_TOPICS),
            m=rng.choice(MONEY_WORDS), c=rng.choice(CITIES), o=rng.choice(COMMUNITY_ORGS),
            j=rng.choice(JOKE_BANKS), shop=rng.choice(SMALL_SHOPS),
            l=ascii_name(rng.choice(surnames)), yy=f"{birth_year(rng) % 100:02d}",
        )  # fmt: skip


def other_sector_handles(rng: random.Random) -> Iterator[str]:
    while True:
        yield rng.choice(OTHER_SECTOR_STYLES).format(b=rng.choice(OTHER_SECTOR))


def latin_display_name(rng: random.Random) -> str:
    first_names, nicknames, surnames = PEOPLE[rng.choice(["es", "en", "pt", "es"])]
    last = rng.choice(surnames)
    return rng.choice(DISPLAY_PATTERNS).format(
        F=rng.choice(first_names), F2=rng.choice(first_names), L=last, Li=last[0],
        N=rng.choice(nicknames).capitalize(), e=rng.choice(EMOJI), e2=rng.choice(EMOJI),
        sep=rng.choice(SEPARATORS), r=rng.choice(ROLES), pl=rng.choice(PLACES),
        flag=rng.choice(FLAGS), t=rng.choice(TITLES),
    )  # fmt: skip


def hebrew_display_name(rng: random.Random) -> str:
    return rng.choice(HE_DISPLAY_PATTERNS).format(
        F=rng.choice(HE_FIRST_SCRIPT), L=rng.choice(HE_SURNAMES_SCRIPT),
        FL=rng.choice(HE_FIRST), LL=rng.choice(HE_SURNAMES), e=rng.choice(EMOJI),
        e2=rng.choice(EMOJI), sep=rng.choice(SEPARATORS), r=rng.choice(HE_ROLES),
        pl=rng.choice(HE_PLACES),
    )  # fmt: skip


def display_names(rng: random.Random) -> Iterator[str]:
    while True:
        yield hebrew_display_name(rng) if rng.random() < 0.25 else latin_display_name(rng)


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, swaps."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def near_word_rule_holds(word: str, core: str) -> bool:
    """One or two edits away, and neither a truncation nor an extension of the core."""
    return 1 <= edit_distance(word, core) <= 2 and word not in core and core not in word


def near_words() -> list[str]:
    pairs = [(w, core) for core, words in NEAR_WORDS.items() for w in words.split()]
    broken = [f"{w} ~ {core}" for w, core in pairs if not near_word_rule_holds(w, core)]
    if broken:
        raise SystemExit(f"NEAR_WORDS breaks its rule: {', '.join(broken)}")
    return sorted({w for w, _ in pairs})


def near_word_handles(rng: random.Random) -> Iterator[str]:
    words = near_words()
    while True:
        yield rng.choice(NEAR_WORD_PATTERNS).format(
            w=rng.choice(words), n=any_nickname(rng), c=rng.choice(CITIES),
            yy=f"{birth_year(rng) % 100:02d}",
        )  # fmt: skip


CATEGORIES: dict[str, Callable[[random.Random], Iterator[str]]] = {
    "person": person_handles,
    "generic": generic_handles,
    "other_sector": other_sector_handles,
    "display_name": display_names,
    "near_word": near_word_handles,
}


# --- selection ---------------------------------------------------------------------


def well_formed(candidate: str, category: str) -> bool:
    if category == "display_name":
        return 0 < len(candidate) <= MAX_DISPLAY_NAME and candidate == candidate.strip()
    return len(candidate) <= MAX_HANDLE and HANDLE_CHARS.fullmatch(candidate) is not None


def take(
    stream: Iterator[str],
    target: int,
    accept: Callable[[str], bool],
    seen: set[str],
) -> tuple[list[str], int]:
    """Up to `target` new accepted candidates, and how many were dropped for a core.

    Gives up after 200 draws per wanted candidate, so a too-small vocabulary shows as a
    short count instead of a hang.
    """
    kept: list[str] = []
    dropped_for_core = 0
    for _ in range(200 * target):
        if len(kept) == target:
            break
        candidate = next(stream)
        key = candidate.casefold()
        if key in seen:
            continue
        seen.add(key)
        if accept(candidate):
            kept.append(candidate)
        else:
            dropped_for_core += 1
    return kept, dropped_for_core


def build_negatives(
    matcher: CoreMatcher, seed: int, targets: dict[str, int]
) -> dict[str, tuple[list[str], int]]:
    """Each category's candidates and core drops; one RNG per category, in order."""
    seen: set[str] = set()
    result: dict[str, tuple[list[str], int]] = {}
    for index, (category, make_stream) in enumerate(CATEGORIES.items()):
        rng = random.Random(seed * 100 + index)
        candidates = (c for c in make_stream(rng) if well_formed(c, category))
        kept, dropped = take(
            candidates, targets[category], lambda c: not matcher.contains_core(c), seen
        )
        result[category] = (sorted(kept, key=str.casefold), dropped)
    return result


def write_lines(path: Path, groups: Sequence[Sequence[str]]) -> int:
    lines = [line for group in groups for line in group]
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return len(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--official", type=Path, default=DATA / "official_handles.csv")
    parser.add_argument("--out", type=Path, default=DATA / "negatives.txt")
    args = parser.parse_args(argv)

    cores = official_cores(read_official(args.official))
    result = build_negatives(CoreMatcher(cores), args.seed, TARGETS)
    total = write_lines(args.out, [kept for kept, _ in result.values()])

    print(f"brand cores: {len(cores)}")
    for category, (kept, dropped) in result.items():
        short = "" if len(kept) == TARGETS[category] else f"  (wanted {TARGETS[category]})"
        print(f"{category:>13}: {len(kept):6d} kept, {dropped:5d} dropped for a brand core{short}")
    print(f"{'total':>13}: {total:6d} lines in {args.out}")


if __name__ == "__main__":
    main()
