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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
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


_HYPHENATED_RE = re.compile(r"\b([A-Za-z]+)-([A-Za-z]+)\b")


def _join_hyphenated(match: re.Match[str]) -> str:
    joined = match.group(1) + match.group(2)
    return joined if joined.lower() in lexicon().surface else match.group(0)


def _prepare(text: str) -> str:
    """Accents stripped, quotes unified, and hyphenated words the synonym map knows as one
    word joined ("check-out" → "checkout", "e-mail" → "email", "sign-up" → "signup")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return _HYPHENATED_RE.sub(_join_hyphenated, text) if "-" in text else text


def cased_words(text: str) -> list[tuple[str, bool]]:
    """Like :func:`words`, with whether each word was written Title-case (``Acme``)."""
    text = _prepare(text)
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

# Word families the suffix rules split or merge wrongly: "metric" ≠ "meter", "training" ≠
# the train you travel on, "listings" ≠ the verb "list"; British spellings the -ise/-our
# rules do not reach (centre, catalogue, licence, travelled); and irregular verb forms.
_FAMILIES = {
    "metric": "metric metrics",
    "meter": "meter meters metre metres",
    "training": "training",
    "fitness": "fitness",
    "sourcing": "sourcing",
    "applicat": "applicant applicants application applications",
    "absent": "absent absence absences absentee absentees",
    "scien": "science sciences scientist scientists scientific",
    "studies": "studies",  # the noun: research studies (a student's "study" stays "study")
    "sourcer": "sourcer sourcers",
    "trainer": "trainer trainers",
    "listing": "listing listings",
    "accounting": "accounting",
    "center": "center centers centre centres",
    "theater": "theater theaters theatre theatres",
    "catalog": "catalog catalogs catalogue catalogues",
    "license": "license licenses licence licences licensed licensing",
    "practice": "practice practices practise practised practising",
    "tire": "tire tires tyre tyres",
    "liter": "liter liters litre litres",
    "kilometer": "kilometer kilometers kilometre kilometres",
    "cancel": "cancel cancels cancelled canceled cancelling canceling cancellation cancellations",
    "travel": "travel travels travelled traveled travelling traveling traveller travellers traveler travelers",
    "enrol": "enrol enrols enroll enrolls enrolled enrolling enrolment enrolments enrollment enrollments",
    "label": "label labels labelled labeled labelling labeling",
    "model": "model models modelled modeled modelling modeling",
    "fuel": "fuel fuels fuelled fueled fuelling fueling",
    "level": "level levels levelled leveled levelling leveling",
    "register": "register registers registered registering registration registrations",
    "prescrib": "prescribe prescribes prescribed prescription prescriptions",
    "subscrib": "subscribe subscribes subscribed subscription subscriptions subscriber subscribers",
    "redeem": "redeem redeems redeemed redeeming redemption redemptions",
    "reserv": "reserve reserves reserved reserving reservation reservations",
    "vaccin": "vaccine vaccines vaccinate vaccinated vaccination vaccinations",
    "consum": "consume consumes consumed consumption",
    "explain": "explain explains explained explanation explanations",
    "quot": "quote quotes quoted quoting quotation quotations",
    "break": "break breaks broke broken",
    "fall": "fall falls fell fallen",
    "keep": "keep keeps kept",
    "lose": "lose loses lost",
    "meet_": "met",
    "steal": "steal steals stole stolen",
    "catch": "catch catches caught",
    "freeze": "freeze freezes froze frozen",
    "grow": "grow grows grew grown",
    "hold": "hold holds held",
    "hide": "hide hides hid hidden",
    "know": "know knows knew known",
    "lend": "lend lends lent",
    "ride": "ride rides rode ridden",
    "speak": "speak speaks spoke spoken",
    "stand": "stand stands stood",
    "throw": "throw throws threw thrown",
    "tell": "tell tells told",
    "understand": "understand understands understood",
    "wear": "wear wears wore worn",
    "withdraw": "withdraw withdraws withdrew withdrawn",
    "begin": "begin begins began begun",
    "build": "build builds built",
    "drive": "drive drives drove driven",
    "eat": "eat eats ate eaten",
    "feel": "feel feels felt",
    "fight": "fight fights fought",
    "forget": "forget forgets forgot forgotten",
    "hear": "hear hears heard",
    "say": "say says said",
    "sleep": "sleep sleeps slept",
    "stick": "stick sticks stuck",
    "tear": "tear tears tore torn",
    "mouse": "mouse mice",
    "tooth": "tooth teeth",
    "life": "life lives",
    "knife": "knife knives",
    "shelf": "shelf shelves",
    "half": "half halves",
    "criterion": "criterion criteria",
    "index": "index indexes indices",
    "crisis": "crisis crises",
    "diagnos": "diagnose diagnoses diagnosed diagnosis",
}
for _stem, _forms in _FAMILIES.items():
    for _form in _forms.split():
        _IRREGULAR.setdefault(_form, _stem.rstrip("_"))

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
_CVC = re.compile(r"^[^aeiouy][aeiou][^aeiouwxy]$")  # a three-letter stem that lost its -e


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
    if w.endswith("ie") and len(w) >= 5:  # movie/movies, calorie/calories meet
        w = w[:-2] + "y"
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
                elif w == base and _CVC.match(w):
                    w += "e"  # coding → code, hiring → hire, rated → rate (not hopping → hope)
            break
    if inflected and w.endswith("y") and w != word:
        return stem(w)  # studying / study, applied / apply, queried / query meet
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
    sort bit back today tomorrow tonight yesterday week weeks month months year years day
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
    open opens opened opening close closes closed closing file files filed filing search
    searches searched fetch fetches fetched start starts started change changes changed
    edit edits edited modify modifies modified remove removes removed delete deletes
    deleted assign assigns assigned move moves moved view views read reads submit
    submits submitted ask asks asked explain explains explained work works worked
    working keep keeps bring brings place places organize organise arrange fix fixes
    fixed sort sorted office offices
    """
)

