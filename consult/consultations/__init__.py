"""Consultations, their sections, lifecycle and partner organisations."""
