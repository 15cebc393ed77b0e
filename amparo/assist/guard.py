"""The reply guard: what an agent or a bot is about to send, read before it is sent.

Two severities. **block** (cannot be sent, no override):

* `secret_request`: the reply asks the customer to give, type, read out or confirm a
  PIN, a password or passcode, a one-time or verification code, the full card number or
  the CVV. Telling them *never* to share one ("we will never ask for your PIN") is the
  opposite and passes; so do the last four digits of a card, and typing a code into the
  app or a PIN at a cash machine.
* `unofficial_channel`: the reply moves the customer to a personal WhatsApp, phone,
  e-mail or social account, a link shortener, or a domain that is not the brand's
  (when the brand's domains are known) or looks like a phishing one.

**warn** (can be sent with a reason, which is audited):

* `dismissive`: brush-offs and blame ("calm down", "it's our policy", "you should have",
  "there's nothing I can do", "ask friends or family"), in Spanish, English and Hebrew;
* `unfunded_promise`: money promised as certain (refunds, waived fees or interest,
  compensation) with no relief policy in force that covers it;
* `no_apology` / `no_next_step`: to a distressed customer, or one affected by an
  incident, no apology or empathy, or no next step with a time;
* `wrong_language`: the reply is not in the customer's language;
* `foodbank_without_referral`: a food bank is named with no route to it (a referral, a
  voucher, who to call).

Rules work on sentences; a request and the secret it asks for may sit in neighbouring
sentences ("You'll get a code by SMS. Paste it here."). Every rule is a list of cue
patterns per language, matched on lower-cased text with accents optional, so that typed
Spanish without accents ("dime tu contrasena") is read the same.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

MAX_CHARS = 8000

BLOCK_REASONS = ("secret_request", "unofficial_channel")
WARN_REASONS = (
    "dismissive",
    "unfunded_promise",
    "no_apology",
    "no_next_step",
    "wrong_language",
    "foodbank_without_referral",
)
REASONS = BLOCK_REASONS + WARN_REASONS


# Spanish verb endings after a stem: imperative (tú, usted), subjunctive, infinitive,
# with the clitics a request carries ("mándeme", "escribirme", "pásamelo").
ES_ENDINGS = (
    "a|e|as|es|an|en|ar|er|ir|ame|eme|anos|enos|alo|elo|ala|ela|amelo|emelo|enoslo|"
    "arme|erme|irme|arnos|irnos|armelo|irmelo|arlo|irlo|ale|ele|arle|irle"
)


def rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# Hebrew prefixes (ו and, ה the, ב in, ל to, ש that, מ from, כ as) join the word; a
# Hebrew word starts where no Hebrew letter comes before ("יישלח" is not "שלח").
H = "(?<![\u05d0-\u05ea])[ובהלשמכ]{0,2}"
HE_END = "(?![\u05d0-\u05ea])"

# --- secrets ---------------------------------------------------------------------------

SECRET = rx(
    # PIN
    r"(?:\b|(?<=[\u05d0-\u05ea]))(?:pin|nip)s?\b",
    r"\b(?:4|four|cuatro) (?:digits|numbers|n[uú]meros|d[ií]gitos) (?:you|que) (?:use|usas?|pones?|marcas?|tecleas?)",
    r"\b(?:digits|numbers|n[uú]meros) (?:you use )?(?:at|en) (?:the |el )?(?:cash ?machine|atm|cajero)",
    rf"{H}קוד (?:ה)?סודי|{H}קוד (?:ה)?חדש שבחרת|{H}קוד (?:ה)?כרטיס",
    # password / passcode
    r"\bpass(?:word|code|phrase)s?\b",
    r"\bmemorable (?:word|password|information)",
    r"\bcontrase[nñ]as?\b",
    r"\bclaves? (?:de acceso|de firma|din[aá]mica|otp|de internet|de seguridad|personal|secreta|de (?:la )?banca|del? cajero|de operaciones)",
    r"\b(?:tu|su|tus|sus) claves?\b",
    rf"{H}סיסמ(?:ה|א|אות|ות)\b|{H}סיסמ(?:ה|א)|{H}קוד (?:ה)?גישה",
    # one-time and verification codes
    r"\b(?:otp|one[- ]time (?:pass)?(?:code|password)|verification code|sms code|auth(?:entication)? code|access code|security code|confirmation code)\b",
    r"\bcode\b",
    r"\btokens?\b",
    r"\b(?:\d|four|six|three|4|6) ?-?digit(?:s)?\b",
    r"\bnumbers? (?:from|in|on) (?:the |that )?(?:sms|text)",
    r"\bc[oó]digos?\b",
    r"\b(?:\d|cuatro|seis|tres) (?:d[ií]gitos|cifras)\b",
    r"\bn[uú]meros del (?:sms|mensaje)",
    rf"{H}קוד\b|{H}קודים\b|\botp\b|{H}טוקן|(?<!\d)\d{1, 3} ?(?:ה)?ספרות|(?:שש|ארבע|שלוש|4|6|3) ה?ספרות",
    # card number and CVV
    r"\bcard (?:number|details|no\b)",
    r"\b(?:long|full|whole|complete|entire) (?:card )?number",
    r"\b(?:16|sixteen) (?:numbers|digits) (?:on|from) the front\b|\b(?:online banking|app|account) (?:login|log-in|credentials)\b|\blogin (?:details|credentials)\b|\bdatos de acceso\b|\busuario y contrasena\b",
    r"\b16[- ]digit|\ball 16\b",
    r"\bn[uú]mero (?:completo )?de (?:la |tu |su )?tarjeta",
    r"\bn[uú]mero completo",
    r"\bdatos de (?:la |tu |su )?tarjeta",
    r"\b(?:16|diecis[eé]is) (?:d[ií]gitos|n[uú]meros)",
    rf"{H}מספר (?:ה)?כרטיס|{H}פרטי (?:ה)?כרטיס|16 (?:ה)?ספרות|{H}כרטיס משני הצדדים",
    r"(?:\b|(?<=[\u05d0-\u05ea]))(?:cv[cv]2?|csc)\b",
    r"\b(?:\d|three|3)[- ]digit (?:number|code) (?:printed |written |shown )?(?:on|at) the back|\b(?:number|code|digits) (?:printed|written|shown) (?:on|at) the back",
    r"\b(?:photo|picture|pic|snap|scan|screenshot|image)s? of (?:the |your )?(?:\w+ ){0,3}(?:card|front and back|both sides)\b",
    r"\bfotos? (?:de|del) (?:la |su |tu )?(?:\w+ ){0,3}(?:tarjeta|frente|reverso|ambos lados)\b",
    rf"{H}(?:תצלם|תצלמי|לצלם|צילום|תמונה) (?:של |את )?(?:ה)?כרטיס",
    r"\bclaves? (?:de \d|que (?:figura|aparece|viene|te llego|le llego)|del (?:sms|mensaje))|\btarjeta de coordenadas\b|\bcoordenadas\b",
    r"\bauthenticator\b|\bapp de (?:autenticacion|firma)\b|(?<![\u05d0-\u05ea])(?:מספר|קוד) (?:ש)?מתחלף|(?<![\u05d0-\u05ea])(?:ה)?מאמת",
    r"\b(?:three|3) (?:numbers|digits) (?:on|from) the back|\b(?:numbers|digits|code) (?:on|from) the back",
    r"\bc[oó]digo de seguridad",
    r"\b(?:your|ur|login|log-in|online banking|banking|app|account) credentials\b|\b(?:tus|sus) credenciales\b|\bcredenciales (?:de|para) (?:la |tu |su )?(?:banca|app|acceso|cuenta)|\bpw\b|\bpwd\b|\blog ?in (?:\+|and|&) (?:pw|password)|\busuario y contra\b|\bclave del home ?banking\b|\bclave (?:del|de la) (?:app|banca|cajero|tarjeta)",
    r"\b(?:what|whatever) (?:the|that|our) (?:text|sms|message) (?:says|said)|\bnumbers? (?:in|from) (?:it|that text|the message)\b|\bnumer(?:os|itos) (?:que )?(?:te |le )?(?:acaban? de |acabamos de )?(?:llegar|llego|llegaron)|\b(?:codigo|clave|numeros|numeritos) que (?:te|le) (?:llego|lleg[oó] por sms)\b",
    rf"{H}פרטי (?:ה)?(?:התחברות|כניסה|גישה)|{H}שם (?:ה)?משתמש ו|{H}מה כתוב ב(?:הודעה|סמס|sms)|{H}מפתח (?:ה)?אבטחה",
    r"\b(?:numer(?:os|itos)|digitos|codigo|cifras)(?: que (?:vienen?|aparecen?|estan?|tiene))? (?:de |en |por |al )?(?:atras|al? reverso|en el reverso|del reverso|detras|la parte de atras|el dorso)",
    r"(?:שלוש|3) (?:ה)?ספרות (?:ש)?(?:מופיעות )?(?:ב|מ)?(?:גב|מאחורי|אחורי)",
)
# A card's last four digits, the customer's name, an order number: not secrets.
NOT_SECRET = rx(
    r"\blast (?:4|four)\b",
    r"\b(?:[uú]ltimos|ultimos) (?:4|cuatro)\b",
    r"(?:4|ארבע) (?:ה)?ספרות (?:ה)?אחרונות",
    r"\bending (?:in )?\d{4}|\bterminaci[oó]n \d{4}",
    r"\bcall (?:the|us on the) number\b|\bll[aá]m(?:e|a|enos|anos) al n[uú]mero\b|(?:טלפון|מספר) (?:ש)?(?:מופיע )?(?:ב)?גב",
    r"\border (?:number|no\b|id)|\b(?:reference|case|ticket|tracking) (?:number|code|no\b)|\bnumero de (?:pedido|orden|folio|guia|rastreo|caso)|\bfolio\b|(?<![\u05d0-\u05ea])מספר (?:ה)?(?:הזמנה|אסמכתא|פנייה|משלוח)",
    r"\bclave de rastreo|\bclabe\b|\bc[oó]digo postal|\bpost ?code|\bzip code|\bc[oó]digo de (?:barras|promoci[oó]n|descuento|rastreo)|\bpromo code|\bdiscount code|\btracking code|\breference code|קוד (?:ה)?קופון|קוד (?:ה)?הנחה|מיקוד",
)
# The customer is asked to hand something over: to the agent, here, in this chat.
REQUEST = rx(
    # English
    r"\b(?:send|give|tell|share|confirm|provide|type|write|read|reply|respond|dm|pop|paste|copy|forward|screenshot|spell|enter|put|drop|include|attach|submit)\b",
    r"\bsay (?:it|them|the|your|ur)\b",
    r"\b(?:pass|shoot|fire|ping|upload|dictate|snap) (?:me|us|it|them|over|on|across|along|the|your|ur|a)\b|\b(?:hand|key) (?:me|us|it over|them over)\b",
    r"\b(?:uploading|dictating|passing|handing)\b",
    r"\b(?:sharing|sending|giving|telling|confirming|providing|typing|reading|pasting|forwarding|dropping|popping|texting|messaging)\b",
    r"\b(?:jot|note|copy|read|type|write) (?:down|out|back|over)\b|\bcopy and paste\b",
    r"\b(?:text|email|e-mail|message|whatsapp) (?:me|us|it|them)\b",
    r"\blet (?:me|us) (?:know|have)\b",
    r"\b(?:i|we)(?:'ll| will| would| just| really| do| still| also| only)* need\b",
    r"\b(?:i|we)(?:'d| would) (?:like|love)\b",
    r"\b(?:what|which)(?:'s| is| was| are)? (?:the |your |ur )?(?:[\w-]+ ){0,3}(?:pin|password|passcode|code|numbers?|digits?|cvv|cvc|token|otp)\b",
    r"\bwhat (?:pin|password|passcode|code)\b",
    # Spanish
    # Spanish (accents folded): a clitic before the verb is a statement ("te mande un
    # codigo": I sent you a code), not a request.
    rf"(?<!\bte )(?<!\ble )(?<!\bles )(?<!\bse )(?<!\bya )(?<!\bacabamos de )(?<!\bacabo de )(?<!\bvamos a )(?<!\bvoy a )\b(?:envi|mand|pas|compart|proporcion|confirm|escrib|indiqu|indic|facilit|respond|contest|copi|peg|pegu|reenvi|dict|tecle|anot|apunt|reg[aá]l|comunic|report|mostr|muestr|ense[nñ])(?:{ES_ENDINGS})\b",
    r"(?<!\bte )(?<!\ble )\b(?:di(?:me|game|ganos|nos|gas|melo|gamelo|noslo)|decir(?:me|nos|lo)?|le(?:a|e)(?:melo|mela|me|nos)|leer(?:melo|nos)?|des|de(?:me|nos)|dar(?:me|nos)|d[eé]mel[oa]|dictar)\b",
    r"\b(?:necesito|necesitamos|necesitaria|necesitariamos|requiero|requerimos|me hace falta)\b",
    r"\b(?:cual|que) (?:es |era |fue )?(?:el |la |tu |su )?(?:\w+ ){0,2}(?:nip|pin|contrasena|clave|codigo|numero|digitos|cvv|token)\b",
    r"\bque (?:nip|pin|contrasena|clave|codigo)\b",
    r"\bme (?:das|da|pasas|pasa|dices|dice|escribes|confirmas|compartes|lees)\b",
    r"\bcaptura\b",
    r"\badjunt(?:e|a|es|en|ar|ame|eme|anos|enos|alo|elo|amelo|emelo|ale|ele)\b|\bcu[eé]nt(?:ame|eme|anos|enos)\b|\bdecime\b|\bdecinos\b|\bcontame\b|\bcontanos\b|\bpasame\b|\bpasamelo\b",
    r"\b(?:me |nos )?(?:los |las |lo |la )?(?:va|vas|van) (?:leyendo|dictando|diciendo|pasando)\b|\b(?:leyendo|dictando)(?:me|nos)(?:lo|la|los|las)?\b",
    r"\bsub(?:a|e|ir|irme|anos)\b (?:aqui|aca|por aqui|al chat|una foto|foto)",
    # Hebrew
    rf"{H}(?:ת)?שלח(?:י|ו)?{HE_END}|{H}לשלוח|{H}(?:ת)?שלחו|{H}תענ(?:י|ה)|{H}תכתוב|{H}תכתבי|{H}תיכתוב|{H}תיכתבי|{H}לכתוב|{H}כתוב לי|{H}תגיד(?:י)?\b|{H}תקריא(?:י)?|{H}להקריא|{H}תאשר(?:י)?\b|{H}לאשר|{H}לציין|{H}למסור|{H}תמסור|{H}תמסרי|\bתן\b|\bתני\b|{H}תדביק(?:י)?|{H}תעביר(?:י)?|{H}להעביר|{H}תעתיק(?:י)?|{H}להעתיק|{H}תביא(?:י)?|{H}להביא|{H}תזרוק(?:י)?|{H}תקפיץ(?:י)?|{H}הקלד(?:/י|י)?\b|{H}הקלידי|{H}להקליד|{H}תקליד(?:י)?|{H}תצלמ(?:י)?|{H}להשיב|{H}השב\b|{H}תרשום|{H}תרשמי|{H}תכתיב(?:י)?|{H}להכתיב|{H}תשתפ(?:י)?|{H}תשתף|{H}לשתף|{H}תעלה{HE_END}|{H}תעלי{HE_END}|{H}תקריאי|{H}תמסרו|{H}תאמר(?:י)?|{H}שלחי|{H}תעדכנ(?:י)?",
    rf"(?:אני|אנו|אנחנו) (?:רק )?(?:צריך|צריכה|צריכים|צריכות)|\bצריך את\b|\bצריכה את\b|צריך שת|צריכה שת|{H}נצטרך|{H}נבקש|{H}אשמח ש?ת",
    r"\bמה (?:ה)?(?:קוד|סיסמה|סיסמא|שלוש|ספרות|מספר|טוקן)",
)
# The reply tells the customer to keep it to themselves ("don't tell me it", "no me lo
# repita", "אל תגידי לי אותו"): the classifiers may not call it a request for a secret.
KEEP_IT = rx(
    r"\b(?:don'?t|do not|dont|never|no need to|you don'?t (?:need|have) to|there'?s no need to) (?:ever )?(?:tell|give|send|share|read|say|show|repeat|type|post|dm|text)(?: (?:it|them|that|this|the code|the pin|anything))? (?:to )?(?:me|us|here|in (?:this|the) chat)\b",
    r"\bi (?:can'?t|cannot|won'?t|don'?t) (?:see|accept|need|want)(?: to (?:see|know))? (?:it|them|that|the code|your pin|your password)\b|\b(?:not|never) (?:in|into|to) (?:this|the) chat\b|\bnot (?:to )?(?:me|us)\b",
    r"\bno (?:me|nos) (?:lo |la |los |las )?(?:digas|diga|digan|repitas|repita|mandes|mande|envies|envie|pases|pase|des|de|escribas|escriba|compartas|comparta|dictes|dicte|leas|lea)\b|\ba m[ií] no\b|\bno (?:lo|la|los|las) (?:compartas|comparta|digas|diga)\b|\bno (?:necesito|necesitamos) (?:verlo|verla|saberlo|saberla|que me (?:lo|la) (?:digas|diga))\b|\bni (?:a m[ií]|a nosotros)\b|\bno en este chat\b|\bde la tarjeta no\b",
    rf"{H}אל (?:ת)?(?:גיד|ספר|שלח|כתוב|קריא|מסור|שתפ|שתף)\S* (?:לי|לנו|אותו|אותה|אותם|פה|כאן)|{H}לא צריך (?:ל)?(?:הגיד|לספר|לשלוח|לכתוב|להקריא|למסור|לראות)|{H}אני לא (?:צריך|צריכה|יכול|יכולה) (?:לראות|לדעת)|{H}אין למסור|{H}לא לי|{H}לא בצ'אט",
)
# Words that turn a request around: never share, don't send, only in the app.
NEGATION = rx(
    r"\b(?:never|don'?t|do not|dont|doesn'?t|not|no one|nobody|anyone|anybody|ignore|won'?t|will not|wouldn'?t|would never|shouldn'?t|should not|no need|nor|neither|without|stop|avoid|refrain|instead of)\b",
    r"\b(?:nunca|jamas|nadie|ni|ignora|ignore|sin|no hace falta|no es necesario|no necesit\w*)\b",
    rf"{H}אל{HE_END}|(?<![\u05d0-\u05ea])(?:ו|ש|וש|ל|ב)?לא{HE_END}|{H}אף פעם|{H}לעולם|{H}אין צורך|{H}אסור|{H}אף אחד|{H}בלי{HE_END}",
)
NEVER = re.compile(
    r"\b(?:never|nunca|jamas|no one|nobody|nadie)\b|(?<![\u05d0-\u05ea])(?:אף פעם|לעולם|אף אחד)"
)
POLITE = re.compile(
    r"\b(?:don'?t|do not|wouldn'?t|would not) (?:mind|hesitate|forget|panic|worry)\b|\bno (?:te |se )?(?:preocupes|preocupe|dudes|dude|olvides|olvide)\b|\bsin (?:problema|prisa)\b|(?<![\u05d0-\u05ea])(?:אל תדאג|אל תדאגי|אל תהסס|אל תהססי|אל תשכח|אל תשכחי)"
)
# In Spanish a bare "no" negates the verb after it ("no se lo des a nadie"); in English
# "no worries" does not.
NEGATION_ES = re.compile(r"\bno (?:se |te |le |los |las |lo |la |nos |me )*\w+")
# A subject before the verb: someone else does it ("we'll send you a code", "they say").
OTHER_SUBJECT = re.compile(
    r"\b(?:we|we'll|we've|we'd|i|i'll|i've|they|they'll|they've|he|she|it|someone|somebody|anyone|who|will|would|scammers?|fraudsters?|criminals?)\s*$"
)
# Third parties asking ("anyone who asks you to read it out") are what the reply warns about.
REPORTED = rx(
    r"(?<!\bi am )(?<!\bi'm )(?<!\bwe )(?<!\bi )\b(?:asks?|asking|asked) (?:you |for )",
    r"\b(?:even if|even though|aunque|aun si)\b|(?<![\u05d0-\u05ea])(?:אפילו אם|גם אם)",
    r"\b(?:te |le )?(?:pida|pidan|pide|piden|pidi[oó]) ",
    rf"{H}(?:י)?בקש(?:ו)? ממך|{H}מבקש(?:ים|ת)? ממך|{H}ביקש",
)
# Where a code or PIN belongs: the app, the cash machine, the official web site.
OWN_PLACE = rx(
    r"\b(?:in|into|on|at|from) (?:\w+ ){0,3}(?:app|application|atm|atms|cash ?machines?|card machine|card reader|reader|terminal|screen|keypad|website|web site|pin ?pad|checkout|till)\b|\bin there\b|\bonly (?:at|there)\b",
    r"\b(?:en|a|desde) (?:\w+ ){0,3}(?:app|aplicacion|cajero|cajeros|datafono|terminal|pantalla|teclado|sitio|web|portal|pagina)\b|\bahi mismo\b|\bsolo (?:ahi|alli)\b",
    rf"{H}אפליקציה|{H}כספומט|{H}מסך|{H}מסוף|{H}אתר|{H}מכשיר",
)
TO_US = rx(
    r"\b(?:here|this chat|the chat|to me|to us|me|us|in your reply|reply|dm)\b",
    r"\b(?:aqu[ií]|ac[aá]|este chat|el chat|conmigo|a m[ií]|por dm|por aqu[ií]|en tu respuesta|en su respuesta)\b",
    rf"\bפה\b|\bכאן\b|{H}צ'אט|{H}צאט|\bאליי\b|\bאלינו\b|\bלי\b|\bלנו\b|{H}תגובה",
)

# Here, to me, in this chat: where a request sends the secret.
TO_US_HERE = rx(
    r"\b(?:here|this chat|the chat|to me|to us|in your reply|reply with|below)\b",
    r"\b(?:aqu[ií]|ac[aá]|este chat|el chat|conmigo|a m[ií]|por aqu[ií]|en (?:tu|su) respuesta|escr[ií]b(?:eme|ame|inos|anos|ime))\b",
    rf"\bפה\b|\bכאן\b|{H}צ'אט|{H}צאט|\bאליי\b|\bאלינו\b",
)

# --- unofficial channels ----------------------------------------------------------------

PERSONAL_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]{1,64}@(?:gmail|googlemail|hotmail|outlook|live|yahoo|ymail|icloud|me|proton(?:mail)?|pm|aol|gmx|mail|yandex|zoho)\.[a-z.]{2,6}\b",
    re.IGNORECASE,
)
SHORTENERS = frozenset(
    """bit.ly tinyurl.com cutt.ly goo.gl ow.ly is.gd t.co rb.gy shorturl.at tiny.cc s.id
    buff.ly rebrand.ly t.ly bl.ink short.io lnkd.in tr.im v.gd qr.net wa.me""".split()
)
# Bounded repetitions only: a long run of letters with no dot must not backtrack.
LINK = re.compile(
    r"(?i)(?<![\w.-])(?:https?://)?((?:[a-z0-9\u00a1-\uffff-]{1,63}\.){1,8}(?:[a-z]{2,24}|xn--[a-z0-9-]{1,59}))(?![\w-])(?:[/?#][^\s<>\"']*)?"
)
# Domains fraudsters use for "support": hyphenated words of security and service.
PHISHY = re.compile(
    r"(?:^|[.-])(?:secure|security|login|log-in|signin|verify|verification|verificacion|verificar|soporte|support|help|ayuda|atencion|servicio|service|clientes?|customers?|update|actualiza|actualizar|pay|pago|pagos|payments?|refunds?|reembolsos?|devoluciones|devolucion|claims?|aclaracion(?:es)?|reclamaciones|tramites|unlock|desbloqueo|account|cuenta|online|portal|web|bank|banca|banco|care|team|id|auth|confirm|confirmar|validar|validation|bonus|premio|prize|gift|regalo|tracking|envios|delivery|shipping|seguridad|seguro|segura|acceso|alertas?|aviso|bloqueo|desbloquear|clave|token|premios|beneficios|promo|ofertas|outlet|reintegros?|recupera|recuperar|validacion|reclamos|tofes|refund|helpdesk|desk|urgent|urgente|rewards|app|apps|download|descarga)(?:[.-]|$)"
)
PERSONAL_CHANNEL = rx(
    r"\b(?:my|his|her|their) (?:own |personal |private )?(?:whatsapp|number|mobile|cell|phone|email|e-mail|account|instagram|insta|facebook|telegram|signal|handle)\b",
    r"\b(?:personal|private|own) (?:whatsapp|number|mobile|cell|phone|email|e-mail|account|instagram|telegram)\b",
    r"\bit'?s my (?:own )?(?:number|whatsapp|account)",
    r"\b(?:on|via|in|through) (?:telegram|signal|snapchat)\b|\badd me on\b|\bt\.me/",
    r"\bmi (?:whatsapp|wa|numero|cel|celular|movil|telefono|correo|cuenta|instagram|insta|telegram|face)\b",
    r"\b(?:whatsapp|numero|cel|celular|movil|correo|cuenta|telefono) (?:personal|privad[oa]|propio)\b",
    r"\bes mi numero\b|\b(?:en|por) telegram\b|\bagregame\b",
    rf"{H}וואטסאפ (?:ה)?(?:אישי|פרטי|שלי)|{H}וואטסאפ שלי|{H}(?:ה)?נייד (?:שלי|האישי|הפרטי)|{H}טלפון (?:ה)?(?:אישי|פרטי)|{H}מספר (?:ה)?(?:אישי|פרטי)|{H}אינסטגרם שלי|{H}פייסבוק שלי|{H}טלגרם|(?<!לנו )(?<!אלינו )(?<!לך )(?<!לכם ){H}הודעה פרטית(?! (?:לנו|אלינו|עם))|{H}מייל (?:ה)?(?:אישי|פרטי)",
)
# "Write to me", "call me": only with a number, a handle or an address beside them.
CONTACT_ME = rx(
    r"\b(?:whatsapp|call|text|ring|message|dm|add|contact|email) me\b|\bcall me directly\b",
    r"\b(?:escribeme|llamame|mandame (?:un )?(?:whats|mensaje|dm)|contactame|marcame)\b",
    rf"{H}(?:תתקשר|תתקשרי|התקשר|התקשרי) אליי{HE_END}|{H}תכתוב לי ישר|{H}לנייד{HE_END}",
)
MOVE = rx(
    r"\b(?:write|message|text|call|ring|contact|dm|add|send|email|e-mail|whatsapp|reach|talk|chat|go|visit|log ?in|sign ?in|fill|click|tap|open|follow|track|verify|update|enter|pay)\b",
    r"\b(?:escr[ií]b|mand|env[ií]|llam|contact|agr[eé]g|entr|visit|ingres|llen|rellen|da clic|haz clic|pulsa|abre|verifi|actualiz|pag|sigue|segu|comun[ií]c)",
    rf"{H}(?:ת)?כתוב|{H}(?:ת)?שלח|{H}תתקשר|{H}התקשר|{H}תמשיך|{H}תפנה|{H}היכנס|{H}להיכנס|{H}תמלא|{H}לחץ|{H}תלחץ|{H}לשלוח|{H}נמשיך",
)
MESSAGING_APP = rx(
    r"\b(?:whatsapp|whats ?app|telegram|viber)\b",
    r"(?<![\u05d0-\u05ea])[ובלה]?(?:וואטסאפ|ווטסאפ|וואצאפ|טלגרם)",
)
# "our official WhatsApp line", "la línea oficial": the brand's own number.
OFFICIAL = rx(
    r"\bofficial\b|\bverified\b|\boficial(?:es)?\b|\bverificad[oa]\b|(?<![\u05d0-\u05ea])[הב]?רשמי(?:ת|ים)?(?![\u05d0-\u05ea])",
)
# Words that make an @handle a place to go rather than a mention.
HANDLE_AS_PLACE = rx(
    r"\b(?:follow|dm|message|write to|contact|search for|find|reach|reach out to|add|join|over at|head over to|go to|talk to|speak to|chat (?:to|with)|via|send \w+(?: \w+){0,3} to)(?: (?:us|them|our|the|him|her))?(?: (?:team|bot|account|page|channel|desk))?(?: (?:at|on))?\s*$",
    r"\b(?:follow|dm|message|write|find|search|join|contact|reach|add|go|head|talk)\w*\b(?:\s+\S+){0,4}?\s+(?:telegram|instagram|insta|ig|x|twitter|bluesky|bsky|tiktok|facebook|fb|channel|account|page|bot)\s*$",
    r"\b(?:escr[ií]b\w*|sigue|sigan|s[ií]gue(?:nos)?|s[ií]gannos|busca|b[uú]sca(?:nos)?|contacta|m[aá]nda(?:le|les)?|agrega|[uú]nete|sumate|s[uú]mate|dm|manda dm)(?: (?:a|al|en|con|por))?(?: (?:nuestra|la|el|nuestro) (?:cuenta|canal|perfil)(?: de \w+)?)?\s*$",
    r"\b(?:escr[ií]b|sig|s[ií]g|busc|mand|contact|[uú]n|sum|agreg)\w*(?:\s+\S+){0,3}?\s+(?:al|en el|en|por) (?:ig|insta|instagram|telegram|canal|perfil|twitter|x)\s*$",
    r"(?:באינסטגרם|באינסטה|בטלגרם|בטוויטר|לאינסטגרם|דרך (?:ה)?(?:אינסטגרם|טלגרם)|לחשבון|בחשבון|אצל)\s*$|(?<![\u05d0-\u05ea])[לב]-?$",
)


def phone_numbers(sentence: str) -> list[str]:
    """The digits of what looks like a phone number: not a date (2024-11-25) nor a long
    run of bare digits that reads as an order or account number."""
    found = []
    for match in PHONE.finditer(sentence):
        raw = match.group()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{2}[-/]\d{2}[-/]\d{4}", raw):
            continue
        if raw.isdigit() and not raw.startswith("0"):
            continue
        found.append(re.sub(r"\D", "", raw))
    return found


THANKS_FOR = rx(
    r"\b(?:thanks?|thank you) for\b|\bgracias por\b|(?<![\u05d0-\u05ea])תודה (?:ש|על)",
)
PHONE = re.compile(r"(?<![\w/.-])\+?\d[\d ()-]{6,18}\d(?![\w/-])")
HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_][A-Za-z0-9_.]{1,49})")

# --- dismissive, blaming wording ----------------------------------------------------------

DISMISSIVE = rx(
    # English
    r"\bcalm down\b|^\s*relax\b|\brelax,|\bchill out\b",
    r"\b(?:it'?s|it is|that'?s|that is|this is) (?:just )?(?:our|the|company|bank|store) (?:policy|rules?|procedure)\b(?! (?:is )?to (?:refund|protect|freeze|help|return))",
    r"\b(?:our )?policy says\b|\bpolicy is policy\b|\brules are rules\b|\bthose are the rules\b|\bby the book\b",
    r"\b(?:you|u) (?:really |honestly |just |probably |definitely |clearly |obviously )(?:should|shoulda|should'?ve|ought to)(?: have|'ve| of)? (?:been|told|read|checked|kept|known|called|thought|asked|done|paid|noticed|saved|contacted|informed|looked|made|used|reported|taken|updated|let|realised|realized)\b",
    r"\b(?:you|u) (?:should|shoulda|should'?ve|ought to)(?: have|'ve| of)? (?:been|told|read|checked|kept|known|called|thought|asked|done|paid|noticed|saved|contacted|informed|looked|made|used|reported|taken|updated|let|realised|realized)\b",
    r"\bshould(?:n'?t| not) have (?:lent|given|shared|clicked|done|bought|used|trusted|sent|paid|opened|spent)\b",
    r"\b(?:there'?s|there is) (?:literally |really |honestly |just )?(?:nothing|not much|little) (?:else |more )?(?:i|we) can do\b|\b(?:there isn'?t|not) (?:literally |really )?(?:anything|much) (?:else |more )?(?:i|we) can do\b|\bnothing (?:more |else )?(?:i|we) can do\b|\bnot much i can do\b",
    r"\b(?:i|we) (?:can'?t|cannot|can not) do anything\b",
    r"\b(?:ask|borrow from|rely on|lean on|turn to|get help from) (?:your )?(?:friends|family|a friend|a relative|relatives|your family)\b(?! (?:member )?(?:can|could) (?:call|contact|speak|talk))",
    r"\b(?:friends|family|a friend|a relative) (?:to help|could help|might help|can help) (?:you )?(?:out|with (?:the |your )?(?:money|bills|payment|rent))",
    r"\bnot (?:my|our) (?:problem|fault|responsibility|department|job|issue)\b|\bthat'?s on you\b|(?<!not )(?<!n't )\byour (?:own )?fault\b",
    r"\bas i (?:already |have already |'ve already )?(?:said|told you|explained|mentioned)\b|\bi'?ve (?:already )?(?:explained|told you) this\b",
    r"\b(?:you (?:need|have) to|you must|please|just) be patient\b|\bbe patient like\b",
    r"\bit is what it is\b|\bthat'?s (?:just )?(?:the way|how) it is\b|\bdeal with it\b|\btake it or leave it\b|\blive with it\b",
    r"\byou must have (?:done|made|entered|typed|clicked|pressed|given)\b|\byou probably (?:clicked|did|gave|entered|typed)\b|\bthe problem must be (?:your|on your)\b",
    r"\bread the (?:faq|terms|t&cs|small print|fine print|website|manual)\b",
    r"\babove my pay ?grade\b|\bi just answer the\b|\bnot my department\b",
    r"\b(?:isn'?t|is not|not) (?:really |exactly |strictly )?(?:my|our|the bank'?s|the store'?s) (?:problem|responsibility|concern|department)\b",
    r"\bas (?:stated|mentioned|explained|noted|advised|outlined) (?:in|on) (?:my|our) (?:previous|earlier|last|prior)\b|\bas (?:previously|already) (?:stated|explained|advised|mentioned|noted)\b|\bread (?:those|my|our) (?:emails|messages|replies|letters) again\b",
    r"\b(?:regard|consider|deem) (?:this|the) (?:matter|complaint|case|issue) (?:as )?(?:closed|resolved|concluded)\b|\bfurther (?:letters|correspondence|emails|messages)\b[^.]{0,40}\b(?:without (?:a )?(?:reply|response)|not be (?:answered|responded|acknowledged))|\bno further correspondence\b",
    r"\b(?:check|read|look) (?:there|it|them|the faq|our faq)(?: first)? before (?:contacting|writing to|messaging|emailing|calling) us\b|\bplease (?:read|check) (?:the|our) faq\b",
    r"\bgetting (?:this |so |that )?(?:upset|angry|worked up) (?:won'?t|will not|doesn'?t|does not)\b|\bwon'?t make (?:the system|it|things|this) (?:move|go|happen) (?:any )?faster\b",
    r"\bno need to (?:shout|yell|scream|be rude|use that (?:tone|language)|get (?:angry|aggressive))\b|\U0001f644",
    r"\bwhatever you did\b|\bif you had (?:read|checked|typed|entered|put|looked)\b|\b(?:because|as) (?:you|the account number was|the (?:address|details) (?:was|were)) (?:typed|entered|put) (?:in )?(?:incorrectly|wrong(?:ly)?)\b|\bthat one'?s on you\b",
    r"\bfor the (?:3rd|third|fourth|4th) time\b|\bread (?:it|the (?:text|message|email|page)) properly\b|\bon literally every\b|\bi (?:guess|suppose|assume|trust) (?:it'?s|that'?s|everything is|all is) (?:clear|clearer) now\b|\bno need to keep (?:messaging|writing|chasing|asking)\b|\byou'?ll (?:survive|live)\b",
    r"\b(?:this|that|here) is not the (?:right |correct )?(?:channel|place) for\b|\bnot my dept\b|\bi'?m (?:just|only) (?:an agent|a rep(?:resentative)?|the chat)\b|\b(?:our|the) systems? (?:is|are) working (?:perfectly|fine|correctly)\b|\bworked (?:correctly|fine|perfectly) for (?:everyone|everybody|other customers)\b",
    r"\b(?:it'?s|it is|that'?s) (?:just|only) (?:a couple of|a few|two|three|\d+|£\s?\d|\$\s?\d)\S*(?: \w+)?(?: without| of| late| delay)?\b[^.]{0,20}(?:you'?ll|calm|relax|manage|not worth|no big)",
    r"\bwait (?:your|ur) turn\b|\bwait in line like\b|\boutages happen\b|\b(?:ask|asking) (?:your )?(?:family|relatives|neighbou?rs)(?: or (?:friends|neighbou?rs|family))? (?:for|to (?:help|lend|cover))\b",
    r"\b(?:you'?ll|you will) (?:just )?have to wait\b|\bwait like everyone\b|\bwe'?ll reply when\b|\bisn'?t special\b|\byours isn'?t special\b|\bnot the end of the world\b|\bwhatever you decide\b|\bcalm yourself\b",
    # Spanish
    r"\b(?:c[aá]lm(?:ese|ate|ense)|tranquil[ií](?:cese|zate|cense)|rel[aá]j(?:ese|ate)|c[aá]lmense)\b",
    r"\b(?:es|son) (?:nuestra|la|las|nuestras) pol[ií]ticas?\b(?! (?:es |son )?(?:de )?(?:reembolsar|proteger|congelar|ayudar|devolver))|\bpol[ií]ticas? de la empresa\b|\bla pol[ií]tica dice\b|\bas[ií] son las (?:reglas|pol[ií]ticas|normas)\b",
    r"\b(?:usted |t[uú] )?(?:debi[oó]|debiste|debieron|deber[ií]a haber|tendr[ií]a que haber|hubiera (?:le[ií]do|revisado|avisado|guardado)|tuvo que|tuviste que)\b(?! (?:recibir|llegar|llegarle|llegarte|haber(?:le|te|les)? (?:llegado|recibido)))",
    r"\bno haberle\b|\bno haber (?:dejado|prestado|dado|compartido)\b",
    r"\bno hay nada (?:m[aá]s )?que (?:yo |nosotros )?(?:pueda|podamos) hacer\b|\bno es (?:de )?(?:mi|nuestro) (?:departamento|[aá]rea)\b|\bno es de (?:mi|nuestra) competencia\b",
    r"\b(?:se|te) tranquilice?s?\b|\btranquil[ií]cese\b|\bdeje de (?:escribir(?:nos|me)?|gritar(?:nos|me)?) en may[uú]sculas\b|\bsi sigue (?:escribiendo |hablando )?(?:con|en) ese tono\b",
    r"\bp[ií]d(?:a|as|e|es|ale|ele|ales|eles)(?:le)? prestado\b|\bpedir(?:le)? prestado a (?:alg[uú]n|un|una|sus|tus) (?:familiar|amig|conocid|parient)",
    r"\bdamos por (?:concluido|cerrado|terminado|finalizado)\b|\bse da por (?:cerrad|concluid)|\bno (?:existe|hay) nada (?:adicional|m[aá]s) que revisar\b|\bno caben excepciones\b",
    r"\bcomo se (?:le|te) (?:indic[oó]|inform[oó]|coment[oó]|explic[oó]|dijo) (?:previamente|anteriormente|antes|ya)\b|\bleerla antes de escribirnos\b|\bantes de escribirnos\b",
    r"\bno (?:puedo|podemos) hacer (?:nada|m[aá]s)\b|\bno hay nada (?:m[aá]s )?que (?:hacer|pueda hacer|podamos hacer)\b|\bno hay (?:forma|manera) de (?:saltarse|evitarlo|hacer nada)\b|\bno se puede hacer nada\b",
    r"\b(?:p[ií]d(?:a|e|ale|ele|anle)|p[ií]dales) (?:ayuda|dinero|prestado|un pr[eé]stamo)(?: prestado)? (?:a|con) (?:sus |tus |un |una )?(?:familia|familiares|amigos|amigas|conocidos|parientes|un familiar|un amigo)\b",
    r"\bp[ií]d(?:a|e|ale|ele)(?:le)? prestado\b",
    r"\bapoy(?:e|a)(?:se|te) en (?:su|tu) (?:familia|amigos)\b",
    r"\bcomo ya (?:le|te|les) (?:dije|expliqu[eé]|coment[eé]|indiqu[eé]|mencion[eé])\b|\bya (?:te|le) lo (?:expliqu[eé]|dije)\b",
    r"\b(?:tenga|ten|tengan|hay que tener) paciencia\b",
    r"\bno es (?:nuestra|mi) culpa\b|\bno es culpa (?:nuestra|m[ií]a)\b|\bla culpa es (?:suya|tuya)\b",
    r"\bno me corresponde\b|\bno es (?:mi|nuestro) problema\b|\bno es cosa m[ií]a\b|\bno es mi departamento\b",
    r"\bes lo que hay\b|\blo tomas? o lo dejas?\b|\bte toca aguantarte\b|\bni modo\b|\bno es para tanto\b|\bno es el fin del mundo\b",
    r"\b(?:seguro|seguramente) (?:hiciste|hizo|le picaste|le pic[oó]|diste|dio) (?:algo|a algo|a alg[uú]n)\b",
    r"\bel problema (?:ser[aá]|es|debe ser) (?:su|tu) (?:m[oó]vil|celular|tel[eé]fono)\b",
    r"\blee las preguntas frecuentes\b|\blea (?:los|las) (?:t[eé]rminos|preguntas)\b",
    r"\btendr[aá]s? que esperar como\b|\bcomo (?:todos|el resto)\b",
    r"\bno (?:hace falta|hay necesidad de|es necesario) (?:gritar|gritarme|ponerse as[ií]|ponerte as[ií]|hablar as[ií])\b",
    r"\bsi hubier(?:a|as|an) (?:le[ií]do|puesto|revisado|escrito|capturado|hecho caso|mirado|comprado)\b|\blo que sea que (?:hiciste|hicieras|hizo|hiciera)\b|\b(?:usted|t[uú]) (?:captur[oó]|capturaste|escribi[oó]|escribiste|puso|pusiste|ingres[oó]) mal\b|\bel sistema no falla\b|\bfuncion[oó] correctamente para (?:el resto|todos|los dem[aá]s)\b",
    r"\bpor (?:tercera|segunda|cuarta|[uú]ltima) vez\b|\bl[eé]elo (?:con calma|bien) esta vez\b|\beste no es el canal\b|\b(?:se (?:mirar|revisar|ver)[aá]|lo (?:veremos|revisaremos|miraremos)) cuando (?:toque|nos toque|le toque)\b|\bya veremos cu[aá]ndo\b|\bno hace falta que (?:sigas|siga|sigan) (?:escribiendo|insistiendo|mandando)\b|\b(?:alg[uú]n|un) familiar (?:cercano )?(?:podr[ií]a|pueda|puede) (?:adelantar|prestar)",
    r"\b(?:respete|respetar) (?:su|tu) turno\b|\bhaga (?:la )?fila como\b",
    # Hebrew
    rf"{H}(?:תירגע|תרגע|תירגעי|תרגעי|תירגעו|תרגיע|תרגיעי)\b",
    rf"(?:זו|זאת|זה) (?:ה)?מדיניות (?:שלנו|של החברה|של הבנק)\b(?! (?:היא|הוא) ל)|\bמדיניות החברה\b(?! (?:היא|הוא) ל)|{H}בהתאם למדיניות|{H}אלה הנהלים|{H}אלו הנהלים|{H}לפי הנהלים",
    rf"(?<!לא )(?<!לא ){H}היית (?:צריך|צריכה) (?:ל(?!קבל))|{H}היה עלי(?:ך|יך) ל",
    rf"{H}אין (?:שום )?(?:דבר|מה|משהו) ש?(?:אני|אנחנו)? ?(?:יכול|יכולה|יכולים) לעשות|{H}אין מה לעשות|{H}אין לי מה לעשות|{H}(?:אני|אנחנו) לא (?:יכול|יכולה|יכולים) לעשות (?:כלום|דבר)|{H}לא יכולים לעשות כלום",
    rf"{H}(?:תבקש|תבקשי|בקש|בקשי|תפנה|תפני) (?:עזרה |הלוואה |כסף )?(?:מ)?(?:חברים|משפחה|המשפחה|בני משפחה|קרובים)|{H}מישהו מהמשפחה (?:יוכל|יכול) לעזור|{H}מחברים או (?:מ)?משפחה",
    rf"{H}כמו ש(?:כבר )?(?:אמרתי|הסברתי|כתבתי|ציינתי)",
    rf"{H}אני לא (?:יכול|יכולה) לעזור לך|{H}אין לי איך לעזור|{H}לא באחריותי|{H}לא (?:ממש )?הבעיה של(?:נו|י| הבנק| החברה)|{H}זו טעות שלך|{H}האשמה (?:היא )?שלך",
    rf"{H}(?:הנושא|העניין) (?:כבר )?(?:מוצה|סגור מבחינתנו)|{H}(?:הוא|היא) מוצה|{H}לא ייענו|{H}תקרא(?:י)? שם|{H}הכול כתוב באתר|{H}הכל כתוב באתר",
    rf"{H}אם (?:היית|היית) (?:בודק|בודקת|קורא|קוראת|שם|שמה|מקליד|מקלידה|מזמין|מזמינה)|{H}היה כדאי ל(?:הזמין|בדוק|קרוא)|{H}בפעם ה(?:שלישית|שנייה|רביעית)|{H}תקרא(?:י)? את ההודעה עד הסוף|{H}על מה כל ההתרגשות|{H}לא שווה את כל הרעש|{H}אני רק נציג|{H}אין צורך בכל סימני הקריאה|{H}אין צורך לכתוב כל|{H}אני מני(?:ח|חה) שעכשיו הכול ברור|{H}מישהו במשפחה (?:שיכול|שיוכל)|{H}תוריד הילוך",
    rf"{H}אין טעם להתרגש|{H}(?:אם )?תמשיכ(?:י)? להרים את הקול|{H}אל תרי(?:מ|ם)(?:י)? (?:עליי )?את הקול|(?:ההורים|המשפחה|החברים|הורים) (?:שלך |שלכם )?(?:או של \S+ )?(?:יכולים|יוכלו) לעזור(?! לך (?:ליצור|להתקשר|לדבר|לפנות))",
    rf"{H}אין צורך לצעוק|{H}לא צריך לצעוק|{H}בלי לצעוק",
    rf"{H}(?:תמתין|תמתיני|חכה|חכי|תחכה|תחכי) לתור(?:ך|ך)\b|{H}כולם באותה סירה",
    rf"{H}(?:תהיה|תהיי|להיות) (?:סבלני|סבלנית|סבלניים)|{H}תחכה בסבלנות|{H}תחכי בסבלנות",
    rf"(?:זו|זאת|זה) לא (?:אשמתנו|אשמתי|הבעיה שלנו|הבעיה שלי|בעיה שלנו|התפקיד שלי|בתחום שלי|באחריות(?:נו| שלנו))|{H}לא באשמתנו|{H}לא באחריות(?:נו| שלנו)",
    rf"{H}ככה זה\b|{H}זה מה יש|{H}תסתדר|{H}תסתדרי|{H}אין טעם להמשיך|{H}ההחלטה סופית|{H}לא אשנה|{H}תקרא שוב|{H}תקראי שוב|{H}לא ברור לי למה פנית|{H}עשית משהו לא נכון|{H}הבעיה אצלך|{H}אתה צריך להבין|{H}את צריכה להבין|{H}חבל שלא",
    rf"{H}אני לא יודע מה להגיד לך|{H}אני לא יודעת מה להגיד לך",
    # The rules as an excuse: "standard procedure, my hands are tied"
    r"\bmy hands are tied\b|\bout of my hands\b|\bnot up to me\b|\bi don'?t make the (?:rules|policy|policies)\b|\bi just (?:follow|apply|work here)\b|\b(?:standard|company|bank) (?:procedure|process|policy|rules?)\b(?=[^.!?]{0,40}\b(?:afraid|nothing|can'?t|cannot|won'?t|tied|sorry))",
    r"\bno esta en mis manos\b|\bno depende de mi\b|\bno lo decido yo\b|\basi lo maneja (?:la empresa|el banco)\b|\b(?:son|es) (?:los|el|las|la) (?:lineamientos?|reglas?|normas?|procedimientos?|politicas?) del? (?:banco|empresa|tienda|sistema)\b|\byo (?:nomas|solo|nada mas) (?:los|las|lo|la) aplico\b|\basi funciona(?:mos)?\b|\basi trabajamos\b",
    rf"{H}זה הנוהל|{H}אלה הכללים|{H}לא אני קבעתי|{H}אין לי (?:דרך|אפשרות|יכולת) לשנות|{H}זה לא בידיים שלי|{H}ככה זה עובד|{H}זה לא תלוי בי",
    # Blame: "if you'd kept an eye on it, this wouldn't have happened"
    r"\bought to have\b|\bif you(?:'d| had) [^.!?]{0,60}\b(?:wouldn'?t|would not|would never) have\b|\bwouldn'?t have happened if you\b|\b(?:something|a problem|the problem|the issue) (?:on|at) your (?:end|side)\b|\byou agreed to (?:the|our) (?:terms|conditions)\b|\b(?:the )?terms were (?:right there|clear|clearly|in the)\b|\bcan'?t (?:really )?complain\b|\bthat'?s what happens when you\b|\byou (?:didn'?t|did not|never) (?:read|check|bother)\b",
    r"\b(?:le|te) paso por no\b|\bpor no (?:checar|revisar|leer|fijarse|fijarte|avisar|avisarnos)\b|\b(?:venian|estaban|vienen|estan|venia|estaba) en el contrato\b|\bsi no (?:lo|la|los|las) (?:leiste|leyo|reviso|revisaste)\b|\balgo habra?s? (?:tocado|hecho|presionado)\b|\b(?:usted )?(?:firmo|acepto|firmaste|aceptaste) (?:el contrato|los terminos|las condiciones)\b|\bsi (?:usted )?(?:hubiera|hubieras) [^.!?]{0,60}\bno (?:habria|hubiera) pasado\b|\btendria(?:s)? que haber\w*\b|\bes asunto (?:de ellos|suyo|tuyo)\b|\bno respondemos por\b",
    rf"{H}בצד שלך|{H}אצלך בצד|(?<!לא ){H}משהו שעשית|{H}חתמת על (?:ה)?תנאים|{H}אישרת את (?:ה)?תנאים|{H}התנאים היו כתובים|{H}אין (?:ממש )?על מה להתלונן|{H}אם היית [^.!?]{{0,60}}(?:זה )?לא היה (?:קורה|קורא)|{H}לא קראת",
    # Futility: "nothing else I can offer"
    r"\bnothing (?:else |more )?(?:i|we) can offer\b|\bthere'?s nothing (?:else |more )?to (?:offer|do|discuss)\b|\bno hay (?:forma|manera) de\b|\bno (?:le|te) puedo ofrecer (?:nada|mas)\b|{H}אין לי מה להציע|{H}אין מה להציע".replace(
        "{H}", H
    ),
    # Impatience: "like I've told you twice", "I'm not going to repeat"
    r"\blike i(?:'ve| have)? (?:already )?(?:told|said|explained)\b|\b(?:told|explained|said) (?:you )?(?:this|it|that) (?:twice|three times|already|before|several times)\b|\bnot going to (?:repeat|explain) (?:it|this|myself)\b|\bya (?:te|se|le) lo (?:he )?(?:explicado|dicho|comentado)\b|\bya (?:te|le) (?:explique|dije|comente)\b|\bno (?:voy|pienso) a repetir",
    rf"{H}הסברתי (?:את זה |לך )?כבר|{H}אמרתי (?:לך )?כבר|{H}כבר (?:הסברתי|אמרתי)|{H}לא (?:מתכוון|מתכוונת) לחזור",
    # Tone policing
    r"\blower your (?:tone|voice)\b|\bwatch your (?:tone|language)\b|\b(?:shouting|yelling|capital letters|all caps|caps lock|being rude)\b[^.!?]{0,40}\b(?:won'?t|will not|doesn'?t|isn'?t going to)\b|\brelajese\b|\brelajarse\b|\b(?:baje|bajale|bajele|bajar) (?:el|su|tu) tono\b|\blevantar la voz\b|\bgritar(?:me|nos)?\b[^.!?]{0,30}\bno va\b",
    rf"{H}תוריד(?:י)? את הטון|{H}להוריד את הטון|{H}צעקות|{H}תדבר(?:י)? יפה|{H}בלי לצעוק",
    # Everyone waits
    r"\blike everyone else\b|\bsame as everyone\b|\beveryone (?:else )?is waiting\b|\b(?:le|te) toca aguantar(?:se|te)?\b|\bcomo (?:todos|los demas|el resto)\b",
    rf"{H}כמו כולם|{H}כולם מחכים",
    # Borrow from the family, in other words
    r"\b(?:someone|somebody|anyone) close to you\b|\b(?:family|friends?|relatives?|parents?|mum|mom|dad|partner)\b[^.!?]{0,40}\b(?:lend|loan|spot you|tide you over|help you out)\b|\b(?:lend|loan) you\b[^.!?]{0,30}\b(?:family|friends?|relatives?)\b",
    r"\b(?:algun|algún|un|su|tu) (?:familiar|amigo|conocido|pariente)s?\b[^.!?]{0,40}\b(?:prest\w*|echar la mano|apoyar con (?:dinero|un prestamo)|ayudar con (?:dinero|el pago))\b|\bpedir prestado\b",
    rf"{H}(?:מההורים|מהחברים|מהמשפחה|מבני המשפחה|מחבר|מקרובים)[^.!?]{{0,40}}(?:להלוות|הלוואה|לעזור (?:עם|ב)(?:ה)?תשלום)|{H}להלוות לך",
    # More blame and brush-off: the terms, "on our end", "not my department", stonewalling
    r"\bterms (?:and conditions )?you (?:accepted|agreed|signed)\b|\bclearly (?:stated|disclosed|set out|explained|written)\b|\byou'?ll have (?:typed|entered|put|done|made|clicked|pressed)\b|\b(?:don'?t|doesn'?t) just go missing\b|\b(?:aren'?t|isn'?t|not) my (?:department|area|team|job)\b|\bnothing (?:anyone|we|i) (?:here )?can (?:fix|do)\b|\b(?:regard|consider) (?:this|the) matter (?:as )?closed\b|\bwill not receive a (?:response|reply)\b|\bno further (?:correspondence|responses?)\b|\bjust keep trying\b",
    r"\b(?:se lo|te lo) repito\b|\bpor (?:tercera|segunda|enesima|cuarta) vez\b|\bno nos toca\b|\bno (?:es|son) (?:tema|asunto|problema|cosa) (?:del banco|de la tienda|nuestr[oa])\b|^\s*haber (?:revisado|leido|puesto|mirado|avisado|guardado)\b|\besta clarisimo\b|\bdespacito\b|\bpara que (?:lo|me) entienda\b|\beso lo sabe (?:todo el mundo|cualquiera)\b|\bp[ií]d\w* a (?:algun|un|su|tu) (?:familiar|amigo|compadre|comadre|pariente|conocido|cuate)\b",
    rf"{H}(?:זו|זאת|זה) בעיה שלך|{H}הבעיה שלך|{H}לא שייך (?:למחלקה|לתחום) שלי|{H}(?:זה )?מתחיל להיות מגוחך|{H}לא ייפתח בשבילך|{H}בשבילך לא|{H}לא המצאנו|{H}שחור על גבי לבן|{H}בתקנון שאישרת|{H}תנסה (?:שוב )?אחר כך",
)
# "You should have received an SMS", "our policy is to refund": not blame.
DISMISSIVE_EXCUSED = rx(
    r"\bshould have (?:received|got|gotten|arrived|been (?:sent|credited|refunded|delivered|posted))\b",
    r"\bno need to (?:be patient|wait)\b|\bno (?:hace falta|tienes que|tiene que) (?:tener paciencia|esperar)\b",
    r"\bnone of (?:this|it|that) (?:is|was) (?:on you|your fault)\b|\bnada de esto es (?:tu|su) culpa\b",
    r"\b(?:not|isn'?t|wasn'?t) (?:at all )?your fault\b|\bno (?:es|fue) (?:tu|su) culpa\b|\bno es culpa (?:tuya|suya)\b|(?<![\u05d0-\u05ea])(?:זו |זה )?לא (?:באשמתך|אשמתך)",
    rf"{H}לא צריך להיות סבלני|{H}אף אחד לא צריך",
    r"\bnobody should have to\b|\bno one should have to\b|\bnadie deberia\b",
)
# A short reply that only offers more help ("let us know if there's anything we can
# do") shares n-grams with "there's nothing we can do"; the classifier is not asked.
OFFER_OF_HELP = rx(
    r"\b(?:if|whether) there(?:'s| is) anything (?:else )?(?:we|i) can do\b|\blet (?:us|me) know (?:if|whether) (?:there(?:'s| is) )?anything\b",
    r"\b(?:how|what) (?:can|could|may) (?:i|we) (?:help|do for you)\b|\banything else (?:i|we) can (?:help|do)\b",
    r"\bsi (?:hay|necesita|necesitas) algo mas\b|\bsi hay algo (?:mas )?(?:en )?(?:que|lo que) (?:podamos|pueda)",
    r"\b(?:en )?(?:que|como) (?:le|te|les|lo|la|los) (?:(?:puedo|podemos) (?:ayudar|apoyar|servir|atender)|ayudo|ayudamos|apoyo|sirvo|atiendo)\b|\balgo mas en (?:lo )?que (?:le|te) (?:pueda|podamos) ayudar\b",
    r"(?<![\u05d0-\u05ea])אם (?:יש|תצטרך|תצטרכי) (?:עוד )?(?:משהו|דבר)|(?<![\u05d0-\u05ea])(?:איך|במה) (?:אפשר|אוכל|נוכל) לעזור",
)
# A refusal followed by what the customer can do instead is an honest limit, not a
# brush-off; the classifiers are not asked (a pattern's brush-off still counts).
ALTERNATIVE = rx(
    r"\bbut (?:you can|you could|we can|we could|i can|i could|i'?ve|i'?ll|we'?ll|we'?ve|if you|once|there'?s|here'?s|that item|the (?:account )?holder)\b",
    r"\bpero (?:s[ií] )?(?:puedes|puede|pueden|podemos|podr[ií]a|podr[ií]as|te|le|ya|si|en cuanto|el titular|la titular|hay)\b",
    r"(?<![\u05d0-\u05ea])אבל (?:אפשר|אתה יכול|את יכולה|אתם יכולים|נוכל|אוכל|אני יכול|אני יכולה|בעל|בעלת|יש|אם)",
)
# A reply this short that offers help is a greeting or a closing, not a brush-off.
SHORT_REPLY_WORDS = 20

# --- promises, care, language, food banks -------------------------------------------------

PROMISE = rx(
    r"\b(?:we|i)(?:'ll| will| are going to| am going to|'m going to|'re going to)? (?:definitely |personally |also |now |just )?(?:refund|reimburse|waive|wipe|cancel|write off|credit back|pay back|compensate|cover|return|remove|drop|forgive)\b(?! (?:the )?(?:card|order|request|appointment|direct debit|transfer|payment)\b)(?:[^.!?]{0,60})\b(?:fees?|charges?|interest|cost|costs|debt|money|penalt(?:y|ies)|every|all|full|£|\$|€|\d)",
    r"\b(?:you'?ll|you will) (?:get|receive|have) (?:every penny|all (?:of )?(?:your|the) money|a full refund|compensation|£|\$|€)",
    r"\bi (?:promise|guarantee)\b|\bconsider it done\b",
    r"\b(?:i'?ll|we'?ll|i will|we will) (?:get|have) (?:all |every |the |your |those |these |\w+ ){0,4}(?:fees?|charges?|interest|money|costs?)\b[^.!?]{0,30}\b(?:refunded|waived|written off|removed|reversed|credited)\b",
    r"\b(?:te|le|les) (?:va|van) a (?:devolver|reembolsar|condonar|bonificar|abonar)\b",
    rf"{H}(?:אני|אנחנו) (?:מוחק|מוחקת|מוחקים|מבטל|מבטלת|מבטלים|מחזיר|מחזירה|מחזירים|מזכה|מזכים) לך[^.!?]{{0,30}}(?:עמל|ריבית|חיוב|חוב|כסף|סכום|₪|ש\"ח|\d)",
    r"\b(?:we'?re|we are|i'?m|i am) (?:writing off|refunding|waiving|cancelling|canceling|removing|wiping|reimbursing)\b[^.!?]{0,60}\b(?:fees?|charges?|interest|debt|balance|cost)",
    r"\b(?:make sure|ensure|see to it)\b[^.!?]{0,40}\b(?:fees?|charges?|interest|money|cost)\b[^.!?]{0,60}\b(?:refunded|waived|written off|removed|reimbursed|credited|returned)\b",
    rf"{H}יוחזרו לך|{H}יוחזר לך|{H}מוחקים לך|{H}מבטלים לך|{H}(?:אני|אנחנו) (?:דואג|דואגת|דואגים) ש[^.!?]{{0,40}}(?:יוחזר|יבוטל|יימחק|יזוכה)",
    r"(?<!\bno )\b(?:le|te|les|se lo|se la|se los) (?:vamos a |voy a )?(?:reembolsar|devolver|condonar|bonificar|cancelar|perdonar|quitar|compensar|cubrir|pagar)\b",
    r"\b(?:le|te|les) (?:condonamos|devolvemos|reembolsamos|bonificamos|perdonamos|quitamos|cubrimos|pagamos|compensamos)\b",
    r"(?<!\bno )\b(?:vamos a|voy a) (?:reembolsar|devolver|condonar|bonificar|compensar|cubrir|pagar)\b",
    r"\bnosotros (?:cubrimos|pagamos|devolvemos|reembolsamos|absorbemos)\b",
    r"\bse lo garantizo\b|\bte lo garantizo\b|\bse lo prometo\b|\bte lo prometo\b",
    rf"{H}(?:נחזיר|אחזיר|נבטל|אבטל|נמחק|אמחק|נזכה|אזכה|נפצה|אפצה|נכסה|אכסה|נוותר|נחזור בנו)\b(?:[^.!?]{{0,40}})(?:עמל|ריבית|חיוב|חוב|כסף|סכום|החזר|פיצוי|ש\"ח|₪|\d)",
    rf"{H}אנו מבטלים|{H}אנחנו מבטלים|{H}אני מבטיח|{H}אני מבטיחה|{H}בטוח ש(?:נזכה|נחזיר)|{H}תקבל(?:י)? פיצוי|{H}אין צורך לשלם",
)
NOT_PROMISED = re.compile(
    r"\b(?:no|not|won'?t|cannot|can'?t|never|nunca)\b|(?<![\u05d0-\u05ea])לא "
)
# "I've asked for a review of the fees": a request for a decision, not a promise.
PROMISE_HEDGED = rx(
    r"\b(?:asked|requested|raised|applied|submitted|escalated|review|may|might|could|if (?:it'?s )?approved|subject to|eligible|look at|looking at|consider(?! it done)|see if|check if|whether)\b",
    r"\b(?:under|per|as per|in line with) (?:our|the) [\w -]{0,20}polic(?:y|ies)\b|\bsegun (?:nuestra|la) politica\b|(?<![\u05d0-\u05ea])לפי (?:ה)?מדיניות",
    r"\b(?:solicit[eé]|ped[ií]|pedimos|revis(?:ar|ión|amos|e)|podr[ií]a|podr[ií]amos|si (?:se )?aprueba|sujeto a|estudi(?:ar|e|amos)|valorar|ver si)\b",
    rf"{H}(?:ביקשתי|בקשה|בדיקה|לבדוק|ייתכן|אולי|אם יאושר|לאישור|נבדוק|נשקול)",
)
APOLOGY = rx(
    r"\b(?:sorry|apologi[sz]e|apologies|apologise|regret|unfortunately)\b",
    r"\bi (?:completely |really |totally )?(?:understand|can (?:only )?imagine|hear you)\b|\bthat (?:must|sounds) (?:be )?(?:hard|difficult|stressful|worrying|frustrating|awful|upsetting)",
    r"\b(?:lo siento|lo sentimos|lamento|lamentamos|disculp[ae]|disculpas|perd[oó]n\w*|perdone|perdona|pena con (?:usted|vos|ustedes)|sentimos|siento|entiendo (?:lo|que|c[oó]mo|perfectamente)|me imagino|qu[eé] pena)\b",
    rf"{H}מצטער|{H}מצטערת|{H}מצטערים|{H}מתנצל|{H}מתנצלת|{H}מתנצלים|{H}סליחה|{H}אני מבין|{H}אני מבינה|{H}אנחנו מבינים|{H}לצערי|{H}צר לי|{H}אוי|{H}חבל לשמוע|{H}משתת(?:ף|פת|פים) בצער|{H}תנחומים",
    r"\b(?:condolences|my sympathies|deepest sympathy|pesame|condolencias|acompanamos en el sentimiento)\b",
)
# A next step with a time: "within 24 hours", "by Friday", "tomorrow at 11".
NEXT_STEP_TIME = rx(
    r"\b(?:within|in (?:the )?next|in) \d+|\bwithin (?:an?|one|two|three|the|24|48) (?:hour|day|week|minute|working|business)",
    r"\b(?:by|before|until|on|at|from) (?:\d|noon|midday|midnight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|today|the end of|end of|close of|this|next|the \d)",
    r"\b(?:today|tomorrow|tonight|this (?:morning|afternoon|evening|week)|next week|(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b",
    r"\b\d{1,2}(?::\d{2})? ?(?:am|pm|h)\b|\b\d{1,2}:\d{2}\b|\bworking days?\b|\bbusiness days?\b|\b\d+ ?(?:hours?|minutes?|days?|weeks?)\b|\b\d+-(?:hour|day|minute|week)\b|\b\d+(?:st|nd|rd|th)\b",
    r"\b(?:en|dentro de) (?:\d|las proximas|los proximos|la proxima|el proximo|menos de|un[ao]? (?:hora|dia|semana|momento|par))",
    r"\b\d+ ?(?:mins?|hrs?)\b|\bwithin the hour\b|\b(?:in|within) (?:a|the next) (?:couple of|few) (?:minutes|mins|hours)\b|\b(?:in|within) the next (?:minute|hour|few minutes)\b|\bhalf an hour\b",
    r"\b(?:en|dentro de) unos (?:minutos|cuantos minutos)\b|\bmedia hora\b|\bahora mismo\b|\ben un rato\b|\b(?:en|dentro de) (?:\w+ )?(?:minutos|horas)\b",
    r"\b(?:antes de(?:l| las| la| el)?|a mas tardar|hasta (?:el|las|manana)|a las|el dia) (?:\d|manana|hoy|lunes|martes|miercoles|jueves|viernes|sabado|domingo|fin|mediodia|las)",
    r"\b(?:hoy|manana|esta (?:tarde|noche|semana)|la proxima semana|(?:el )?(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)|dias habiles|\d+ (?:horas|minutos|dias|semanas))\b",
    rf"{H}תוך{HE_END}|{H}עד (?:מחר|היום|יום|סוף|ה|\d)|{H}היום{HE_END}|{H}מחר{HE_END}|{H}בשעה|\b\d+ ?(?:שעות|ימים|דקות)|{H}שעתיים|{H}ימי עסקים|{H}יום (?:ראשון|שני|שלישי|רביעי|חמישי|שישי)|{H}בבוקר|{H}בצהריים|{H}בערב|{H}בדקות הקרובות|{H}בשעה הקרובה|{H}בשעות הקרובות|{H}חצי שעה|{H}(?:עשר|חמש|עשרים) (?:ה)?דקות",
)
FOOD_BANK = rx(
    r"\bfood ?banks?\b|\bfood pantr(?:y|ies)\b",
    r"\bbancos? de alimentos\b|\bcomedor(?:es)? comunitari",
    rf"{H}בנק(?:י)? (?:ה)?מזון|{H}לקט ישראל|{H}חלוקת מזון",
)
REFERRAL = rx(
    r"\brefer(?:ral|red|ring)?\b|\bvouchers?\b|\bcitizens advice\b|\btrussell\b|\bsocial (?:services|worker)\b|\bcouncil\b|\bwe can put you in touch\b|\bcontact details\b|\bI'?ll send you (?:the|their)\b",
    r"\bcanaliz|\bderiv(?:ar|arle|arte|arlo|e|amos)\b|\bremit|\bvale(?:s)? (?:de|para)\b|\bservicios sociales\b|\btrabajador(?:a)? social\b|\bdif\b|\bte paso (?:el|los) (?:contacto|tel[eé]fono)|\ble paso (?:el|los) (?:contacto|tel[eé]fono)|\ble mando el tel[eé]fono",
    rf"{H}הפני(?:ה|יה)|{H}להפנות|{H}נפנה|{H}שובר|{H}עובדת סוציאלית|{H}עובד סוציאלי|{H}מחלקת הרווחה|{H}לשכת הרווחה|{H}מוקד 118",
)


@dataclass(frozen=True)
class Finding:
    reason: str
    severity: str  # "block" or "warn"
    excerpt: str  # the words that fired, as the agent wrote them


@dataclass
class GuardResult:
    verdict: str  # "ok", "warn" or "block"
    findings: list[Finding] = field(default_factory=list)
    language: str = ""

    @property
    def reasons(self) -> list[str]:
        return sorted({f.reason for f in self.findings}, key=REASONS.index)

    @property
    def blocked(self) -> bool:
        return self.verdict == "block"

    def as_dict(self) -> dict[str, object]:
        return {"verdict": self.verdict, "reasons": self.reasons}


def normalize(text: str) -> str:
    """Lower case, accents and niqqud folded (typed Spanish often has none), one kind of
    apostrophe, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text[:MAX_CHARS].lower())
    # Marks folded, and format characters dropped: "P\u200bIN" is "pin" to a reader.
    text = "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    )
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u05f3", "'").replace("\u05f4", '"')  # Hebrew geresh and gershayim
    return unicodedata.normalize("NFC", re.sub(r"[ \t\u00a0]+", " ", text))


