"""Surveys: pages of questions in several languages, skip logic, XLSForm import."""
