"""Pseudonyms: how authors appear. Stable within a consultation, different across them, and
derived with the app's secret, so nobody can link them to a participant key or to each other.

Pseudonyms are names, not text: like codenames they are not translated (templates put them in
<bdi> so they sit safely in right-to-left text).
"""
from functools import lru_cache

from flask import current_app

from consult.security import keyed_hash

ADJECTIVES = (
    "Amber", "Bold", "Brave", "Bright", "Calm", "Clever", "Coral", "Cosy", "Crisp", "Curious",
    "Daring", "Eager", "Early", "Fair", "Fast", "Fierce", "Gentle", "Glad", "Golden", "Grand",
    "Green", "Happy", "Hardy", "Honest", "Humble", "Jolly", "Keen", "Kind", "Lively", "Loyal",
    "Lucky", "Merry", "Mighty", "Misty", "Modest", "Noble", "Patient", "Polite", "Proud",
    "Quick", "Quiet", "Rapid", "Ready", "Silver", "Sincere", "Smart", "Snowy", "Solar",
    "Steady", "Stormy", "Strong", "Sunny", "Swift", "Tidy", "Tranquil", "True", "Vivid",
    "Warm", "Wild", "Wise", "Witty", "Young", "Zesty", "Zealous",
)
ANIMALS = (
    "Antelope", "Badger", "Beaver", "Bison", "Buffalo", "Camel", "Cheetah", "Crane", "Dolphin",
    "Dove", "Eagle", "Egret", "Falcon", "Finch", "Flamingo", "Fox", "Gazelle", "Gecko",
    "Giraffe", "Heron", "Hippo", "Ibis", "Impala", "Jaguar", "Kestrel", "Kingfisher", "Koala",
    "Lemur", "Leopard", "Lion", "Lynx", "Manatee", "Meerkat", "Mongoose", "Moose", "Okapi",
    "Orca", "Oryx", "Osprey", "Otter", "Owl", "Panda", "Panther", "Parrot", "Pelican",
    "Penguin", "Puffin", "Quail", "Raven", "Robin", "Salmon", "Seal", "Sparrow", "Stork",
    "Swan", "Tiger", "Toucan", "Turtle", "Walrus", "Weaver", "Whale", "Wolf", "Yak", "Zebra",
)


def pseudonym(author_key: str, consultation_id: int) -> str:
    """A readable name like "Brave Otter 417" for an author in one consultation."""
    return _pseudonym(current_app.secret_key, author_key, consultation_id)


@lru_cache(maxsize=8192)
def _pseudonym(_secret: str, author_key: str, consultation_id: int) -> str:
    """Cached by secret too, so an app with another secret never sees these names."""
    digest = int(keyed_hash(f"{consultation_id}:{author_key}", "comment-pseudonym")[:16], 16)
    adjective = ADJECTIVES[digest % len(ADJECTIVES)]
    animal = ANIMALS[(digest // len(ADJECTIVES)) % len(ANIMALS)]
    number = (digest // (len(ADJECTIVES) * len(ANIMALS))) % 900 + 100
    return f"{adjective} {animal} {number}"
