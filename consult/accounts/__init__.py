"""Staff accounts, organisations, memberships and codename participants."""
