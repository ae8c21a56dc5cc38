"""Plans generated from a goal (POST /api/plans/generate/, `workflow generate`).

`draft.py` is the schema a model answers in and the baton/local handler that builds one
from the agents' descriptions; `validate.py` checks a draft against the constraints and
turns it into a Plan; `estimate.py` estimates its duration from recorded latencies;
`service.py` ties them to the database and the model.
"""
