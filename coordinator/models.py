"""Run, StepRun, RunEvent, Approval, Conversation, Trigger arrive with the engine."""
