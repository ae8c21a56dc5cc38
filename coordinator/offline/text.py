"""Text processing for the offline router: tokens, stems, concepts and fuzzy matching.

Everything here is pure and deterministic (stdlib only). The pipeline for a piece of text is

    normalise → words → phrases (multi-word concepts such as "exchange rate") → stems
    → stopword removal → features (the stem itself plus its concepts)

A *feature* is either a stem (``"invoic"``) or a concept id (``"#billing"``). Agents'
descriptions and a user's query are turned into features the same way, so the synonym map
works in both directions: an agent that says "bills" matches a query that says "invoice".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# ---------------------------------------------------------------------------------------
# Normalisation and words
# ---------------------------------------------------------------------------------------


def _wordset(text: str) -> frozenset[str]:
    """A set of whitespace-separated words (keeps long word lists readable)."""
    return frozenset(text.split())


_BRITISH = (
    (re.compile(r"^(\w{3,})is(e|es|ed|ing|er|ers|ation|ations)$"), r"\1iz\2"),
    (re.compile(r"^(\w{3,})ys(e|es|ed|ing|er|ers)$"), r"\1yz\2"),
    (re.compile(r"^(\w{3,})our(s|ed|ing|ful)?$"), r"\1or\2"),
)
# Words the -ise → -ize rule must not touch (they are not verbs in -ise).
_NOT_BRITISH = _wordset(
    """
    advertise analyses base bases case cases chase cruise expertise franchise house
    houses increase increases license merchandise noise noises phase phases premise
    premises promise promises purchase purchases raise release releases rise surprise
    surprises praise paradise precise concise exercise exercises televise supervise wise
    otherwise raises arise
    """
)


def normalise(text: str) -> str:
    """Lower-case, strip accents, unify quotes and dashes."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return text.lower()


def words(text: str) -> list[str]:
    """Word tokens of ``text`` in order: ``"What's the P&L?"`` → ``["what", "the", "p", "l"]``.

    Possessive/contracted endings are dropped (``what's`` → ``what``); ``c++`` and ``c#``
    keep their symbols.
    """
    return [w for w, _ in cased_words(text)]


