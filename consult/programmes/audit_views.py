"""(Placeholder: filled in by its owner.)"""
from flask import Blueprint

blueprint = Blueprint("programmes_audit", __name__)
