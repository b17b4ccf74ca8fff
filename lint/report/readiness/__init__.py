"""The migration readiness report (`iacm-lint report`): model.py turns an
engine Result into a verdict per root module, markdown.py and html.py
(with templates/) render it."""