def cased_words(text: str) -> list[tuple[str, bool]]:
    """Like :func:`words`, with whether each word was written Title-case (``Acme``)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    out = []
    for match in _CASED_WORD_RE.finditer(text):
        original = match.group(0)
        word = original.lower()
        if "'" in word:
            word = word.split("'", 1)[0]
        if word:
            title = original[0].isupper() and (len(original) == 1 or not original.isupper())
            out.append((word, title))
    return out


_CASED_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:[+#]+|(?:'[A-Za-z]+))?")


# ---------------------------------------------------------------------------------------
# Stemmer (Porter-lite)
# ---------------------------------------------------------------------------------------

# Irregular forms the suffix rules get wrong or split apart.
_IRREGULAR = {
    "analysis": "analyz",
    "analyses": "analyz",
    "analytic": "analyz",
    "analytics": "analytic",
    "analytical": "analytic",
    "follower": "follower",
    "graphic": "graphic",
    "marketing": "marketing",
    "story": "story",
    "stories": "story",
    "graphics": "graphic",
    "conversion": "convert",
    "conversions": "convert",
    "followers": "follower",
    "analyst": "analyz",
    "analysts": "analyz",
    "news": "news",
    "contractor": "contractor",
    "contractors": "contractor",
    "data": "data",
    "media": "media",
    "status": "status",
    "series": "series",
    "sales": "sale",
    "business": "business",
    "businesses": "business",
    "address": "address",
    "addresses": "address",
    "process": "process",
    "processes": "process",
    "children": "child",
    "people": "people",
    "men": "man",
    "women": "woman",
    "was": "was",
    "has": "has",
    "does": "do",
    "this": "this",
    "its": "its",
    "gas": "gas",
    "us": "us",
    "bus": "bus",
    "plus": "plus",
    "thus": "thus",
    "bonus": "bonus",
    "campus": "campus",
    "focus": "focus",
    "virus": "virus",
    "census": "census",
    "canvas": "canvas",
    "atlas": "atlas",
    "paris": "paris",
    "texas": "texas",
    "dallas": "dallas",
    "vegas": "vegas",
    "meeting": "meet",
    "meetings": "meet",
    "shipping": "ship",
    "booking": "book",
    "bookings": "book",
    "legal": "legal",
    "general": "general",
    "calendar": "calendar",
    "calendars": "calendar",
    "sunny": "sun",
    "rainy": "rain",
    "windy": "wind",
    "snowy": "snow",
    "cloudy": "cloud",
    "stormy": "storm",
    "foggy": "fog",
    "daily": "day",
    "flies": "fly",
    "flew": "fly",
    "flown": "fly",
    "paid": "pay",
    "sent": "send",
    "wrote": "write",
    "written": "write",
    "bought": "buy",
    "sold": "sell",
    "ran": "run",
    "drew": "draw",
    "drawn": "draw",
    "spent": "spend",
    "taught": "teach",
    "thought": "think",
    "found": "find",
    "made": "make",
    "gave": "give",
    "given": "give",
    "took": "take",
    "taken": "take",
    "chose": "choose",
    "chosen": "choose",
    "went": "go",
    "gone": "go",
}

# Derivational suffixes, longest first. (suffix, replacement)
_SUFFIXES = (
    ("izations", ""),
    ("ization", ""),
    ("ational", "ate"),
    ("fulness", ""),
    ("iveness", ""),
    ("ousness", ""),
    ("ations", "at"),
    ("ation", "at"),
    ("itions", ""),
    ("ition", ""),
    ("ements", ""),
    ("ement", ""),
    ("ments", ""),
    ("ment", ""),
    ("ness", ""),
    ("ities", ""),
    ("ity", ""),
    ("ances", ""),
    ("ance", ""),
    ("ences", ""),
    ("ence", ""),
    ("ably", ""),
    ("ibly", ""),
    ("able", ""),
    ("ible", ""),
    ("ical", ""),
    ("izer", ""),
    ("ize", ""),
    ("yze", "yz"),
    ("ive", ""),
    ("ful", ""),
    ("ous", ""),
    ("ist", ""),
    ("ism", ""),
    ("ion", ""),
    ("al", ""),
    ("ator", "at"),
    ("er", ""),
    ("ly", ""),
    ("ic", ""),
    ("iz", ""),
    ("y", ""),
    ("e", ""),
)
_VOWEL = re.compile(r"[aeiouy]")


# Words in -er that are not "one who …" (deliver ≠ deliv + er); kept whole.
_KEEP_ER = _wordset(
    """
    deliver discover cover recover offer answer consider register filter enter render
    remember gather number member letter matter master water paper power server partner
    folder header footer banner poster router customer order border corner cancer
    chapter never other ever after over under later river silver winter summer september
    october november december
    """
)


def _undouble(word: str) -> str:
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "lsz":
        return word[:-1]
    return word


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A small suffix-stripping stemmer: close enough to Porter for routing.

    ``translate, translates, translated, translating, translation, translator`` → ``translat``;
    ``ship, shipping, shipped, shipment`` → ``ship``; ``summary, summarise, summarization`` →
    ``summar``. Stems keep at least three letters (four for one/two-letter suffixes), so short
    words are left alone.
    """
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    if word not in _NOT_BRITISH:
        for pattern, repl in _BRITISH:
            new = pattern.sub(repl, word)
            if new != word:
                word = new
                break
    w = word
    # 1. plurals and third person
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        w = w[:-1]
    # 2. -ing / -ed (an inflected word skips step 3: "delivered" → "deliver", not "deliv")
    inflected = False
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and not w.endswith("eed"):
            base = w[: -len(suffix)]
            if len(base) >= 3 and _VOWEL.search(base):
                w = _undouble(base)
                inflected = True
                if w.endswith("i"):
                    w = w[:-1] + "y"
            break
    # 3. derivational suffixes (one pass, longest first)
    for suffix, repl in () if inflected or w in _KEEP_ER else _SUFFIXES:
        if w.endswith(suffix):
            base = w[: -len(suffix)] + repl
            minimum = 4 if len(suffix) <= 2 else 3
            if len(base) >= minimum and _VOWEL.search(base):
                w = base
            break
    # 4. tidy the end: trailing -iz (visualiz → visual), trailing e, doubled consonant
    if w.endswith("iz") and len(w) >= 6:
        w = w[:-2]
    if w.endswith("e") and len(w) >= 5:
        w = w[:-1]
    return _undouble(w) if len(w) >= 5 else w


