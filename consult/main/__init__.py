"""Pages that belong to no single feature: home, quick exit, errors, shared template helpers."""