_SENTENCE = re.compile(r"(?<=[.!?¿¡…])\s+|\n+|(?<=[;])\s+|\s+-\s+|\s+—\s+")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def clauses(sentence: str) -> list[str]:
    """A sentence's clauses: commas and "but"/"pero"/"אבל" part what is negated from
    what is asked ("don't type it in the app, just send it to me here")."""
    parts = re.split(r",\s*|\s+(?:but|pero|aunque|although|אבל|אלא)\s+", sentence)
    return [p for p in parts if p.strip()]


def _negated(clause: str, start: int, spanish: bool = False, reach: int = 40) -> bool:
    """Whether a negation or a reported request comes shortly before position `start`,
    in the same stretch of the sentence ("don't panic and send me your PIN" asks)."""
    # "if you don't mind sharing", "don't hesitate to send" ask; they do not negate
    before = POLITE.sub(" ", clause[max(0, start - reach) : start])
    before = re.split(r"\s(?:and|then|y|e|luego|ואז)\s|(?<![\u05d0-\u05ea])ו(?=ת)", before)[-1]
    return bool(
        NEGATION.search(before)
        or REPORTED.search(before)
        or (spanish and NEGATION_ES.search(before))
    )


QUOTES = frozenset("'\"«‘“")
# Verbs of typing something in: where it is typed matters (the app, the cash machine).
ENTRY = re.compile(
    r"\b(?:type|enter|put|pop|key|tecle\w*|introduc\w*|escrib\w*|ingres\w*)\b|(?<![\u05d0-\u05ea])[ובהלשמכ]{0,2}(?:הקלד|הקלידי|להקליד|תקליד|תזין|להזין|הזן|תכניס|להכניס|מקלידים|מזינים)"
)


