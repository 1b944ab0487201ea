"""Opinion groups: who thinks alike, and what each group and everyone agrees on.

The Pol.is method as written in specs/opinion-groups.md, re-implemented with NumPy (no Pol.is
code). Pure: ids and votes in, frozen dataclasses out; deterministic (no randomness at all).

    matrix = vote_matrix(participant_ids, statement_ids, latest_votes)
    result = compute_opinion_groups(matrix, participant_ids, statement_ids, moderated_out)

Votes are +1 agree, -1 disagree, 0 pass. The geometry lives in opinion_clusters, the statement
scores in opinion_scores.
"""
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from consult.analysis import opinion_clusters as geometry
from consult.analysis import opinion_scores as scores
from consult.analysis.opinion_scores import group_informed_consensus
from consult.analysis.routing import priority as routing_priority

__all__ = ["ConsensusStatement", "DivisiveStatement", "OpinionGroup", "OpinionGroups",
           "RepresentativeStatement", "compute_opinion_groups", "early_clustered",
           "group_informed_consensus",
           "routing_priority", "vote_matrix"]

AGREE, DISAGREE = "agree", "disagree"


@dataclass(frozen=True)
class RepresentativeStatement:
    """A statement that sets a group apart (§7), on the side the group takes."""

    statement_id: Hashable
    #: "agree" or "disagree".
    side: str
    #: The group's own agrees, disagrees and votes (passes included).
    agrees: int
    disagrees: int
    votes: int
    #: pa or pd, then pat or pdt.
    probability: float
    probability_test: float
    #: ra or rd, then rat or rdt.
    repness: float
    repness_test: float
    #: The ranking score: repness * repness_test * probability * probability_test.
    score: float
    #: False only for the fallback shown when nothing reaches 90% confidence.
    significant: bool


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement most participants agree (or disagree) with (§8)."""

    statement_id: Hashable
    side: str
    agrees: int
    disagrees: int
    votes: int
    #: pa or pd over all participants, then pat or pdt; score is their product.
    probability: float
    probability_test: float
    score: float


@dataclass(frozen=True)
class DivisiveStatement:
    """A statement on which groups lean opposite ways (our addition; the spec has none)."""

    statement_id: Hashable
    #: Half the gap between the most and least favourable group leanings, in (0, 1].
    divisiveness: float
    #: Per group, (agrees - disagrees) / (votes + 2), in group order.
    leanings: tuple[float, ...]


@dataclass(frozen=True)
class OpinionGroup:
    """One opinion group: its clustered members and what sets it apart."""

    id: int
    members: tuple[Hashable, ...]
    representative: tuple[RepresentativeStatement, ...]

    @property
    def size(self) -> int:
        """How many clustered participants belong to the group."""
        return len(self.members)


@dataclass(frozen=True)
class OpinionGroups:
    """Everything the summaries show about opinion groups, for one consultation."""

    groups: tuple[OpinionGroup, ...]
    #: Group id of every clustered participant (§2); others are absent.
    group_of: Mapping[Hashable, int]
    #: Every participant's (x, y) on the two components (§4), Pol.is's sign (agree = -1).
    projections: Mapping[Hashable, tuple[float, float]]
    #: Per statement, §9's extremity E (0 for moderated-out statements).
    extremity: Mapping[Hashable, float]
    consensus_agree: tuple[ConsensusStatement, ...]
    consensus_disagree: tuple[ConsensusStatement, ...]
    #: Per kept statement, the group-informed consensus (§8); empty when there is no group.
    group_consensus: Mapping[Hashable, float]
    divisive: tuple[DivisiveStatement, ...]
    #: The silhouette of each number of groups tried (§6).
    silhouettes: Mapping[int, float]

    @property
    def group_sizes(self) -> tuple[int, ...]:
        """Size of each group, in group order."""
        return tuple(group.size for group in self.groups)


def vote_matrix(participant_ids: Sequence[Hashable], statement_ids: Sequence[Hashable],
                votes: Iterable[tuple[Hashable, Hashable, int]],
                dtype: type = np.float32) -> np.ndarray:
    """Participants x statements matrix of votes, NaN where none (§1); a later (participant,
    statement) vote replaces an earlier one, so a vote log in time order also works."""
    rows = {p: i for i, p in enumerate(participant_ids)}
    columns = {s: j for j, s in enumerate(statement_ids)}
    if len(rows) != len(participant_ids) or len(columns) != len(statement_ids):
        raise ValueError("participant and statement ids must be unique")
    latest: dict[tuple[int, int], int] = {}
    for participant, statement, value in votes:
        if value not in (-1, 0, 1):
            raise ValueError(f"vote {value!r} is not -1, 0 or 1")
        try:
            latest[rows[participant], columns[statement]] = value
        except KeyError as error:
            raise ValueError(f"vote on unknown participant or statement {error}") from None
    matrix = np.full((len(rows), len(columns)), np.nan, dtype=dtype)
    if latest:
        cells = np.array(list(latest), dtype=np.intp)
        matrix[cells[:, 0], cells[:, 1]] = list(latest.values())
    return matrix


def early_clustered(vote_log: Iterable[tuple[Hashable, Hashable]]) -> frozenset[Hashable]:
    """Participants §2's rule clustered while the conversation was young, replaying
    (participant, statement) votes in time order; pass them as compute's stay_clustered.

    Pol.is never unclusters anyone, so the first 15 voters, and whoever voted on every statement
    while there were fewer than 7, stay clustered; on bg2050-volunteers that is one participant
    the final matrix alone would leave out. Reading stops once the rule no longer depends on
    history (7 statements and 15 voters seen), so a lazy log is read only that far.
    """
    counts: dict[Hashable, int] = {}
    statements: set[Hashable] = set()
    pairs: set[tuple[Hashable, Hashable]] = set()
    clustered: set[Hashable] = set()
    for participant, statement in vote_log:
        if (participant, statement) in pairs:
            continue
        pairs.add((participant, statement))
        statements.add(statement)
        counts[participant] = counts.get(participant, 0) + 1
        if (len(counts) <= geometry.MIN_CLUSTERED
                or counts[participant] >= min(geometry.MIN_VOTES, len(statements))):
            clustered.add(participant)
        if len(statements) >= geometry.MIN_VOTES and len(counts) >= geometry.MIN_CLUSTERED:
            break
    return frozenset(clustered)


def compute_opinion_groups(matrix: np.ndarray, participant_ids: Sequence[Hashable],
                           statement_ids: Sequence[Hashable],
                           moderated_out: Collection[Hashable] = (),
                           stay_clustered: Collection[Hashable] = ()) -> OpinionGroups:
    """Opinion groups, their representative statements and the consensus (§1-§9).

    matrix is vote_matrix's (float, NaN never voted), rows and columns in first-seen order;
    moderated_out are the rejected and meta statements; stay_clustered (e.g. early_clustered's)
    are clustered whatever their vote count. The matrix is not modified.
    """
    participant_ids, statement_ids = tuple(participant_ids), tuple(statement_ids)
    matrix = np.asarray(matrix)
    if not np.issubdtype(matrix.dtype, np.floating):
        matrix = matrix.astype(np.float32)
    if matrix.shape != (len(participant_ids), len(statement_ids)):
        raise ValueError(f"matrix is {matrix.shape}, ids give "
                         f"{(len(participant_ids), len(statement_ids))}")
    out, stay = set(moderated_out), set(stay_clustered)
    moderated = np.array([s in out for s in statement_ids], dtype=bool)
    kept = ~moderated
    vote_counts = (~np.isnan(matrix)).sum(axis=1)
    rows = geometry.clustered_rows(vote_counts, len(statement_ids),
                                   np.array([p in stay for p in participant_ids], dtype=bool))
    centred, centre, n_voted = geometry.centred_matrix(matrix, moderated)
    components = geometry.principal_components(centred)
    projected = geometry.project(centred, components, n_voted)
    del centred
    labels, silhouettes = geometry.groups_of(projected[rows])
    n_groups = int(labels.max()) + 1 if len(labels) else 0
    by_group = scores.group_counts(matrix, rows, labels, n_groups)
    total = scores.counts(matrix)
    everyone_clustered = by_group.sum(axis=1)
    groups = tuple(
        OpinionGroup(g, tuple(participant_ids[r] for r in rows[labels == g]),
                     _representative(by_group[:, g], everyone_clustered, kept, statement_ids))
        for g in range(n_groups))
    informed = group_informed_consensus(by_group[0], by_group[2]) if n_groups else None
    lean = scores.leanings(*by_group)
    return OpinionGroups(
        groups=groups,
        group_of=MappingProxyType({participant_ids[r]: int(g) for r, g in zip(rows, labels)}),
        projections=MappingProxyType({p: (float(x), float(y))
                                      for p, (x, y) in zip(participant_ids, projected)}),
        extremity=MappingProxyType(dict(zip(statement_ids, np.where(
            moderated, 0.0, geometry.extremity(centre, components)).tolist()))),
        consensus_agree=_consensus(total, 0, AGREE, kept, statement_ids),
        consensus_disagree=_consensus(total, 1, DISAGREE, kept, statement_ids),
        group_consensus=MappingProxyType({} if informed is None else {
            s: float(informed[j]) for j, s in enumerate(statement_ids) if kept[j]}),
        divisive=tuple(DivisiveStatement(statement_ids[c], float(np.ptp(lean[:, c]) / 2),
                                         tuple(lean[:, c].tolist()))
                       for c in scores.divisive(lean, kept)),
        silhouettes=MappingProxyType(silhouettes),
    )


def _representative(group: np.ndarray, total: np.ndarray, kept: np.ndarray,
                    statement_ids: tuple) -> tuple[RepresentativeStatement, ...]:
    """§7 for one group, as dataclasses."""
    m = scores.repness(group, total)
    chosen = []
    for c, agree, significant in scores.representative(m, kept):
        s = "a" if agree else "d"
        p, p_test, r, r_test = (float(m[key][c]) for key in ("p" + s, "p" + s + "t", "r" + s,
                                                             "r" + s + "t"))
        chosen.append(RepresentativeStatement(
            statement_ids[c], AGREE if agree else DISAGREE, agrees=int(group[0, c]),
            disagrees=int(group[1, c]), votes=int(group[2, c]), probability=p,
            probability_test=p_test, repness=r, repness_test=r_test,
            score=r * r_test * p * p_test, significant=significant))
    return tuple(chosen)


def _consensus(total: np.ndarray, side: int, name: str, kept: np.ndarray,
               statement_ids: tuple) -> tuple[ConsensusStatement, ...]:
    """§8's overall consensus on one side (0 agree, 1 disagree), as dataclasses."""
    successes, votes = total[side], total[2]
    p = (successes + 1) / (votes + 2)
    test = scores.proportion_test(successes, votes)
    return tuple(ConsensusStatement(statement_ids[c], name, int(total[0, c]), int(total[1, c]),
                                    int(votes[c]), float(p[c]), float(test[c]),
                                    float(p[c] * test[c]))
                 for c in scores.consensus(successes, votes, kept))
