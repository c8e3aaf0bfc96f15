"""The demo data set: the two source plans with their units, people, targets, reporting rules, a user of
every role and some illustrative activity (`manage.py load_demo`, `make run`).

It spans every app, so it sits above them all (apps depend one way; see the import-linter contract).
"""