def _asks(clause: str, spanish: bool = False) -> re.Match[str] | None:
    """The first request in a clause that nothing turns around."""
    for match in REQUEST.finditer(clause):
        if _negated(clause, match.start(), spanish):
            continue
        if clause[max(0, match.start() - 1) : match.start()] in QUOTES:
            continue  # a button's label: tap 'Resend'

        if OTHER_SUBJECT.search(clause[max(0, match.start() - 16) : match.start()]):
            continue
        # "type your PIN only at the ATM", "enter the code in the app": the secret goes
        # where it belongs, not to us.
        if (
            ENTRY.match(match.group())
            and OWN_PLACE.search(clause)
            and not TO_US.search(clause[match.end() :])
        ):
            continue
        return match
    return None


# What is always a secret, whatever is near it; a card number or a count of digits is
# not one when it is the last four.
ALWAYS_SECRET = re.compile(
    r"pin|nip|pass|contrase|clave|cv[cv]|csc|otp|token|seguridad|security|סיסמ|סודי|טוקן"
)


def _secret(sentence: str) -> re.Match[str] | None:
    for match in SECRET.finditer(sentence):
        if not ALWAYS_SECRET.search(match.group()):
            window = sentence[max(0, match.start() - 20) : match.end() + 20]
            if NOT_SECRET.search(window):
                continue
        return match
    return None