# ---------------------------------------------------------------------------------------
# Stopwords and weak words
# ---------------------------------------------------------------------------------------

STOPWORDS = _wordset(
    """
    a about above across after afterwards again against all almost along already also
    although always am among an and another any anybody anyone anything anyway anywhere
    are around as at be became because become been before being below beside besides
    between both but by can cannot could did do does doing done down during each either
    else enough etc even ever every everyone everything except few for from further had
    has have having he her here hers herself him himself his how however i if in into is
    it its itself just let lets like may me meanwhile might mine more most much must my
    myself near neither never nevertheless no nobody none nor not nothing now of off
    often on once one only onto or other others otherwise our ours ourselves out over
    own per perhaps please quite rather really same she should since so some somebody
    someone something sometimes somewhere still such than that the their theirs them
    themselves then there therefore these they this those though through throughout thru
    thus to together too toward towards under unless until up upon us very via was we
    well were what whatever when whenever where whereas wherever whether which while who
    whoever whom whose why will with within without would yet you your yours yourself
    yourselves hi hello hey thanks thank ok okay pls plz want wants wanted need needs
    needed would like kindly possible able tell show give gives giving get gets getting
    got go going make makes making made help know let use using used put take find finds
    look looks looking see seen try can could do does did just also quick quickly please
    right now currently some any many much lot lots thing things stuff way ways kind
    sort bit today tomorrow tonight yesterday week weeks month months year years day
    days morning afternoon evening night weekend monday tuesday wednesday thursday
    friday saturday sunday january february march april june july august september
    october november december last next this past previous upcoming current latest
    recent recently new old good best better great nice bad worst big small large little
    first second third one two three four five six seven eight nine ten s t don didn
    doesn isn aren wasn won wouldn couldn shouldn can't im ive id
    """
)

# Numbers, dates and periods ("2024", "q3", "fy25", "3pm", "14th", "250k", "x200"): they
# specify a task but never say which agent it is for.
_NON_CONTENT_RE = re.compile(r"^(?:\d+[a-z]{0,3}|[a-z]{1,2}\d+[a-z]?|q[1-4]|h[12]|fy\d{2,4})$")

# Words that carry little routing signal on their own: they count, but at a lower weight.
WEAK_WORDS = _wordset(
    """
    check list update create run pull send write draft add set prepare provide share
    report reports data information info detail details summary overview status result
    results number numbers total count figure figures customer customers client clients
    team teams company our product products service services system systems user users
    account accounts item items question questions answer answers request requests issue
    issues problem problems time times date dates review reviews analyse analyze
    analysis track tracking manage management handle process
    """
)

# Pronoun-ish words that signal "use the previous result" (MEDIUM dependencies).
BACK_REFERENCES = frozenset(
    ["it", "them", "those", "these", "that", "this", "they", "their", "its"]
)


# ---------------------------------------------------------------------------------------
# Concept (synonym) map
# ---------------------------------------------------------------------------------------

