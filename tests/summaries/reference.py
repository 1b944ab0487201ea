"""Summary counts computed by hand, response by response, to check the SQL against; and
the questions of tests/summaries/helpers.py as plain QuestionInfo."""
from collections import Counter

from consult.summaries.queries import Aggregates
from consult.summaries.tally import QuestionInfo

#: The survey of helpers.survey_consultation, as the summary sees it (ids are positions).
QUESTIONS = [
    QuestionInfo(1, "role", "single_choice", ("trader", "resident", "official"), True, True),
    QuestionInfo(2, "area", "single_choice", ("port", "market"), False, True),
    QuestionInfo(3, "support", "likert", ("1", "2", "3", "4", "5")),
    QuestionInfo(4, "priorities", "multiple_choice", ("jobs", "light", "buses")),
    QuestionInfo(5, "trust", "scale"),
    QuestionInfo(6, "age", "number"),
    QuestionInfo(7, "order", "ranking", ("jobs", "safety", "lights")),
    QuestionInfo(8, "ideas", "long_text"),
]


def rows_of(question: QuestionInfo, value) -> list[tuple]:
    """(option, rank, number) of the answer rows that store one value (as the app does)."""
    if question.type in ("single_choice", "likert"):
        return [(value, None, None)]
    if question.type == "multiple_choice":
        return [(option, None, None) for option in value]
    if question.type == "ranking":
        return [(option, rank, None) for rank, option in enumerate(value, start=1)]
    if question.type in ("number", "scale"):
        return [(None, None, float(value))]
    return [(None, None, None)]


def reference_aggregates(records, questions=QUESTIONS) -> Aggregates:
    """What queries.aggregates must return for these (language, channel, answers) records,
    each row sorted (the SQL's order is unspecified)."""
    by_key = {q.key: q for q in questions}
    segments = [q for q in questions if q.can_segment]
    headline, cells, multi = Counter(), Counter(), Counter()
    segment_cells, segment_multi = Counter(), Counter()
    for language, channel, answers in records:
        headline[(language, channel)] += 1
        for key, value in answers.items():
            question = by_key[key]
            for option, rank, number in rows_of(question, value):
                cells[(language, channel, question.id, option, rank, number)] += 1
                for segment in segments:
                    if segment.key in answers and segment.key != key and rank in (None, 1):
                        segment_cells[(segment.id, answers[segment.key], question.id, option,
                                       rank, number)] += 1
            if question.type == "multiple_choice":
                multi[(language, channel, question.id)] += 1
                for segment in segments:
                    if segment.key in answers:
                        segment_multi[(segment.id, answers[segment.key], question.id)] += 1

    def flat(counter):
        return tuple(sorted((key + (n,) for key, n in counter.items()), key=repr))

    return Aggregates(flat(headline), flat(cells), flat(multi), flat(segment_cells),
                      flat(segment_multi))


def normalised(aggregates: Aggregates, ids: dict[int, int] | None = None) -> Aggregates:
    """Rows sorted, question ids mapped (database id -> position) and numbers as floats, so
    SQL results compare with reference_aggregates."""
    ids = ids or {}

    def fix(row, positions):
        return tuple(ids.get(v, v) if n in positions else v for n, v in enumerate(row))

    def number(row, at):
        row = list(row)
        if row[at] is not None:
            row[at] = float(row[at])
        return tuple(row)

    return Aggregates(
        tuple(sorted(aggregates.headline, key=repr)),
        tuple(sorted((number(fix(r, (2,)), 5) for r in aggregates.cells), key=repr)),
        tuple(sorted((fix(r, (2,)) for r in aggregates.multi_answered), key=repr)),
        tuple(sorted((number(fix(r, (0, 2)), 5) for r in aggregates.segment_cells), key=repr)),
        tuple(sorted((fix(r, (0, 2)) for r in aggregates.segment_multi_answered), key=repr)))
