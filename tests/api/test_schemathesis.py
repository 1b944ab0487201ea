"""Property-based fuzzing of the JSON API from its own OpenAPI document (Schemathesis, against
the WSGI app): every operation, valid and invalid requests, and the document's links as
stateful sequences. No server error, and every response as the document describes it."""
from types import SimpleNamespace as Spec

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from consult.comments import services as comments
from consult.consultations.lifecycle import ParticipationMode, State
from consult.extensions import db
from consult.surveys import services as surveys
from tests.surveys.specs import options, question

if not hasattr(pytest.Function, "_nodeid"):
    # Schemathesis 4.32 renames the test item per operation through Node._nodeid, which pytest
    # 9.2 replaced; reading the node id and ignoring the rename only shortens the item's name
    # (every failure still names its operation and a curl command).
    pytest.Function._nodeid = property(lambda self: self.nodeid, lambda self, value: None)

#: Examples per operation and backend: about a minute for both databases on a small machine.
MAX_EXAMPLES = 60
#: Steps of the stateful runs (comment -> vote on it, by the document's links).
STATEFUL_EXAMPLES = 15
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
FUZZ_SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
                         suppress_health_check=list(HealthCheck), database=None)


def _consultations(make_consultation) -> tuple[list[str], list[int]]:
    """Real targets for the fuzzer: slugs in every state that matters, and comment ids."""
    open_ = make_consultation(state=State.DRAFT)
    surveys.replace_survey(open_, [Spec(key="p1", labels={"en": "About you"}, questions=[
        question("role", "single_choice", required=True, options=options("trader", "youth")),
        question("age", "number", integer=True),
        question("areas", "multiple_choice", options=options("port", "market")),
        question("why", "long_text")])])
    open_.state = State.OPEN
    closed = make_consultation(state=State.CLOSED)
    published = make_consultation(state=State.RESULTS_PUBLISHED)
    codename = make_consultation(participation_mode=ParticipationMode.CODENAME)
    draft = make_consultation(state=State.DRAFT)
    ids = [comments.post_comment(c, "fuzz-author", f"Statement {n}", "en").id
           for n, c in enumerate((open_, open_, closed, codename))]
    db.session.commit()
    # The open consultation thrice: it is the one that takes responses and comments.
    return [c.slug for c in (open_, open_, open_, closed, published, codename, draft)], ids


@pytest.fixture
def api_schema(app, make_consultation):
    """The API's own OpenAPI document, loaded from the app, aimed at real data half the time."""
    slugs, ids = _consultations(make_consultation)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        """Keep the generated value, or swap in a real slug or comment id."""
        if not isinstance(path_parameters, dict):
            return st.just(path_parameters)
        real = {"slug": slugs, "comment_id": ids}
        strategies = {name: st.sampled_from([value, *real[name]]) if name in real
                      else st.just(value) for name, value in path_parameters.items()}
        return st.fixed_dictionaries(strategies)

    @schema.hook
    def map_headers(context, headers):
        """Ask for plain bodies: the checks read them as sent, and a gzipped body (which a
        generated Accept-Encoding can ask for) is compression's business, tested on its own
        in tests/test_compression.py."""
        return {**(headers or {}), "Accept-Encoding": "identity"}

    @schema.hook
    def flatmap_body(context, body):
        """Responses: keep the generated body, or send answers that fit the survey, with any
        text at all (lone surrogates and controls included)."""
        if not context.operation.path.endswith("/responses"):
            return st.just(body)
        return st.one_of(st.just(body), _answers())

    return schema


def _answers() -> st.SearchStrategy:
    anything = st.text(st.characters(exclude_categories=()), max_size=40)
    return st.fixed_dictionaries(
        {"language": st.sampled_from(["en", "fr", "ar"]),
         "answers": st.fixed_dictionaries({"role": st.sampled_from(["trader", "youth"])},
                                          optional={"age": st.integers(-2**70, 2**70),
                                                    "areas": st.lists(st.sampled_from(
                                                        ["port", "market", "other"])),
                                                    "why": anything})},
        optional={"other": st.dictionaries(st.sampled_from(["role", "areas"]), anything)})


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_fuzzing_finds_no_server_error_and_no_response_outside_the_document(case):
    case.call_and_validate(checks=CHECKS)


def test_api_stateful_links_find_no_server_error(api_schema):
    class Workflow(api_schema.as_state_machine()):
        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    Workflow.run(settings=settings(max_examples=STATEFUL_EXAMPLES, deadline=None,
                                  derandomize=True, database=None,
                                  suppress_health_check=list(HealthCheck),
                                  stateful_step_count=6))
