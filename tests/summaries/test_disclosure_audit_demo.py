"""The LP audit over the demo's published results: every table of every question at once
(lines, breakdowns by segment, language and channel, a segment's breakdowns by another
matched with their transpose); every hidden count keeps a range of at least k."""
from consult.analysis.disclosure_audit import intervals
from consult.consultations.services import get_consultation
from consult.extensions import db
from tests.summaries.attacker import _equations, values

SLUG = "youth-jobs-harbour"


def _canonical(variable: tuple, segments: set[str]) -> tuple:
    """A breakdown cell by segment as the pair of categories it counts, so a segment's
    breakdown by another and its transpose are the same counts."""
    if variable[0] != "cell" or variable[2] != "segment":
        return variable
    _, question, _, segment, row, column = variable
    return ("cell", frozenset({(question, column), (segment, row)}))


def audit_document(published: dict, truth: dict
                   ) -> tuple[dict[tuple, tuple[float, float]], dict[tuple, int]]:
    """(the range of every hidden count and sum of hidden parts over every sum rule of the
    document, by its variables; the true count of every variable)."""
    segments = {q["key"] for q in published["questions"]}
    shown = {_canonical(v, segments): n for v, n in values(published).items()}
    actual = {_canonical(v, segments): n for v, n in values(truth).items()}
    names = sorted(actual, key=repr)
    index = {name: n for n, name in enumerate(names)}
    rules = []
    for rule in _equations(published):
        parts = tuple(index[_canonical(v, segments)] for c, v in rule if c == 1)
        (whole,) = [index[_canonical(v, segments)] for c, v in rule if c == -1]
        rules.append((parts, whole))
    hidden = {index[name] for name in names if shown.get(name) is None}
    ranges = intervals([actual[name] for name in names], hidden, rules)
    return {tuple(names[v] for v in group): bounds for group, bounds in ranges.items()}, actual


def test_every_hidden_count_of_the_demo_results_keeps_a_range_of_k(app, client):
    app.config["CELL_KEY_PERTURBATION"] = False  # the audit needs the exact counts
    app.test_cli_runner().invoke(args=["consult", "demo"])
    consultation = get_consultation(SLUG)
    k = consultation.min_cell_size
    url = f"/api/v1/consultations/{SLUG}/summary"
    published = client.get(url).get_json()
    consultation.min_cell_size = 1
    consultation.revision += 1
    db.session.commit()
    truth = client.get(url).get_json()
    ranges, actual = audit_document(published, truth)
    assert ranges, "the demo hides counts: there is something to audit"
    narrow = {}
    for group, (low, high) in ranges.items():
        if sum(actual[v] for v in group) == 0:
            continue  # a zero may be published: it names nobody
        if high - low < k - 1e-6 and not (len(group) > 1 and low >= k - 1e-6):
            narrow[group] = (low, high)
    assert not narrow, sorted(narrow.items(), key=repr)[:5]
    widths = [high - low for group, (low, high) in ranges.items() if len(group) == 1]
    print(f"demo: {len(widths)} hidden counts, smallest protection interval {min(widths):g}")
