"""The load test of `make loadtest`: case managers and questionnaire respondents at once (see __main__.py)."""
