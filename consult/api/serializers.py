"""Plain-data views of consultations and surveys for the API, every translation included."""
from consult.consultations.models import Consultation
from consult.surveys.models import Survey


def texts(item) -> dict[str, dict[str, str]]:
    """{field: {language: text}} of a translatable object."""
    out: dict[str, dict[str, str]] = {}
    for row in item.texts:
        out.setdefault(row.field, {})[row.language] = row.text
    return out


def consultation_summary(consultation: Consultation) -> dict:
    """What a list of consultations shows of each."""
    return {
        "slug": consultation.slug,
        "state": consultation.effective_state.value,
        "title": texts(consultation).get("title", {}),
        "languages": consultation.languages,
        "default_language": consultation.default_language,
        "host": consultation.host.name,
        "opens_on": consultation.opens_on.isoformat() if consultation.opens_on else None,
        "closes_on": consultation.closes_on.isoformat() if consultation.closes_on else None,
    }


def consultation_detail(consultation: Consultation, survey: Survey | None) -> dict:
    """A consultation with its sections and survey, in every language it has."""
    return {
        **consultation_summary(consultation),
        "texts": texts(consultation),
        "partners": [p.name for p in consultation.partners],
        "participation_mode": consultation.participation_mode.value,
        "sections": [{"number": s.number, "texts": texts(s)} for s in consultation.sections],
        "survey": None if survey is None else {"pages": [
            {"key": page.key, "texts": texts(page), "questions": [
                {"key": q.key, "type": q.type.value, "required": q.required,
                 "segment": q.is_segment, "integer": q.integer, "allow_other": q.allow_other,
                 "show_if": q.show_if, "constraint": q.constraint, "texts": texts(q),
                 "options": [{"key": o.key, "texts": texts(o)} for o in q.options]}
                for q in page.questions]}
            for page in survey.pages]},
    }