def secret_requests(text: str, spanish: bool = False) -> list[str]:
    """Excerpts where the reply asks for a secret."""
    found: list[str] = []
    parts = sentences(text)
    for sentence in parts:
        # "if you won't give me your passcode I can't help": the refusal is the request
        coerced = COERCED.search(sentence)
        if coerced and _secret(sentence):
            found.append(sentence.strip())
    if len(text.split()) <= BARE_ASK_WORDS and not found:
        # "last step: your PIN", "y el cvv??", "אחי תביא את הCVV ונסגור"
        for sentence in parts:
            secret = _secret(sentence)
            if (
                secret
                and BARE_ASK.search(sentence)
                and not BARE_ASK_OTHER_SUBJECT.search(sentence)
                and not NOT_SECRET.search(sentence)
                and not NEGATION.search(sentence)
                and not OWN_PLACE.search(sentence)
            ):
                found.append(sentence.strip())
    if found:
        return found
    for index, sentence in enumerate(parts):
        previous = parts[index - 1] if index else ""
        in_sentence = _secret(sentence)  # once per sentence: long sentences stay linear
        in_previous = _secret(previous) if previous else None
        for clause in clauses(sentence):
            request = _asks(clause, spanish)
            if request is None:
                continue
            secret = _secret(clause)
            if secret is not None and _negated_secret(clause, secret):
                continue
            if secret is None:
                # Elsewhere in the sentence: refused there ("no need for the full
                # number"), it is not asked for here; but "don't type the code in the
                # app, send it to me" refuses the app, not the code.
                secret = in_sentence
                if secret is not None and _negated_secret(sentence, secret):
                    there = sentence[max(0, secret.start() - 30) : secret.end() + 30]
                    if not (ENTRY.search(there) and OWN_PLACE.search(there)):
                        secret = None
            borrowed = in_previous if secret is None else None
            if (
                borrowed is not None
                and not NOT_SECRET.search(clause)
                and not _negated_secret(previous, borrowed)
                and not (ENTRY.match(request.group()) and OWN_PLACE.search(previous))
            ):
                # "You'll get a code by SMS. Paste it here."
                secret = borrowed
            if secret is not None:
                found.append(clause.strip())
                break
    return found


