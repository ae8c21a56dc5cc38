"""Agents of the onboarding example (Coordination Hub reference) and one off-topic agent."""

from tests.engine_helpers import make_agent

ONBOARDING_GOAL = (
    "Create a customer onboarding workflow that verifies identity, sets up accounts, and "
    "sends a welcome email"
)


def onboarding_agents():
    return [
        make_agent("kyc-agent", "Verifies a customer's identity documents (KYC checks).", "echo"),
        make_agent("account-service", "Sets up customer accounts and billing profiles.", "echo"),
        make_agent("email-service", "Sends emails to customers: welcome emails, receipts.", "echo"),
        make_agent("pets-history", "Answers questions about the history of pet breeds.", "echo"),
    ]


def generate(client, goal=ONBOARDING_GOAL, **body):
    return client.post("/api/plans/generate/", {"goal": goal, **body}, format="json")
