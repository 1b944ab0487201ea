"""Open data of published results: the data package's files, for anyone, once published."""
from flask import Blueprint, Response, abort, request

from consult.consultations.models import Consultation
from consult.consultations.services import get_consultation
from consult.permissions import public
from consult.summaries.open_data import DESCRIPTOR, licence, media_type, sha256_hex
from consult.summaries.open_data_round import round_package

blueprint = Blueprint("open_data", __name__, url_prefix="/consultations/<slug>/results/data")

#: Public aggregates, the same for everyone: shared caches may keep them for a while; the
#: ETag (the file's SHA-256) lets a reader check for a change cheaply after that.
CACHE_CONTROL = "public, max-age=300"


def _published(slug: str) -> Consultation:
    """The consultation whose results the public may read (the results page's rule), else 404."""
    consultation = get_consultation(slug)
    if consultation is None or not consultation.allows("read_results"):
        abort(404)
    return consultation


@blueprint.get("/<file_name>")
@public
def download(slug: str, file_name: str):
    """datapackage.json, or a resource as <name>.csv or <name>.json."""
    package = round_package(_published(slug))
    if package is None or file_name not in package.files:
        abort(404)
    data = package.files[file_name]
    response = Response(data, content_type=media_type(file_name))
    response.set_etag(sha256_hex(data))
    response.headers["Cache-Control"] = CACHE_CONTROL
    if file_name != DESCRIPTOR:
        response.headers["Content-Disposition"] = f'inline; filename="{file_name}"'
    return response.make_conditional(request)


@blueprint.app_template_global("open_data_of")
def open_data_of(consultation: Consultation) -> dict | None:
    """While a round's results are public: its data package's unkeyed SHA-256 (the methods
    box gives it), licence and files, for the results page; else None."""
    if not consultation.allows("read_results"):
        return None
    package = round_package(consultation)
    if package is None:
        return None
    return {"sha256": package.sha256, "licence": licence(consultation.data_licence),
            "tables": [name[:-4] for name in package.files if name.endswith(".csv")]}
