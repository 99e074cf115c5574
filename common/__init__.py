"""Page and API plumbing every app shares: errors, forms, paging, the account-scoped views and
viewsets, and the one safe writer of CSV and XLSX files.

It builds on the base app `accounts` (visibility, edit rights) and on nothing else: the project's
wiring (settings, URLs, Celery) lives in `kam`, which imports every app; this package imports none of them.
"""
