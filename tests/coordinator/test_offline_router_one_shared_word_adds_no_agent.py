"""One generic or shared word does not pull in a second agent: generic opening verbs, a
word the already-needed agent covers too, the modifier of a compound noun, a relative
clause about the object, and a trailing "check the manual"-style pointer to a source."""

from coordinator.offline.router import AgentProfile, route
from coordinator.offline.text import terms

AGENTS = [
    AgentProfile("code-review", "Code Reviewer", "Reviews source code for bugs and style problems."),
    AgentProfile("tracker", "Issue Tracker", "Files and updates tickets in the issue tracker (Jira)."),
    AgentProfile("helpdesk", "IT Helpdesk", "Troubleshoots laptop, VPN and password problems; opens IT tickets."),
    AgentProfile("email", "Email Writer", "Drafts emails and replies to customers."),
    AgentProfile("feedback", "Feedback Analyzer", "Analyses customer reviews and complaints."),
    AgentProfile("docs", "Docs Search", "Searches the product documentation and manuals."),
    AgentProfile("news", "News", "Finds recent news articles with sources."),
    AgentProfile("metrics", "Metrics", "Churn, retention and active users by month."),
]  # fmt: skip


def test_a_generic_opening_verb_names_no_agent():
    decision = route("Open a ticket in Jira for the crash on the checkout page", AGENTS)
    assert (decision.level, decision.agents) == ("LOW", ["tracker"])


def test_a_clause_resting_on_one_word_joins_the_agent_already_needed():
    decision = route("Look over this Python function and tell me if there are any bugs", AGENTS)
    assert (decision.level, decision.agents) == ("LOW", ["code-review"])


def test_the_head_of_a_compound_noun_outweighs_its_modifier():
    email, password = terms("reset my email password")[1:]
    assert email.weight < password.weight
    assert route("Reset my email password", AGENTS).agents == ["helpdesk"]


def test_a_generic_head_keeps_its_modifier_whole():
    assert all(t.weight == 1.0 for t in terms("the train tickets") if t.surface == "train")


def test_a_relative_clause_describes_the_object_not_the_task():
    decision = route("Write a polite reply to the customer who complained about the delay", AGENTS)
    assert (decision.level, decision.agents) == ("LOW", ["email"])


def test_news_on_a_topic_is_a_news_task():
    decision = route("Show me our churn by month and also the latest news on churn", AGENTS)
    assert (decision.level, set(decision.agents)) == ("HIGH", {"metrics", "news"})


def test_a_trailing_pointer_to_a_source_is_not_a_task_of_its_own():
    decision = route("How do I configure single sign-on in the product? Check the manual.", AGENTS)
    assert (decision.level, decision.agents) == ("LOW", ["docs"])
    assert route("Check the manual", AGENTS).agents == ["docs"]  # alone, it is the task


def test_a_real_second_task_still_counts():
    decision = route("Review this code for bugs, then file a Jira ticket for each one", AGENTS)
    assert (decision.level, decision.agents) == ("MEDIUM", ["code-review", "tracker"])