# A secret made the price of help: "if you won't give me your passcode I can't…",
# "sin la clave no puedo", "בלי הקוד הסודי אני לא יכול".
COERCED = rx(
    r"\bif you (?:won'?t|don'?t|do not|will not|can'?t|refuse to) (?:give|send|tell|share|pass|read|confirm|provide)\b|\b(?:can'?t|cannot|can not|unable to) (?:do anything|help|proceed|process|continue|get into|access)\b[^.]{0,30}\bwithout (?:your|the|a)\b|\bno (?:card )?(?:security code|cvv|pin|password|passcode|code),? no\b",
    r"\bsi no (?:me |nos )?(?:das|da|dan|pasas|pas[aá]s|pasa|pasan|quiere dar|quieres dar|mandas|manda|env[ií]as|env[ií]a|dices|dice|confirmas|confirma)\b|\bsin (?:su|tu|el|la|ese|esa) (?:nip|pin|contrasena|clave|codigo|cvv|token)\b[^.]{0,40}\bno (?:puedo|podemos|se puede|hay)\b",
    rf"{H}אם (?:את |אתה )?לא (?:תשלח|תשלחי|נותנ|תיתן|תתני|תגיד|תגידי|מוסר|תמסור|תמסרי)|{H}בלי (?:ה)?(?:קוד|סיסמה|סיסמא|מספר הכרטיס)[^.]{{0,40}}(?:לא (?:יכול|יכולה|יכולים)|אין לי איך)",
)
BARE_ASK_WORDS = 14
# "last step: we'll mail your new PIN": someone else does it.
BARE_ASK_OTHER_SUBJECT = rx(
    r"\b(?:we|we'?ll|we will|i'?ll|i will|they'?ll|it'?ll|will be|is being|arrives?|sent|mailed|posted)\b",
    r"\b(?:te|le|les) (?:enviamos|mandamos|enviaremos|mandaremos|llegar[aá]|lleg[oó])\b|\b(?:vamos a|llegar[aá])\b",
    rf"{H}נשלח|{H}יישלח|{H}נשלחנו|{H}יגיע|{H}שלחנו",
)
BARE_ASK = rx(
    r"\b(?:last|final|one more|next) (?:step|thing|bit)\b|\b(?:and|plus) (?:the|your|ur) [^.]{0,25}\?|\b(?:and|plus) (?:the|your|ur) \w+ (?:on the back|too|as well)\b|\bthen we'?re (?:done|all (?:set|wrapped up)|sorted)\b",
    r"\bsolo falta\b|\bfalta (?:tu|su|el|la)\b|\by listo\b|\by (?:el|la|tu|su) \w+\s*\?|\bya casi\b|\bun [uú]ltimo (?:paso|pasito|dato)\b",
    rf"{H}ונסגור|{H}ואנחנו גמרנו|{H}וסיימנו|{H}נשאר רק",
)


