"""An attacker with the published summary document: every sum rule that ties its figures
together (languages and channels add up to the respondents; a question's categories and "no
answer" too; each breakdown's rows add up to the group sizes and its columns to the
question's counts; Likert "agreeing" is the top points), solved exactly over fractions."""
from fractions import Fraction


def _equations(document: dict) -> list[list]:
    """Each rule as a list of (coefficient, variable) whose sum is zero."""
    rules: list[list] = []
    respondents = ("respondents",)

    def total(parts, whole):
        rules.append([(1, p) for p in parts] + [(-1, whole)])

    total([("language", x["key"]) for x in document["languages"]], respondents)
    total([("channel", x["key"]) for x in document["channels"]], respondents)
    for question in document["questions"]:
        key = question["key"]
        multiple = question["type"] == "multiple_choice"
        if multiple:
            total([("answered", key), ("skipped", key)], respondents)
        else:
            total([("category", key, c["key"]) for c in question["categories"]]
                  + [("skipped", key)], respondents)
            total([("answered", key), ("skipped", key)], respondents)
        likert = question.get("likert")
        if likert and likert["agreeing"] is not None:
            top = [c["key"] for c in question["categories"]][3:5]
            total([("category", key, t) for t in top], ("agreeing", key))
        for table in question["breakdowns"]:
            by = table["by"]
            columns = table["columns"]
            for row in table["rows"]:
                cells = [("cell", key, by["kind"], by["key"], row["key"], c) for c in columns]
                if not multiple:
                    total(cells, _row_variable(by, row["key"]))
            for c in columns:
                cells = [("cell", key, by["kind"], by["key"], row["key"], c)
                         for row in table["rows"]]
                total(cells, ("skipped", key) if c == "no_answer" else ("category", key, c))
    return rules


def _row_variable(by: dict, row: str) -> tuple:
    if by["kind"] in ("language", "channel"):
        return (by["kind"], row)
    return ("skipped", by["key"]) if row == "no_answer" else ("category", by["key"], row)


def values(document: dict) -> dict[tuple, int | None]:
    """Every figure of the document by variable (None where hidden)."""
    found = {("respondents",): document["respondents"]["count"]}
    for kind in ("language", "channel"):
        for item in document[kind + "s"]:
            found[(kind, item["key"])] = item["count"]
    for question in document["questions"]:
        key = question["key"]
        found[("answered", key)] = question["answered"]["count"]
        found[("skipped", key)] = question["skipped"]["count"]
        for c in question["categories"]:
            found[("category", key, c["key"])] = c["count"]
        likert = question.get("likert")
        if likert:
            found[("agreeing", key)] = likert["agreeing"]["count"] if likert["agreeing"] \
                else None
        for table in question["breakdowns"]:
            by = table["by"]
            for row in table["rows"]:
                for c, cell in zip(table["columns"], row["cells"]):
                    found[("cell", key, by["kind"], by["key"], row["key"], c)] = cell["count"]
    return found


def recovered(document: dict) -> set[tuple]:
    """The hidden figures the sum rules fix, by exact Gauss-Jordan elimination."""
    known = values(document)
    unknown = sorted((v for v, n in known.items() if n is None), key=repr)
    index = {v: n for n, v in enumerate(unknown)}
    rows = []
    for rule in _equations(document):
        row = [Fraction(0)] * (len(unknown) + 1)
        for coefficient, variable in rule:
            if variable in index:
                row[index[variable]] += coefficient
            else:
                row[-1] -= coefficient * (known.get(variable) or 0)
        if any(row[:-1]):
            rows.append(row)
    pivot_row = 0
    for column in range(len(unknown)):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][column] != 0), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        lead = rows[pivot_row][column]
        rows[pivot_row] = [x / lead for x in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row])]
        pivot_row += 1
    return {unknown[next(n for n, x in enumerate(row[:-1]) if x != 0)]
            for row in rows[:pivot_row] if sum(1 for x in row[:-1] if x != 0) == 1}
