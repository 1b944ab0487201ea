"""The public programme page and its open data. The matrix's consultation is no programme's
round and no programme has its slug: 404 for everyone, whatever the state (who sees a real
programme, and when, is tests/programmes/test_public_page.py and test_open_data.py)."""


def everyone(status):
    return lambda role, state: status


ROUTES = [
    ("/programmes/<slug>", "GET", "/programmes/{slug}", everyone(404)),
    ("/programmes/<slug>/indicators/<int:indicator_id>", "GET",
     "/programmes/{slug}/indicators/1", everyone(404)),
    ("/programmes/<slug>/data/<file_name>", "GET", "/programmes/{slug}/data/datapackage.json",
     everyone(404)),
]
