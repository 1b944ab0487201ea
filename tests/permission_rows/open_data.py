"""Open data of published results: the data package's files exist, for everyone, only once
the host publishes the results (the results page's rule); an unknown file is 404."""


def published_only(role, state):
    return 200 if state.value == "results_published" else 404


def never(role, state):
    return 404


DATA = "/consultations/{slug}/results/data"

ROUTES = [
    ("/consultations/<slug>/results/data/<file_name>", "GET", f"{DATA}/datapackage.json",
     published_only),
    ("/consultations/<slug>/results/data/<file_name>", "GET", f"{DATA}/answers.csv",
     published_only),
    ("/consultations/<slug>/results/data/<file_name>", "GET", f"{DATA}/responses.csv", never),
]