def _negated_secret(sentence: str, secret: re.Match[str]) -> bool:
    """ "never share your PIN", "no need for the full number", "don't post card
    numbers": a negation right before the secret itself."""
    before = sentence[max(0, secret.start() - 30) : secret.start()]
    if re.search(r"\b(?:but|pero)\b", before):
        return False
    near = sentence[max(0, secret.start() - 20) : secret.start()]
    return bool(
        re.search(r"\b(?:never|nunca|jamas)\b|אף פעם|לעולם", before) or SECRET_REFUSED.search(near)
    )


SECRET_REFUSED = re.compile(
    r"\b(?:no need for|don'?t need|do not need|without|don'?t (?:post|share|send|give|put)|no (?:pongas|ponga|compartas|comparta|publiques|publique|mandes|mande|envies|envie)|no hace falta)\b|(?<![\u05d0-\u05ea])(?:אל ת\w+|אין צורך ב|לא צריך)"
)


def link_hosts(text: str) -> list[str]:
    hosts = []
    for match in LINK.finditer(text):
        # "ל-bit.ly/…": a Hebrew prefix joined by a hyphen is not part of the host
        host = re.sub(r"^[\u05d0-\u05ea]{1,3}-", "", match.group(1).lower().rstrip("."))
        start = match.start()
        if start and text[start - 1] == "@":
            continue  # the domain of an e-mail address
        if "." not in host or host.replace(".", "").isdigit():
            continue
        hosts.append(host)
    return hosts


