"""Pure analysis: plain data in, plain data out. Imports no Flask, no SQLAlchemy, no consult
module outside this package (tests/test_architecture.py checks it)."""
