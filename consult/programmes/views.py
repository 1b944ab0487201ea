"""(Placeholder: filled in by its owner.)"""
from flask import Blueprint

blueprint = Blueprint("programmes", __name__)