def domain_of(host: str) -> str:
    """The registrable domain of a host (`amparo.lookalike.detector.registrable`)."""
    from amparo.lookalike.detector import registrable

    return registrable(host) or host


def unofficial_channels(
    text: str, official_domains: Iterable[str] = (), official_handles: Iterable[str] = ()
) -> list[str]:
    found: list[str] = []
    officials = {domain_of(d.lower().strip(".")) for d in official_domains if d}
    handles = {h.lower().lstrip("@") for h in official_handles if h}
    for match in PERSONAL_EMAIL.finditer(text):
        domain = match.group().rsplit("@", 1)[1].lower()
        if domain_of(domain) not in officials:
            found.append(match.group())
    for host in link_hosts(text):
        domain = domain_of(host)
        if host in SHORTENERS or domain in SHORTENERS:
            # a link with a path; "a bit.ly link" named in a warning is not one
            if re.search(re.escape(host) + r"/\S", text) and not _negated_link(text, host):
                found.append(host)
        elif domain in officials:
            continue
        elif officials and not _known_public(domain):
            found.append(host)
        elif PHISHY.search(domain.rsplit(".", 1)[0]) and "-" in domain:
            found.append(host)
    declared_numbers = {re.sub(r"\D", "", h) for h in handles if re.sub(r"\D", "", h)}
    addressee = (
        text.lstrip().split(" ", 1)[0].lower().lstrip("@") if text.lstrip()[:1] == "@" else ""
    )
    for sentence in sentences(text):
        # Once per sentence (a sentence of many clauses stays linear). The word "official"
        # is believed only while the brand has declared nothing to compare with.
        never = bool(NEVER.search(sentence))
        called_official = not handles and bool(OFFICIAL.search(sentence))
        numbers = [
            n for n in phone_numbers(sentence) if n[-9:] not in {d[-9:] for d in declared_numbers}
        ]
        for clause in clauses(sentence):
            if never or called_official or _negated(clause, len(clause)):
                continue
            # "drop me a WhatsApp on 07700 900123": a number on a messaging app
            if numbers and MESSAGING_APP.search(clause):
                found.append(clause.strip())
                continue
            # "follow @altamar_rewards_uk", "escríbenos a @altamar.outlet": an account the
            # brand has not declared, given as somewhere to go (not the addressee)
            for handle in HANDLE.finditer(clause):
                name = handle.group(1).lower().rstrip(".")
                if name in handles or name == addressee:
                    continue
                before = clause[max(0, handle.start() - 60) : handle.start()]
                # "gracias por escribirnos en Instagram @luchi": a mention, not a move
                if HANDLE_AS_PLACE.search(before) and not THANKS_FOR.search(before):
                    found.append(clause.strip())
                    break
        mentioned = [h for h in HANDLE.findall(sentence) if h.lower() not in handles]
        contact = bool(PHONE.search(sentence) or mentioned or PERSONAL_EMAIL.search(sentence))
        for clause in clauses(sentence):
            cue = PERSONAL_CHANNEL.search(clause) or (contact and CONTACT_ME.search(clause))
            if not cue:
                continue
            # "we'll never ask you to move to WhatsApp, Telegram or a personal email"
            at = sentence.find(clause) + cue.start()
            if _negated(clause, cue.start()) or NEVER.search(sentence[:at]):
                continue
            if contact or MOVE.search(clause):
                found.append(clause.strip())
    return list(dict.fromkeys(found))


