"""Word forms meet (coding/code, movies/movie, studying/study, British spellings, irregular
verbs) and unrelated words that look alike stay apart (metric/meter, training/train)."""

from coordinator.offline.router import AgentProfile, route
from coordinator.offline.text import stem, words


def test_the_stemmer_joins_more_word_families():
    for family in (
        ["code", "coding", "coded"],
        ["hire", "hiring", "hired"],
        ["movie", "movies"],
        ["calorie", "calories"],
        ["study", "studying", "studied"],
        ["apply", "applied", "applying"],
        ["cancel", "cancelled", "canceled", "cancellation"],
        ["travel", "travelled", "traveling", "traveller"],
        ["enrol", "enroll", "enrolment", "enrollment"],
        ["centre", "center"],
        ["catalogue", "catalog"],
        ["licence", "license"],
        ["reserve", "reservation"],
        ["vaccine", "vaccination"],
        ["subscribe", "subscription"],
        ["break", "broke", "broken"],
        ["tell", "told"],
        ["applicant", "application"],
        ["absent", "absence"],
        ["science", "scientist", "scientific"],
    ):
        assert len({stem(w) for w in family}) == 1, family


def test_look_alikes_stay_apart():
    assert stem("metrics") != stem("meters")
    assert stem("training") != stem("train")
    assert stem("listings") != stem("list")
    assert stem("fitness") != stem("fit")
    assert stem("sourcing") != stem("source")
    assert stem("hopping") != stem("hoping")


def test_known_hyphenated_words_are_joined():
    assert words("late check-out, e-mail and sign-up") == [
        "late", "checkout", "email", "and", "signup",
    ]  # fmt: skip
    assert words("a well-known tool") == ["a", "well", "known", "tool"]


def test_a_derived_form_the_stemmer_misses_still_matches():
    agents = [
        AgentProfile("advice", "Advice", "Books consultations with our financial advisers."),
        AgentProfile("weather", "Weather", "Forecasts for any city."),
    ]
    assert route("I'd like to consult someone about my pension", agents).agents == ["advice"]


def test_the_verb_share_is_not_about_shares_on_the_stock_market():
    agents = [
        AgentProfile("vault", "Password Vault", "Store and share passwords for our tools."),
        AgentProfile("files", "Files", "Uploads documents to the shared drive."),
    ]
    assert route("What's Apple's share price?", agents).level == "NONE"