# Each concept groups words a user and a description writer may use for the same thing.
# Phrases (with spaces) are matched on consecutive stems and replace their words.
CONCEPTS: dict[str, str] = {
    "weather": """weather forecast forecasts temperature rain raining rainy snow snowing snowfall
        wind windy sunny sunshine umbrella storm storms thunderstorm humidity humid
        precipitation drizzle hail frost fog foggy heatwave uv sunscreen cloudy overcast
        meteorological meteorology""",
    "translation": """translate translation translator translating language languages
        localize localization localisation locale multilingual interpret interpreter
        english french german spanish italian portuguese japanese chinese mandarin cantonese
        korean russian arabic dutch hindi swedish norwegian danish finnish polish turkish
        greek hebrew vietnamese thai indonesian czech ukrainian romanian hungarian""",
    "billing": """invoice invoices invoicing bill bills billing billed payment payments pay
        paid unpaid charge charges charged refund refunds refunded receivable receivables
        overdue dunning owe owes owed owing outstanding_balance credit_note subscription
        subscriptions""",
    "shipping": """ship shipment shipments shipping shipped delivery deliveries deliver
        delivered parcel parcels package packages courier couriers tracking_number carrier
        carriers freight transit dispatch dispatched logistics consignment consignments
        arrival eta in_transit""",
    "calendar": """calendar calendars meeting meetings schedule scheduling reschedule
        appointment appointments invite invites invitation availability available
        free_slot free_time time_slot slot slots sync standup agenda book_a_meeting
        diary free busy""",
    "code": """code coding source_code program programming script scripts function
        functions snippet snippets refactor refactoring debug debugging python javascript
        typescript java golang rust ruby php kotlin swift c++ c# developer developers
        software repository repo pull_request pull_requests commit commits compile
        unit_test unit_tests api endpoint handler""",
    "defect": """bug bugs defect defects crash crashes crashing glitch regression jira
        issue_tracker bug_report broken error errors exception""",
    "ticket": """ticket tickets jira helpdesk help_desk case_number incident incidents""",
    "legal": """legal contract contracts agreement agreements clause clauses nda ndas
        lawyer lawyers attorney liability liabilities indemnity indemnification lawsuit
        litigation obligation obligations termination warranty terms_and_conditions
        msa master_services_agreement notice_period renewal auto_renew""",
    "image": """image images picture pictures photo photos photograph photography
        selfie selfies gallery
        illustration illustrations illustrate cartoon sketch artwork graphic graphics
        logo logos banner banners poster posters icon icons thumbnail wallpaper
        drawing_of hero_image""",
    "database": """sql database databases db query queries table tables schema rows
        postgres postgresql mysql bigquery snowflake data_warehouse redshift""",
    "chart": """chart charts graph graphs plot plots plotting visualize visualization
        visualisation diagram histogram histograms dashboard dashboards bar_chart
        line_graph line_chart pie_chart scatter_plot""",
    "summary": """summary summaries summarize summarise summarization condense gist tldr
        tl_dr recap digest synopsis key_points abstract highlights shorten""",
    "email": """email emails e_mail mail inbox reply replies message messages newsletter
        cc""",
    "web": """web internet online google website websites browse search_engine""",
    "news": """news press headline headlines article articles journalist journalists
        media_coverage coverage newspaper""",
    "feedback": """sentiment feedback opinion opinions complaint complaints complain
        complaining survey surveys nps satisfaction rating ratings testimonial
        app_store_reviews customer_reviews""",
    "inventory": """inventory stock_level stock_levels in_stock out_of_stock sku skus
        warehouse_stock restock reorder on_hand quantity quantities units_left
        stockroom""",
    "market": """share_price share_prices stock_price stock_prices stock_market shares
        equity equities ticker nasdaq dow_jones s_p index_fund market_index exchange_rate
        exchange_rates currency currencies forex fx usd eur gbp jpy dollar dollars euro
        euros pound_sterling yen bitcoin crypto""",
    "hr": """hr human_resources employee employees staff handbook vacation pto
        time_off leave parental_leave maternity paternity sick_leave benefits payroll
        salary salaries payslip pay_slip onboarding offboarding hiring recruiting
        recruitment pension""",
    "it_support": """helpdesk password passwords vpn laptop laptops login log_in sign_in
        logon locked_out wifi printer two_factor 2fa mfa sso single_sign_on
        it_support tech_support reset_password""",
    "travel": """travel trip trips flight flights fly airline airlines airfare hotel
        hotels train trains rail itinerary itineraries reservation reservations
        accommodation airbnb passport visa boarding_pass layover""",
    "directions": """directions direction route routes drive driving distance distances
        map maps navigate navigation commute walking nearby travel_time get_to get_from
        how_to_get""",
    "math": """calculate calculation calculations calculator compute arithmetic math
        maths percentage percentages percent interest_rate interest
        loan loans mortgage repayment repayments amortization fahrenheit celsius unit_conversion
        currency_conversion
        kilometers kilometres miles""",
    "crm": """crm salesforce hubspot lead leads deal deals opportunity opportunities
        prospect prospects contact contacts pipeline account_manager deal_stage""",
    "revenue": """revenue revenues sales income turnover earnings top_line arr mrr
        quota""",
    "expenses": """expense expenses spend spending spent cost costs expenditure budget
        budgets opex capex""",
    "profit": """profit profits margin margins profitability ebitda net_income""",
    "social": """social_media tweet tweets twitter linkedin instagram facebook tiktok
        followers engagement hashtag hashtags social_post""",
    "transcript": """transcribe transcription transcript transcripts minutes recording
        recorded notes note_taking action_items dictation""",
    "security": """security vulnerability vulnerabilities vulnerable cve cves exploit
        exploits malware breach penetration_test pentest threat threats openssl
        ransomware firewall""",
    "document": """pdf pdfs ocr scanned_document scanned_form form forms receipt receipts
        extract extraction parse parsing""",
    "docs": """wiki docs documentation manual manuals guide guides knowledge_base faq
        faqs how_to tutorial tutorials instructions help_center""",
    "metrics": """analytics metrics metric kpi kpis statistics stats signups sign_ups
        signup sign_up signed_up registrations active_users dau mau churn retention conversion_rate cohort
        funnel""",
    # --- everyday / consumer domains ---
    "food": """recipe recipes cook cooking bake baking dinner lunch breakfast brunch meal
        meals meal_plan ingredient ingredients dish dishes cuisine vegetarian vegan chicken
        beef pork salmon fish pasta rice soup salad dessert cake bread snack snacks chef
        menu grill roast""",
    "fitness": """fitness workout workouts exercise exercises gym cardio yoga pilates
        strength_training abs squats pushups push_ups steps jogging running marathon
        stretching stretches calories_burned personal_trainer""",
    "music": """music song songs album albums playlist playlists artist artists band bands
        singer jazz rock hip_hop classical_music spotify soundtrack tune tunes radio
        lyrics""",
    "smart_home": """lights light lamp lamps thermostat heating air_conditioning plug
        plugs smart_home dim brighten turn_on turn_off switch_on switch_off blinds alexa
        living_room bedroom""",
    "movies": """movie movies film films cinema tv tv_show tv_shows series netflix
        streaming hulu comedy comedies thriller thrillers horror documentary documentaries
        actor actress sitcom""",
    "banking": """bank banking balance balances checking_account savings transaction
        transactions card debit credit_card transfer transfers deposit withdraw withdrawal
        atm overdraft account_balance wire_transfer""",
    "tax": """tax taxes deduction deductions deduct deductible irs hmrc tax_return
        tax_filing vat write_off""",
    "health": """health symptom symptoms medication medications medicine medicines drug
        drugs pill pills doctor physician dose dosage side_effects fever flu headache
        illness disease prescription pharmacy ibuprofen paracetamol aspirin allergy
        allergies""",
    "pets": """pet pets dog dogs puppy puppies cat cats kitten kittens vet veterinarian
        hamster rabbit leash litter kibble grooming""",
    "garden": """garden gardening plant plants houseplant houseplants flower flowers seed
        seeds soil fertilizer compost lawn tree trees prune pruning weeds pest pests
        watering tomato tomatoes roses succulent""",
    "shopping": """shopping shop buy buying purchase cheapest cheap discount discounts
        store stores retailer amazon coupon coupons price_drop price_comparison""",
    "sports": """sport sports score scores fixture fixtures league standings football
        soccer basketball tennis baseball hockey nba nfl premier_league champions_league
        world_cup playoff playoffs""",
    "notes": """note notes notebook todo to_do to_do_list checklist memo jot write_down""",
    "reminders": """reminder reminders remind alarm alarms wake_me wake_up timer timers""",
    "dictionary": """definition definitions define meaning synonym synonyms antonym
        antonyms spelling spell pronunciation pronounce vocabulary thesaurus etymology""",
    "units": """unit units ounce ounces kilogram kilograms kg gram grams liter liters litre
        litres gallon gallons inch inches feet meter meters metre metres centimeter
        centimeters mile miles kilometer kilometers celsius fahrenheit unit_conversion""",
    "ride": """taxi taxis cab cabs uber lyft ride rides rideshare ride_share pickup
        drop_off fare fares chauffeur""",
    "flight_status": """departure departures gate gates boarding delayed delay delays
        flight_status on_time""",
    "support": """support customer_support customer_service helpdesk escalation
        escalations live_chat chat chats support_ticket support_tickets""",
}