def _negated_link(text: str, host: str) -> bool:
    """ "don't open bit.ly/… links": a negation before the link in its own sentence."""
    at = text.find(host)
    if at < 0:
        return False
    before = re.split(r"[.!?\n]\s", text[max(0, at - 60) : at])[-1]
    return bool(NEGATION.search(before))


# Public bodies and charities a reply may rightly point to (signposting).
PUBLIC_SUFFIXES = (".gob.mx", ".gov.uk", ".gov", ".gov.il", ".org.uk", ".org", ".org.il", ".gob.es")


def _known_public(domain: str) -> bool:
    return domain.endswith(PUBLIC_SUFFIXES)


def second_opinion(
    lowered: str,
    found: set[str],
    relief_active: bool,
    probabilities: dict[str, float],
    excerpts: dict[str, list[str]] | None = None,
) -> tuple[list[str], set[str]]:
    """What the classifiers add to the rules' findings, and which findings they overrule.
    Added, within what the rules know: a secret is not asked for where the rules see a
    safe detail (the last four digits, a postcode, an order number); a brush-off is not
    one where they see reassurance ("it's not your fault"); a promise is not unfunded
    under a relief policy, or when it is asked for rather than promised. Overruled: a
    rule's finding the classifier finds very unlikely (`learned.VETO`) in the sentences
    around it (`excerpts`: reason -> the words that fired; in a long letter the whole
    text says little about one buried request), unless it sends the secret here."""
    from amparo.assist.learned import THRESHOLDS, VETO, VETO_MIN_WORDS, near

    added = []
    for reason, probability in probabilities.items():
        if reason in found or probability < THRESHOLDS[reason]:
            continue
        if reason == "secret_request" and (NOT_SECRET.search(lowered) or KEEP_IT.search(lowered)):
            continue
        if reason == "dismissive" and (
            DISMISSIVE_EXCUSED.search(lowered)
            or ALTERNATIVE.search(lowered)
            or (len(lowered.split()) < SHORT_REPLY_WORDS and OFFER_OF_HELP.search(lowered))
        ):
            continue
        if reason == "unfunded_promise" and (relief_active or PROMISE_HEDGED.search(lowered)):
            continue
        added.append(reason)
    # Only in a longer reply: the rules misfire in letters, menus and scam warnings; a
    # short, direct request ("no te preocupes y mándame tu NIP") is theirs to call.
    # "we never ask for your password. Type your password here": a finding that sends
    # the secret here ("en este chat", "כאן") is never overruled, whatever its
    # neighbourhood reads like.
    overruled = set()
    if len(lowered.split()) >= VETO_MIN_WORDS:
        for reason in found:
            if reason not in VETO or reason not in probabilities:
                continue
            words = (excerpts or {}).get(reason, [])
            if any(TO_US_HERE.search(excerpt) for excerpt in words):
                continue
            passages = passages_around(lowered, words) or [lowered]
            if max(near(passages, reason)) < VETO[reason]:
                overruled.add(reason)
    return added, overruled


def passages_around(lowered: str, excerpts: list[str]) -> list[str]:
    """The sentence holding each excerpt, with the sentences before and after it."""
    parts = sentences(lowered)
    found = []
    for excerpt in excerpts:
        at = next((i for i, part in enumerate(parts) if excerpt[:40] in part), None)
        if at is not None:
            found.append(" ".join(parts[max(0, at - 1) : at + 2]))
    return found


def asking_clause(lowered: str, language: str) -> str:
    """What to show the agent for a classifier's finding: the first clause that asks
    something of the customer, or the first sentence."""
    parts = sentences(lowered)
    for sentence in parts:
        for clause in clauses(sentence):
            if _asks(clause, language == "es"):
                return clause.strip()
    return parts[0] if parts else ""


MIN_LETTERS_FOR_LANGUAGE = 20
SCRIPTS = {"he": "hebrew", "ar": "arabic", "ru": "cyrillic", "uk": "cyrillic"}


def script(language: str) -> str:
    return SCRIPTS.get(language.lower()[:2], "latin")


def guard(
    text: str,
    customer_language: str | None = None,
    distressed: bool = False,
    official_domains: Iterable[str] = (),
    official_handles: Iterable[str] = (),
    relief_active: bool = False,
    learned: bool = True,
) -> GuardResult:
    """Read a reply before it is sent. `distressed`: the customer is upset, in
    hardship, vulnerable or affected by an incident (extra care: apology and a next
    step with a time are expected). `relief_active`: a relief policy in force covers
    money promises (fee and interest waivers declared for an incident). `learned`: ask
    the classifiers (amparo/assist/learned.py) about what the rules let through."""
    from amparo.triage.language import detect_language

    lowered = normalize(text)
    language = detect_language(text, default=customer_language or "")
    findings: list[Finding] = []

    def add(reason: str, severity: str, excerpt: str) -> None:
        findings.append(Finding(reason, severity, excerpt[:200]))

    for excerpt in secret_requests(lowered, spanish=language == "es"):
        add("secret_request", "block", excerpt)
    for excerpt in unofficial_channels(lowered, official_domains, official_handles):
        add("unofficial_channel", "block", excerpt)
    for sentence in sentences(lowered):
        match = DISMISSIVE.search(sentence)
        if match and not DISMISSIVE_EXCUSED.search(sentence):
            add("dismissive", "warn", sentence)
    if not relief_active:
        for sentence in sentences(lowered):
            promise = PROMISE.search(sentence)
            if (
                promise
                and not PROMISE_HEDGED.search(sentence)
                # "no te la vamos a devolver" refuses; it does not promise
                and not NOT_PROMISED.search(
                    re.split(r"[,;:]", sentence[max(0, promise.start() - 20) : promise.start()])[-1]
                    + promise.group()
                )
            ):
                add("unfunded_promise", "warn", sentence)
    if learned:
        from amparo.assist.learned import opinion

        excerpts: dict[str, list[str]] = {}
        for f in findings:
            excerpts.setdefault(f.reason, []).append(f.excerpt)
        added, overruled = second_opinion(
            lowered, set(excerpts), relief_active, opinion(lowered), excerpts
        )
        findings = [f for f in findings if f.reason not in overruled]
        for reason in added:
            severity = "block" if reason in BLOCK_REASONS else "warn"
            add(reason, severity, asking_clause(lowered, language))
    if distressed:
        if not APOLOGY.search(lowered):
            add("no_apology", "warn", "")
        if not NEXT_STEP_TIME.search(lowered):
            add("no_next_step", "warn", "")
    if FOOD_BANK.search(lowered) and not REFERRAL.search(lowered):
        add("foodbank_without_referral", "warn", FOOD_BANK.search(lowered).group())  # type: ignore[union-attr]
    if customer_language and language and language != customer_language.lower()[:2]:
        # Two or three words ("con token", "ok thanks") say too little about a language,
        # unless they are in another script.
        letters = sum(ch.isalpha() for ch in text)
        scripts = {script(customer_language), script(language)}
        if letters >= MIN_LETTERS_FOR_LANGUAGE or len(scripts) > 1:
            add("wrong_language", "warn", language)
    verdict = (
        "block" if any(f.severity == "block" for f in findings) else "warn" if findings else "ok"
    )
    return GuardResult(verdict, findings, language)