# Role nouns in agent *names* ("Claims Desk", "Travel Assistant", "Deploy Bot"): they say
# what the agent is, not what it is about, and are left out of the name field.
NAME_ROLE_WORDS = _wordset(
    """
    assistant assistants bot bots agent agents helper helpers desk manager service services
    team office center centre hub tool tools buddy copilot ai gpt
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
    "weather": """weather forecast forecasts temperature rain raining rainy snow snowing
        snowfall wind windy sunny sunshine umbrella storm storms thunderstorm humidity humid
        precipitation drizzle hail frost fog foggy heatwave uv sunscreen cloudy overcast
        meteorological meteorology alert alerts weather_alert weather_alerts""",
    "translation": """translate translation translator translating language languages
        localize localization localisation locale multilingual interpret interpreter english
        french german spanish italian portuguese japanese chinese mandarin cantonese korean
        russian arabic dutch hindi swedish norwegian danish finnish polish turkish greek
        hebrew vietnamese thai indonesian czech ukrainian romanian hungarian""",
    "billing": """invoice invoices invoicing bill bills billing billed payment payments pay
        paid unpaid charge charges charged refund refunds refunded receivable receivables
        overdue dunning owe owes owed owing outstanding_balance credit_note subscription
        subscriptions""",
    "shipping": """ship shipment shipments shipping shipped delivery deliveries deliver
        delivered parcel parcels package packages courier couriers tracking_number carrier
        carriers freight transit dispatch dispatched logistics consignment consignments
        arrival eta in_transit container containers""",
    "calendar": """calendar calendars meeting meetings schedule scheduling reschedule
        appointment appointments invite invites invitation availability available free_slot
        free_time time_slot slot slots sync standup agenda book_a_meeting diary free busy
        book books booking bookings shift shifts rota rotas roster rosters""",
    "code": """code coding source_code program programming script scripts function functions
        snippet snippets refactor refactoring debug debugging python javascript typescript
        java golang rust ruby php kotlin swift c++ c# developer developers software
        repository repo pull_request pull_requests commit commits compile unit_test
        unit_tests api endpoint handler""",
    "defect": """bug bugs defect defects crash crashes crashing glitch regression jira
        issue_tracker bug_report broken error errors exception""",
    "ticket": """ticket tickets helpdesk help_desk case_number incident incidents""",
    "legal": """legal contract contracts agreement agreements clause clauses nda ndas lawyer
        lawyers attorney liability liabilities indemnity indemnification lawsuit litigation
        obligation obligations termination warranty terms_and_conditions msa
        master_services_agreement notice_period renewal auto_renew lease_agreement""",
    "image": """image images picture pictures photo photos photograph photography selfie
        selfies gallery illustration illustrations illustrate cartoon sketch artwork graphic
        graphics logo logos banner banners poster posters icon icons thumbnail wallpaper
        drawing_of hero_image""",
    "database": """sql database databases db query queries table tables schema rows postgres
        postgresql mysql bigquery snowflake data_warehouse redshift warehouse""",
    "chart": """chart charts graph graphs plot plots plotting visualize visualization
        visualisation diagram histogram histograms dashboard dashboards bar_chart line_graph
        line_chart pie_chart scatter_plot""",
    "summary": """summary summaries summarize summarise summarization condense gist tldr
        tl_dr recap digest synopsis key_points abstract highlights shorten""",
    "email": """email emails e_mail mail inbox reply replies message messages newsletter cc""",
    "web": """web internet online google website websites browse search_engine""",
    "news": """news press headline headlines article articles journalist journalists
        media_coverage coverage newspaper press_coverage news_coverage""",
    "feedback": """sentiment feedback opinion opinions complaint complaints complain
        complaining survey surveys nps satisfaction rating ratings testimonial
        app_store_reviews customer_reviews""",
    "inventory": """inventory stock_level stock_levels in_stock out_of_stock sku skus
        warehouse_stock restock reorder on_hand quantity quantities units_left stockroom
        warehouse warehouses""",
    "market": """share_price share_prices stock_price stock_prices stock_market
        equity equities ticker nasdaq dow_jones s_p index_fund market_index exchange_rate
        exchange_rates currency currencies forex fx usd eur gbp jpy dollar dollars euro
        euros pound_sterling yen bitcoin crypto quote quotes""",
    "hr": """hr human_resources employee employees staff handbook vacation pto time_off
        leave parental_leave maternity paternity sick_leave benefits onboarding offboarding
        pension hiring employee_handbook performance_review""",
    "it_support": """helpdesk password passwords vpn laptop laptops login log_in sign_in
        logon locked_out wifi printer two_factor 2fa mfa sso single_sign_on it_support
        tech_support reset_password install installation reinstall keyboard software_license
        okta password_reset account_locked""",
    "travel": """travel trip trips flight flights fly airline airlines airfare hotel hotels
        train trains rail itinerary itineraries reservation reservations accommodation
        airbnb passport visa boarding_pass layover car_rental car_hire book books booking
        bookings""",
    "directions": """directions direction route routes drive driving distance distances map
        maps navigate navigation commute walking nearby travel_time get_to get_from
        how_to_get gas_station gas_stations petrol_station gps""",
    "math": """calculate calculation calculations calculator compute arithmetic math maths
        percentage percentages percent interest_rate interest loan loans mortgage repayment
        repayments amortization fahrenheit celsius unit_conversion currency_conversion
        kilometers kilometres miles""",
    "crm": """crm salesforce hubspot lead leads deal deals opportunity opportunities
        prospect prospects contact contacts pipeline account_manager deal_stage""",
    "revenue": """revenue revenues sales income turnover earnings top_line arr mrr quota
        bookings""",
    "expenses": """expense expenses spend spending spent cost costs expenditure budget
        budgets opex capex expense_claim expense_claims expense_report expense_reports
        reimbursement reimbursements""",
    "profit": """profit profits margin margins profitability ebitda net_income""",
    "social": """social_media tweet tweets twitter linkedin instagram facebook tiktok
        followers engagement hashtag hashtags social_post""",
    "transcript": """transcribe transcription transcript transcripts minutes recording
        recorded notes note_taking action_items dictation""",
    "security": """security vulnerability vulnerabilities vulnerable cve cves exploit
        exploits malware breach penetration_test pentest threat threats openssl ransomware
        firewall phishing intrusion suspicious_login siem soc edr antivirus
        incident_response security_alert security_alerts""",
    "document": """pdf pdfs ocr scanned_document scanned_form form forms receipt receipts
        extract extraction parse parsing""",
    "docs": """wiki docs documentation manual manuals guide guides knowledge_base faq faqs
        how_to tutorial tutorials instructions help_center""",
    "metrics": """analytics metrics metric kpi kpis statistics stats signups sign_ups signup
        sign_up signed_up registrations active_users dau mau churn retention conversion_rate
        cohort funnel""",
    # --- everyday / consumer domains ---
    "food": """recipe recipes cook cooking bake baking dinner lunch breakfast brunch meal
        meals meal_plan ingredient ingredients dish dishes cuisine vegetarian vegan chicken
        beef pork salmon fish pasta rice soup salad dessert cake bread snack snacks chef
        menu grill roast catering caterer caterers catered team_lunch office_lunch
        food_order order_food takeout takeaway platter platters buffet dietary
        dietary_requirements dietary_restrictions gluten_free dairy_free nut_free halal
        kosher pizza sandwich sandwiches pastries pastry coffee""",
    "fitness": """fitness workout workouts exercise exercises gym cardio yoga pilates
        strength_training abs squats pushups push_ups steps jogging running_plan
        running_shoes go_running went_running trail_running morning_run marathon stretching
        stretches calories_burned personal_trainer training trainer personal_training
        workout_plan training_plan training_program workout_routine exercise_routine
        half_marathon weightlifting lifting muscle muscles bodybuilding crossfit hiit
        mobility""",
    "music": """music song songs album albums playlist playlists artist artists band bands
        singer jazz rock hip_hop classical_music spotify soundtrack tune tunes radio lyrics
        concert concerts gig gigs festival festivals""",
    "smart_home": """lights light lamp lamps thermostat heating air_conditioning plug plugs
        smart_home dim brighten turn_on turn_off switch_on switch_off blinds alexa
        living_room bedroom""",
    "movies": """movie movies film films cinema tv tv_show tv_shows series netflix streaming
        hulu comedy comedies thriller thrillers horror documentary documentaries actor
        actress sitcom plot episode episodes""",
    "banking": """bank banking balance balances checking_account savings transaction
        transactions card debit credit_card transfer transfers deposit withdraw withdrawal
        atm overdraft account_balance wire_transfer""",
    "tax": """tax taxes deduction deductions deduct deductible irs hmrc tax_return
        tax_filing vat write_off taxable income_tax tax_credit tax_credits tax_refund
        estimated_taxes quarterly_taxes self_employed withholding tax_year tax_bracket
        tax_receipt tax_receipts tax_deadline""",
    "health": """health symptom symptoms medication medications medicine medicines drug
        drugs pill pills doctor physician dose dosage side_effects fever flu headache
        illness disease prescription pharmacy ibuprofen paracetamol aspirin allergy
        allergies clinic clinics gp nurse nurses physio physiotherapy physiotherapist
        physical_therapy dentist dental orthodontist dermatologist pediatrician
        paediatrician checkup check_up medical patient patients hospital urgent_care
        telehealth diagnosis diagnose blood_pressure cholesterol vaccine vaccination refill
        refills meds injury injuries sprain pain back_pain surgery surgeon optometrist
        eye_exam pharmacist referral referrals doctor_appointment medical_appointment""",
    "pets": """pet pets dog dogs puppy puppies cat cats kitten kittens vet veterinarian
        hamster rabbit leash litter kibble grooming vet_visit veterinary kennel kennels
        boarding pet_sitter dog_sitter cat_sitter dog_walker dog_walking sitter flea fleas
        heartworm neuter spay microchip breed breeds""",
    "garden": """garden gardening plant plants houseplant houseplants flower flowers seed
        seeds soil fertilizer compost lawn tree trees prune pruning weeds pest pests
        watering tomato tomatoes roses succulent""",
    "shopping": """shopping shop buy buying purchase cheapest cheap discount discounts store
        stores retailer amazon coupon coupons price_drop price_comparison checkout gift
        gift_card promo_code promo_codes shopping_cart online_store""",
    "sports": """sport sports score scores fixture fixtures league standings football soccer
        basketball tennis baseball hockey nba nfl premier_league champions_league world_cup
        playoff playoffs game games match_tickets""",
    "notes": """note notes notebook todo to_do to_do_list checklist memo jot write_down""",
    "reminders": """reminder reminders remind alarm alarms wake_me wake_up timer timers""",
    "dictionary": """definition definitions define meaning synonym synonyms antonym antonyms
        spelling spell pronunciation pronounce vocabulary thesaurus etymology""",
    "units": """unit units ounce ounces kilogram kilograms kg gram grams liter liters litre
        litres gallon gallons inch inches feet meter meters metre metres centimeter
        centimeters mile miles kilometer kilometers celsius fahrenheit unit_conversion""",
    "ride": """taxi taxis cab cabs uber lyft ride rides rideshare ride_share pickup drop_off
        fare fares chauffeur""",
    "flight_status": """departure departures gate gates boarding delayed delay delays
        flight_status on_time""",
    # --- further business and everyday domains ---
    "recruiting": """recruit recruits recruiter recruiters recruiting recruitment hire hires
        hiring new_hire new_hires candidate candidates applicant applicants job_application
        job_applications job_posting job_postings job_post job_ad job_ads job_advert
        job_listing job_opening job_openings open_role open_roles vacancy vacancies
        requisition requisitions req reqs interview interviews interviewer interviewers
        resume resumes cv cvs cover_letter offer_letter offer_letters job_offer sourcing
        sourcer shortlist shortlisted screening phone_screen talent talent_acquisition
        headhunter headhunters ats hiring_manager job_description onsite_interview
        background_check referral referrals""",
    "real_estate": """real_estate realtor realtors estate_agent estate_agents listing
        listings property properties house houses housing home_for_sale homes_for_sale condo
        condos apartment apartments townhouse bungalow rent rental rentals renting tenant
        tenants landlord landlords lease leases leasing mortgage bedroom bedrooms bathroom
        bathrooms square_feet sqft square_footage open_house comps comparable_sales zillow
        rightmove neighbourhood neighborhood neighbourhoods neighborhoods asking_price
        sale_price home_value escrow closing_costs down_payment house_viewing
        property_viewing""",
    "education": """tutor tutors tutoring homework coursework exam exams midterm midterms
        final_exam quiz quizzes flashcard flashcards lesson lessons lecture lectures course
        courses curriculum syllabus student students pupil pupils teacher teachers school
        schools university universities college colleges classroom algebra calculus geometry
        trigonometry equation equations physics chemistry biology geology geography
        literature essay essays thesis dissertation gpa grades grading semester term_paper
        textbook textbooks practice_test worksheet worksheets study_guide study studies""",
    "insurance": """insurance insurer insurers insured insure policyholder insurance_policy
        premium premiums deductible deductibles claim claims claimant adjuster adjusters
        adjustor loss_adjuster first_notice_of_loss fnol coverage underwriting underwriter
        accident accidents collision fender_bender car_accident damage damaged theft stolen
        burst_pipe windshield total_loss copay copays car_insurance home_insurance
        travel_insurance property car_crash""",
    "manufacturing": """quality_assurance quality_control qa qc inspection inspections
        inspect inspector inspectors nonconformance nonconformances nonconforming ncr scrap
        rework reject_rate defect defects defective yield first_pass_yield batch batches
        lot_number production_line assembly_line manufacturing factory factories plant
        plants shop_floor spc capa corrective_action corrective_actions preventive_action
        root_cause tolerance tolerances out_of_spec calibration iso_9001 quality_check
        quality_checks quality_issue quality_issues rejected_parts rejected_units""",
    "agriculture": """farm farms farmer farmers farming agriculture agricultural agronomy
        agronomist crop crops harvest harvests harvesting irrigation irrigate soil soils
        fertilizer fertiliser manure nitrogen phosphorus potassium pesticide pesticides
        herbicide herbicides fungicide weed weeds pest pests blight mildew aphids orchard
        orchards vineyard vineyards livestock cattle dairy poultry wheat corn maize soybean
        soybeans barley oats tractor tractors acre acres hectare hectares drought planting
        sowing seed seeds greenhouse yield field_crops""",
    "energy": """energy electricity electric power_usage power_consumption energy_usage
        energy_consumption electricity_usage utility_bill electricity_bill energy_bill
        gas_bill utilities meter meters metering smart_meter meter_reading kwh kilowatt
        kilowatts kilowatt_hour kilowatt_hours mwh gas natural_gas gas_usage consumption
        peak_demand demand_charge tariff tariffs solar solar_panels photovoltaic boiler
        carbon_emissions emissions carbon_footprint""",
    "marketing": """marketing campaign campaigns ad ads advert adverts advertising
        advertisement advertisements ad_spend ad_campaign impressions click_through
        click_through_rate ctr cpc cpm cost_per_acquisition cost_per_click roas
        return_on_ad_spend attribution audience audiences targeting retargeting google_ads
        adwords facebook_ads meta_ads paid_social paid_search seo sem utm landing_page
        landing_pages promo lead_generation brand_awareness marketing_campaign ad_clicks""",
    "procurement": """procurement purchasing purchase_order purchase_orders po
        purchase_requisition purchase_requisitions supplier suppliers vendor vendors quote
        quotes quotation quotations bid bids tender tenders rfq rfqs rfp rfps sourcing
        purchase procure vendor_onboarding""",
    "vehicle": """fleet fleets vehicle vehicles van vans truck trucks lorry lorries car cars
        pickup_truck driver drivers mileage odometer fuel fuel_card fuel_cards diesel petrol
        gas gasoline oil_change garage mechanic mechanics roadside_assistance telematics gps
        dashcam vehicle_maintenance car_lease gas_station ev_charging ev_charger
        vehicle_registration tire_pressure flat_tire flat_tyre new_tires""",
    "events": """ticket tickets concert concerts gig gigs theater musical musicals festival
        festivals venue venues arena arenas stadium stadiums seat seats seating seat_map
        box_office admission matinee encore standing_room will_call presale ticketmaster
        season_ticket season_tickets event_tickets sold_out lineup tour_dates game games""",
    "audio": """podcast podcasts podcasting episode episodes audio sound_quality microphone
        microphones mic mics background_noise noise_removal noise_reduction loudness mixing
        mastering show_notes rss_feed rss intro outro jingle voiceover voice_over audiogram
        recording recordings""",
    "library": """library libraries librarian novel novels author authors ebook ebooks
        audiobook audiobooks catalog isbn borrow borrowed borrowing library_card loan loans
        renew renewal overdue late_fee late_fees reading_list paperback hardcover bestseller
        bestsellers interlibrary_loan book books booking bookings""",
    "facilities": """facilities facility facilities_management office_building hvac
        air_conditioning aircon ac heating heat light lights lighting cleaners janitor
        janitorial desk desks desk_move office_move elevator elevators thermostat
        office_cleaning""",
    "repair": """repair repairs broken leak leaks leaking plumber plumbers plumbing
        electrician electricians carpenter carpenters handyman handymen painter painters
        maintenance maintenance_request work_order work_orders wiring socket sockets fuse
        fuses circuit_breaker drywall roof roofing gutter gutters faucet drain clogged""",
    "loyalty": """loyalty loyalty_program loyalty_card rewards reward_program redeem
        redemption tier_status membership frequent_flyer air_miles cashback promo_code
        promo_codes coupon coupons voucher vouchers reward_points loyalty_points
        points_balance""",
    "fundraising": """fundraising fundraiser fundraisers donor donors donation donations
        donate donated pledge pledges charity charities nonprofit non_profit philanthropy
        endowment funding funder funders grant_proposal campaign campaigns gift gifts
        major_gift gift_aid donation_receipt donation_receipts tax_receipt tax_receipts
        grant_application grant_applications grant_funding grant_writing""",
    "laboratory": """lab labs laboratory laboratories lims sample samples specimen specimens
        assay assays lab_results chain_of_custody certificate_of_analysis analyte analytes
        titration chromatography hplc pcr""",
    "visitors": """visitor visitors guest guests reception receptionist front_desk badge
        badges visitor_badge visitor_pass lobby sign_in_sheet""",
    "dining": """restaurant restaurants reservation reservations book_a_table table tables
        dine dining opentable bistro cafe cafes diner seat seats book books booking bookings""",
    "hospitality": """room_service housekeeping towel towels pillow pillows minibar
        late_checkout checkout wake_up_call concierge front_desk amenities guest guests
        hotel_room""",
    "construction": """construction building_permit building_permits permit permits
        subcontractor subcontractors site_safety job_site building_site construction_site
        rfi rfis change_order change_orders blueprint blueprints architect architects
        foreman scaffolding crane""",
    "telecom": """mobile_plan phone_plan cell_plan data_plan data_usage mobile_data roaming
        sim sim_card esim carrier carriers phone_bill number_porting unlimited_data hotspot
        tethering phone phones mobile_phone cellphone cell_phone smartphone phone_signal
        no_signal signal_strength""",
    "returns": """return returns returned return_label return_labels rma exchange exchanges
        send_back refund refunds""",
    "devops": """deploy deploys deployed deployment deployments rollback roll_back rollout
        staging prod kubernetes k8s docker container containers helm ci_cd canary hotfix
        release_version server servers cluster clusters""",
    "incident": """on_call oncall pager pagerduty alert alerts alerting incident incidents
        outage outages downtime postmortem post_mortem uptime error_rate latency
        uptime_monitoring""",
    "immigration": """visa visas work_permit work_permits residence_permit residency
        immigration immigrant green_card citizenship naturalization relocation relocating
        relocate expat sponsorship""",
    "government": """dmv driving_licence driving_license drivers_license driver_license
        vehicle_registration passport parking_permit city_hall council permit permits""",
    "childcare": """daycare day_care nursery preschool kindergarten childcare child_care
        babysitter babysitting nanny toddler toddlers child children kid kids baby babies
        nap naps sitter""",
    "wedding": """wedding weddings bride groom bridal fiance fiancee rsvp rsvps guest_list
        seating_chart reception florist officiant honeymoon ceremony guest guests""",
    "video": """video videos clip clips footage subtitle subtitles caption captions trim
        montage youtube tiktok vlog reel reels color_grading colour_grading render rendering
        b_roll""",
    "mindfulness": """meditation meditate meditations mindfulness breathing
        breathing_exercise breathwork relaxation relax calm calming stress anxiety anxious
        insomnia sleep mental_health therapy therapist counseling counselling burnout""",
    "research": """academic paper papers preprint preprints journal journals citation
        citations cite bibliography literature_review peer_reviewed arxiv pubmed scholarly
        doi study studies research_paper research_papers case_study""",
    "privacy": """privacy gdpr ccpa data_protection personal_data data_subject dsar
        subject_access_request right_to_be_forgotten consent dpia dpo opt_out data_deletion""",
    "website": """website websites webpage webpages web_page homepage landing_page seo
        broken_link broken_links dead_link dead_links domain domains dns dns_record
        ssl_certificate hosting cms wordpress sitemap redirect redirects""",
    "writing": """proofread proofreading proofreader copyedit copy_edit copyediting grammar
        punctuation typo typos rewrite rephrase reword wording style_guide""",
    "volunteering": """volunteer volunteers volunteering volunteer_shift sign_up_sheet
        background_check""",
    "parking": """parking car_park parking_lot parking_space parking_spot parking_spaces
        parking_spots parking_permit parking_meter ev_charging ev_charger valet""",
    "payroll": """payroll paycheck paychecks paystub pay_stub payslip pay_slip salary
        salaries wage wages overtime withholding tax_withholding direct_deposit payday
        pay_day pay_run pay_period bonus bonuses""",
    "accounting": """accounting bookkeeping bookkeeper ledger general_ledger journal_entry
        reconciliation reconcile accounts_payable balance_sheet profit_and_loss audit
        auditor auditors trial_balance chart_of_accounts quickbooks xero""",
    "project": """milestone milestones roadmap roadmaps gantt backlog kanban sprint sprints
        asana trello project_plan project_status deliverable deliverables""",
    "cloud": """aws azure gcp cloud cloud_costs s3 ec2 lambda""",
    "nutrition": """nutrition nutritionist diet diets dietitian protein carbs calorie
        calories meal_plan meal_plans""",
    "support": """support customer_support customer_service helpdesk escalation escalations
        live_chat chat chats support_ticket support_tickets""",
}

_CONCEPT_WEIGHT = 0.8  # a concept match counts this much of an exact stem match
SENSE_MISMATCH_WEIGHT = 0.5  # "book" a flight vs a "Table Booker": same word, other sense
OPEN_SENSE_EXPONENT = 0.5  # a word left with k senses gives each concept 0.8 / k ** this


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
    negated: bool = False  # in a description, inside "not for …", "doesn't …", "except …"
    senses: frozenset[str] = frozenset()  # every concept the word can mean (lexicon)
    entity: bool = False  # part of a proper name: exact matches only, no concepts


def _senses(key: str, lex: Lexicon) -> frozenset[str]:
    return lex.phrase_concepts.get(key) or lex.concepts_of.get(key) or frozenset()


def _features_for(
    key: str, senses: frozenset[str], meant: Iterable[str] | None = None, concepts: bool = True
) -> tuple[tuple[str, float], ...]:
    """The features of a word: itself (1.0) and its concepts (0.8). A word with several
    senses ("ticket": support or concert; "plot": chart or film) is itself tagged with the
    sense(s) it is ``meant`` in, so a concert ticket does not match a support ticket."""
    meant = senses if meant is None else frozenset(meant)
    # the word itself; once its sense is settled, at reduced strength for the other senses
    feats: dict[str, float] = {key: 1.0 if meant == senses else SENSE_MISMATCH_WEIGHT}
    if len(senses) >= 2:
        for cid in meant:
            feats[f"{key}|{cid}"] = 1.0
    if concepts:
        # a word whose sense stays open spreads its concept evidence over its senses
        strength = _CONCEPT_WEIGHT / max(1, len(meant)) ** OPEN_SENSE_EXPONENT
        for cid in meant:
            feats[cid] = max(feats.get(cid, 0.0), strength)
    return tuple(sorted(feats.items()))


def base_feature(feature: str) -> str:
    """A feature without its sense tag: ``"ticket|#events"`` → ``"ticket"``."""
    return feature.split("|", 1)[0]


def disambiguate(groups: Sequence[Sequence[Term]]) -> list[tuple[Term, ...]]:
    """Word-sense disambiguation by context: a word with several senses keeps those that
    another word of the same text supports ("ticket" next to "concert" is a concert
    ticket; next to "Jira", a support ticket). With no support, or support for every sense,
    all its senses stay. ``groups`` are the fields of one text (an agent's name, tags and
    description) and are resolved together."""
    # Two passes: unambiguous words settle what they can ("restaurant" makes "reservation"
    # a dining one); then every word's settled senses are the context, a word supporting a
    # sense only if it is not ambiguous in the same way itself ("concert" settles "ticket";
    # another "ticket" does not).
    terms_ = [t for group in groups for t in group if t.senses and not (t.negated or t.entity)]
    firm = [(t.key, t.senses) for t in terms_ if len(t.senses) == 1]

    def settle(t: Term, context: list[tuple[str, frozenset[str]]]) -> frozenset[str]:
        meant = frozenset(
            c
            for c in t.senses
            if any(
                key != t.key and c in senses and not t.senses <= senses for key, senses in context
            )
        )
        return meant or t.senses

    first = [(t.key, settle(t, firm) if len(t.senses) >= 2 else t.senses) for t in terms_]
    out: list[tuple[Term, ...]] = []
    for group in groups:
        resolved = []
        for t in group:
            if len(t.senses) >= 2 and not t.entity:
                meant = settle(t, first)
                if meant != t.senses:
                    t = replace(t, features=_features_for(t.key, t.senses, meant))
            resolved.append(t)
        out.append(tuple(resolved))
    return out


_NEGATION_CUES = _wordset("not no never cannot without except excluding nor")
_NEGATION_ENDS = _wordset("but however instead only though although while whereas")
_CLAUSE_BREAK_RE = re.compile(r"[.;:!?()\n]")
_AFTER_COMMA_ENDS = _wordset("and but it we which while")


def negated_positions(text: str) -> set[int]:
    """Word positions inside a negation ("Not for support tickets.", "It won't write
    essays", "Does not handle payroll, benefits or leave"): from the cue to the end of its
    clause. Descriptions that say what an agent does *not* do must not attract those
    queries. "not only" is not a negation."""
    text = _prepare(text)
    tokens = list(_CASED_WORD_RE.finditer(text))
    out: set[int] = set()
    inside = False
    for i, match in enumerate(tokens):
        word = match.group(0).lower()
        gap = text[tokens[i - 1].end() : match.start()] if i else ""
        if _CLAUSE_BREAK_RE.search(gap) or ("," in gap and word in _AFTER_COMMA_ENDS):
            inside = False
        if word in _NEGATION_ENDS:
            inside = False
        nxt = tokens[i + 1].group(0).lower() if i + 1 < len(tokens) else ""
        if (word in _NEGATION_CUES or word.endswith("n't")) and nxt != "only":
            inside = True
            out.add(i)
        elif inside:
            out.add(i)
    return out


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
# "news *on* churn", "papers on microplastics": after these nouns "on" names the topic.
_TOPIC_NOUNS = _wordset(
    """
    news article articles story stories report reports paper papers study studies research
    literature book books information info update updates advice tips guide guidance
    opinion opinions thoughts feedback data stats statistics figures numbers summary
    briefing lecture course essay quiz questions podcast episode video coverage
    """
)
# "the customer *who complained*…": a relative clause describes the object, not the task.
_RELATIVE_PRONOUNS = _wordset("who whom whose which")
RELATIVE_WEIGHT = 0.7
SOURCE_WEIGHT = 1.3  # "… in the wiki", "… into Spanish": names the tool or target
MODIFIER_WEIGHT = 0.7  # "email" in "my email password": says which password
OF_WEIGHT = 0.6  # "a graph of the repayment schedule", "news about X": the material, not the task


def _role_weights(raw: list[str]) -> dict[int, float]:
    """Weights for the words of a noun phrase that follows a preposition: a source or
    target ("from the database", "into French", "add … to my notes") names the agent's
    tool and counts more;
    the object of "of"/"about" ("a chart of the sales") is the material and counts less."""
    out: dict[int, float] = {}
    for i, word in enumerate(raw):
        if word in _RELATIVE_PRONOUNS and i > 0 and raw[i - 1] not in STOPWORDS:
            for j in range(i + 1, min(len(raw), i + 7)):
                out.setdefault(j, RELATIVE_WEIGHT)
            continue
        if word in _TOPIC_PREPS or (word == "on" and i > 0 and raw[i - 1] in _TOPIC_NOUNS):
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


def _modifiers(raw: list[str], stems: list[str], lex: Lexicon) -> set[int]:
    """Positions of nouns that modify the next one at the end of a noun phrase, when both
    are domain words: in "my email password" the password is the thing, email says which
    one. (A generic head keeps its modifier whole: "the sales report".)"""
    out: set[int] = set()
    for i in range(len(raw) - 1):
        a, b = raw[i], raw[i + 1]
        if a in STOPWORDS or b in STOPWORDS or a in WEAK_WORDS or b in WEAK_WORDS:
            continue
        if i + 2 < len(raw) and raw[i + 2] not in STOPWORDS:
            continue  # not the end of the phrase
        if i > 0 and raw[i - 1] not in STOPWORDS:
            continue  # a longer run of nouns: leave it alone
        if b.endswith(("ed", "ing")):
            continue  # "electricians scheduled": a verb, not a head noun
        head, modifier = _senses(stems[i + 1], lex), _senses(stems[i], lex)
        # only a clear head outweighs its modifier: "train tickets" is about the train
        if modifier and len(head) == 1 and not modifier & head:
            out.add(i)
    return out


@lru_cache(maxsize=8192)
def terms(text: str, doc: bool = False) -> tuple[Term, ...]:
    """The terms of ``text``: phrases first, then single non-stopword words, each with its
    features, word senses resolved within the text (:func:`disambiguate`). In a query a
    phrase replaces its words ("stock price" is about markets, not inventory); in an
    agent's text (``doc=True``) the words count as well, and words inside a negation are
    marked ``negated``. Cached, since descriptions and repeated queries come back often."""
    return disambiguate([raw_terms(text, doc)])[0]


@lru_cache(maxsize=8192)
def raw_terms(text: str, doc: bool = False) -> tuple[Term, ...]:
    """:func:`terms` before word-sense disambiguation."""
    lex = lexicon()
    cased = cased_words(text)
    raw = [w for w, _ in cased]
    stems = [stem(w) for w in raw]
    entity = set() if doc else _entity_words(cased)
    roles = {} if doc else _role_weights(raw)
    negated = negated_positions(text) if doc else set()
    modifiers = set() if doc else _modifiers(raw, stems, lex)
    out: list[Term] = []
    i = 0
    while i < len(raw):
        matched = 0
        for n in range(min(lex.max_phrase, len(raw) - i), 1, -1):
            key = lex.phrases.get(tuple(stems[i : i + n]))
            if key is not None and not entity.intersection(range(i, i + n)):
                senses = _senses(key, lex)
                out.append(
                    Term(
                        surface=" ".join(raw[i : i + n]),
                        key=key,
                        position=i,
                        weight=roles.get(i, 1.0),
                        features=_features_for(key, senses),
                        negated=i in negated,
                        senses=senses,
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
            if j in modifiers:
                weight *= MODIFIER_WEIGHT
            senses = _senses(key, lex)
            features = _features_for(key, senses, concepts=j not in entity)
            named = not doc and j > 0 and cased[j][1] and (j in entity or not senses)
            out.append(
                Term(word, key, j, weight, features, named, j in negated, senses, j in entity)
            )
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