_CONCEPT_WEIGHT = 0.8  # a concept match counts this much of an exact stem match


@dataclass(frozen=True)
class Lexicon:
    """The concept map compiled to stems: stem → concepts, and multi-word phrases."""

    concepts_of: dict[str, frozenset[str]]
    phrases: dict[tuple[str, ...], str]  # stems → phrase key
    phrase_concepts: dict[str, frozenset[str]]
    surface: frozenset[str]  # every surface word the map knows (for fuzzy matching)
    max_phrase: int


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    concepts_of: dict[str, set[str]] = {}
    phrase_concepts: dict[str, set[str]] = {}
    phrases: dict[tuple[str, ...], str] = {}
    surface: set[str] = set()
    for concept, blob in CONCEPTS.items():
        cid = "#" + concept
        for entry in blob.split():
            parts = [p for p in re.split(r"_", entry) if p]
            surface.update(parts)
            stems = tuple(stem(p) for p in parts)
            if len(stems) == 1:
                concepts_of.setdefault(stems[0], set()).add(cid)
            else:
                key = "_".join(stems)
                phrases[stems] = key
                phrase_concepts.setdefault(key, set()).add(cid)
    return Lexicon(
        concepts_of={k: frozenset(v) for k, v in concepts_of.items()},
        phrases=phrases,
        phrase_concepts={k: frozenset(v) for k, v in phrase_concepts.items()},
        surface=frozenset(surface),
        max_phrase=max((len(k) for k in phrases), default=1),
    )


