"""Aggregated rows (queries.py) regrouped per question and per group of respondents (pure).

Each question has categories that partition the respondents who answered it: its options
(single choice, Likert; ranking: the option ranked first), its points (scale), or just
"answered" (multiple choice, numbers, text, dates). With "no answer" added, every question
partitions all respondents, which is what disclosure control needs (see protection.py).
The rows are already counts, so the loops here run over a few hundred aggregates, not over
responses.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass, field

ANSWERED = "answered"
NO_ANSWER = "no_answer"
OTHER = "other"
SCALE_POINTS = [str(point) for point in range(0, 11)]

SINGLE_CHOICE_TYPES = {"single_choice", "likert"}
CHOICE_TYPES = SINGLE_CHOICE_TYPES | {"multiple_choice", "ranking"}
NUMBER_TYPES = {"number", "scale"}


@dataclass(frozen=True)
class QuestionInfo:
    """What the summary needs of a question (built from the model by services.py)."""

    id: int
    key: str
    type: str
    options: tuple[str, ...] = ()
    allow_other: bool = False
    is_segment: bool = False

    @property
    def summarised(self) -> bool:
        """Notes have no answers."""
        return self.type != "note"

    @property
    def can_segment(self) -> bool:
        """Only a question with one answer per respondent can split them into groups."""
        return self.is_segment and self.type in SINGLE_CHOICE_TYPES

    def categories(self) -> list[str]:
        """The categories of respondents who answered, in display order."""
        if self.type in SINGLE_CHOICE_TYPES:
            return list(self.options) + ([OTHER] if self.allow_other else [])
        if self.type == "ranking":
            return list(self.options)
        if self.type == "scale":
            return list(SCALE_POINTS)
        return [ANSWERED]

    def category_of(self, option: str | None, rank: int | None, number: float | None
                    ) -> str | None:
        """The category of one aggregated answer row; None when the row is not one
        respondent's category (multiple choice options, ranks after the first)."""
        if self.type in SINGLE_CHOICE_TYPES:
            return option if option in self.options else OTHER
        if self.type == "ranking":
            return option if rank == 1 else None
        if self.type == "scale":
            return str(int(number)) if number is not None else None
        if self.type == "multiple_choice":
            return None
        return ANSWERED


@dataclass
class Tally:
    """Counts of one group of respondents (everyone, or one language, channel or segment
    answer), per question."""

    #: question id -> category -> respondents
    categories: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    #: multiple choice question id -> option -> respondents who chose it
    selections: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    #: ranking question id -> option -> rank -> respondents
    ranks: dict[int, dict[str, Counter]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))
    #: number or scale question id -> value -> respondents
    values: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, question: QuestionInfo, option, rank, number, count: int) -> None:
        """Count one aggregated answer row."""
        category = question.category_of(option, rank, number)
        if category is not None:
            self.categories[question.id][category] += count
        if question.type == "multiple_choice" and option is not None:
            self.selections[question.id][option] += count
        elif question.type == "ranking" and option is not None and rank is not None:
            self.ranks[question.id][option][rank] += count
        elif question.type in NUMBER_TYPES and number is not None:
            self.values[question.id][float(number)] += count

    def answered(self, question: QuestionInfo) -> int:
        """Respondents of this group who answered the question."""
        return sum(self.categories[question.id].values())


#: Group keys: ("language", code), ("channel", value), ("segment", question id, category).
GroupKey = tuple


@dataclass
class Tallies:
    """Everyone's tally, each group's, and how many respondents each group has."""

    everyone: Tally
    groups: dict[GroupKey, Tally]
    sizes: dict[GroupKey, int]
    respondents: int


def tally(aggregates, questions: list[QuestionInfo]) -> Tallies:
    """Regroup the aggregates of queries.aggregates per question and group."""
    by_id = {q.id: q for q in questions}
    everyone = Tally()
    groups: dict[GroupKey, Tally] = defaultdict(Tally)
    sizes: Counter = Counter()
    for language, channel, respondents in aggregates.headline:
        sizes[("language", language)] += respondents
        sizes[("channel", channel)] += respondents
    for language, channel, question_id, option, rank, number, count in aggregates.cells:
        question = by_id.get(question_id)
        if question is None or not question.summarised:
            continue
        for target in (everyone, groups[("language", language)], groups[("channel", channel)]):
            target.add(question, option, rank, number, count)
    for language, channel, question_id, count in aggregates.multi_answered:
        for target in (everyone, groups[("language", language)], groups[("channel", channel)]):
            target.categories[question_id][ANSWERED] += count
    for segment_id, segment_option, question_id, option, rank, number, count in \
            aggregates.segment_cells:
        segment, question = by_id.get(segment_id), by_id.get(question_id)
        if segment is None or question is None or not question.summarised:
            continue
        key = ("segment", segment_id, segment.category_of(segment_option, None, None))
        groups[key].add(question, option, rank, number, count)
    for segment_id, segment_option, question_id, count in aggregates.segment_multi_answered:
        segment = by_id.get(segment_id)
        if segment is not None:
            key = ("segment", segment_id, segment.category_of(segment_option, None, None))
            groups[key].categories[question_id][ANSWERED] += count
    for question in questions:
        if question.can_segment:
            for category, count in everyone.categories[question.id].items():
                sizes[("segment", question.id, category)] = count
    respondents = sum(n for key, n in sizes.items() if key[0] == "language")
    return Tallies(everyone, dict(groups), dict(sizes), respondents)
