"""Tokens, stems, concepts and n-gram similarity behind the offline router."""

from coordinator.offline.text import dice, stem, terms, typo_similarity, words


def test_words_are_lower_case_without_punctuation_or_accents():
    assert words("What's the Café's P&L?") == ["what", "the", "cafe", "p", "l"]


def test_the_stemmer_joins_the_forms_of_a_word():
    for family in (
        ["translate", "translates", "translated", "translating", "translation", "translator"],
        ["ship", "ships", "shipped", "shipping", "shipment"],
        ["summary", "summaries", "summarize", "summarise", "summarization"],
        ["deliver", "delivered", "delivery", "deliveries"],
        ["analyse", "analyze", "analysis", "analysed"],
    ):
        assert len({stem(w) for w in family}) == 1, family


def test_the_stemmer_leaves_short_words_alone():
    assert stem("news") == "news"
    assert stem("user") == "user"
    assert stem("gas") == "gas"


def test_stopwords_are_dropped_and_concepts_attached():
    got = terms("Can you send me the invoice please?")
    assert [t.surface for t in got] == ["send", "invoice"]
    invoice = got[1]
    assert dict(invoice.features)["#billing"] < dict(invoice.features)[invoice.key]


def test_a_query_phrase_replaces_its_words():
    got = terms("what is the stock price of ACME")
    assert [t.surface for t in got] == ["stock price", "acme"]
    assert "#market" in dict(got[0].features)
    assert "#inventory" not in dict(got[0].features)


def test_ngram_similarity_tolerates_typos_but_not_other_words():
    assert dice("forecast", "forecast") == 1.0
    assert typo_similarity("forcast", "forecast") > 0.7
    assert typo_similarity("invioce", "invoice") > 0.7
    assert typo_similarity("routine", "route") == 0.0
    assert typo_similarity("beach", "breach") == 0.0  # short words are not corrected