# ---------------------------------------------------------------------------------------
# Terms: the unit of matching
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One meaningful word (or phrase) of a text, with what it can match.

    ``features`` maps a feature (stem, phrase key or ``#concept``) to its strength in
    [0, 1]: 1.0 for the word itself, 0.8 for its concepts.
    """

    surface: str
    key: str
    position: int
    weight: float
    features: tuple[tuple[str, float], ...]
    named: bool = False  # an unknown word written Title-case mid-sentence: a name (Rotterdam)


def _features_for(key: str, lex: Lexicon) -> tuple[tuple[str, float], ...]:
    feats: dict[str, float] = {key: 1.0}
    concepts = lex.phrase_concepts.get(key) or lex.concepts_of.get(key) or ()
    for cid in concepts:
        feats[cid] = max(feats.get(cid, 0.0), _CONCEPT_WEIGHT)
    return tuple(sorted(feats.items()))


def _entity_words(cased: list[tuple[str, bool]]) -> set[int]:
    """Positions of words inside proper names ("Umbrella Corp", "Amazon Web Services"):
    runs of two or more Title-case words that do not open the text. All but the last word
    of such a run lose their concepts, so a client called Umbrella is not a weather query
    while "Brazilian Portuguese" still means a language."""
    out: set[int] = set()
    i = 1
    while i < len(cased):
        if cased[i][1]:
            j = i
            while j + 1 < len(cased) and cased[j + 1][1]:
                j += 1
            if j > i:
                out.update(range(i, j))
            i = j + 1
        else:
            i += 1
    return out


_DETERMINERS = _wordset(
    """
    the a an this that these those our my your their his her its
    """
)
_SOURCE_PREPS = _wordset("in into from via through on onto")
# "add the ingredients *to my notes*": after these verbs, "to" names the target tool.
_TRANSFER_VERBS = _wordset(
    "add save send post upload export move copy attach append put write log push publish share email"
)
_TOPIC_PREPS = _wordset("of about regarding concerning")
SOURCE_WEIGHT = 1.3  # "… in the wiki", "… into Spanish": names the tool or target
OF_WEIGHT = 0.6  # "a graph of the repayment schedule", "news about X": the material, not the task


def _role_weights(raw: list[str]) -> dict[int, float]:
    """Weights for the words of a noun phrase that follows a preposition: a source or
    target ("from the database", "into French", "add … to my notes") names the agent's
    tool and counts more;
    the object of "of"/"about" ("a chart of the sales") is the material and counts less."""
    out: dict[int, float] = {}
    for i, word in enumerate(raw):
        if word in _TOPIC_PREPS:
            weight = OF_WEIGHT
        elif word in _SOURCE_PREPS or (
            word == "to"
            and (raw[i - 1 : i] == ["according"] or _TRANSFER_VERBS & set(raw[max(0, i - 5) : i]))
        ):
            weight = SOURCE_WEIGHT
        else:
            continue
        j, taken = i + 1, 0
        while j < len(raw) and raw[j] in _DETERMINERS:
            j += 1
        while j < len(raw) and taken < 3 and raw[j] not in STOPWORDS:
            out.setdefault(j, weight)
            j += 1
            taken += 1
    return out


@lru_cache(maxsize=8192)
def terms(text: str, doc: bool = False) -> tuple[Term, ...]:
    """The terms of ``text``: phrases first, then single non-stopword words, each with its
    features. In a query a phrase replaces its words ("stock price" is about markets, not
    inventory); in an agent's text (``doc=True``) the words count as well. Cached, since
    descriptions and repeated queries come back often."""
    lex = lexicon()
    cased = cased_words(text)
    raw = [w for w, _ in cased]
    stems = [stem(w) for w in raw]
    entity = set() if doc else _entity_words(cased)
    roles = {} if doc else _role_weights(raw)
    out: list[Term] = []
    i = 0
    while i < len(raw):
        matched = 0
        for n in range(min(lex.max_phrase, len(raw) - i), 1, -1):
            key = lex.phrases.get(tuple(stems[i : i + n]))
            if key is not None and not entity.intersection(range(i, i + n)):
                out.append(
                    Term(
                        surface=" ".join(raw[i : i + n]),
                        key=key,
                        position=i,
                        weight=roles.get(i, 1.0),
                        features=_features_for(key, lex),
                    )
                )
                matched = n
                break
        if matched and not doc:
            i += matched
            continue
        for j in range(i, i + max(matched, 1)):
            word = raw[j]
            if word in STOPWORDS or len(word) < 2 or _NON_CONTENT_RE.match(word):
                continue
            key = stems[j]
            weight = (0.5 if word in WEAK_WORDS else 1.0) * roles.get(j, 1.0)
            features = ((key, 1.0),) if j in entity else _features_for(key, lex)
            named = not doc and j > 0 and cased[j][1] and len(features) == 1
            out.append(Term(word, key, j, weight, features, named))
        i += max(matched, 1)
    return tuple(out)


# ---------------------------------------------------------------------------------------
# Character n-gram similarity (typos and leftover morphology)
# ---------------------------------------------------------------------------------------


@lru_cache(maxsize=16384)
def ngrams(word: str, n: int = 2) -> frozenset[str]:
    """Padded character n-grams: ``ngrams("cat")`` → ``{" c", "ca", "at", "t "}``."""
    padded = f" {word} "
    return frozenset(padded[i : i + n] for i in range(len(padded) - n + 1))


def dice(a: str, b: str, n: int = 2) -> float:
    """Sørensen–Dice similarity of the padded character n-grams of two words, in [0, 1]."""
    if a == b:
        return 1.0
    ga, gb = ngrams(a, n), ngrams(b, n)
    if not ga or not gb:
        return 0.0
    return 2 * len(ga & gb) / (len(ga) + len(gb))


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance (insert, delete, substitute, swap neighbours),
    giving up early once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def typo_similarity(a: str, b: str) -> float:
    """How likely ``a`` is a misspelling (or a variant form) of ``b``, in [0, 1].

    Bigram Dice similarity (or 1 - distance/length when kinder), accepted only when the
    words share enough bigrams and are also within a small edit
    distance (1 for words up to 8 letters, 2 for longer ones); words under 6 letters are
    never corrected (too many real words are one letter apart). 0 otherwise.
    """
    if a == b:
        return 1.0
    if min(len(a), len(b)) < 6 or a[0] != b[0] and a[:2] != b[1::-1]:
        return 0.0
    similarity = dice(a, b)
    if similarity < 0.45:  # cheap n-gram filter before the edit distance
        return 0.0
    longest = max(len(a), len(b))
    allowed = 1 if longest <= 8 else 2
    distance = edit_distance(a, b, allowed)
    if distance > allowed:
        return 0.0
    # a swap of two letters shares few bigrams yet is one slip: take the kinder measure
    return max(similarity, 1 - distance / longest)
