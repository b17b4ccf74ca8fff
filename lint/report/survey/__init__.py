"""The organisation-wide readiness survey (`iacm-lint survey`): model.py
reads and checks readiness documents into one entry per repository;
json.py, csv.py, markdown.py and html.py (with templates/) render it."""
