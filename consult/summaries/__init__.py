"""Summaries: the database's aggregates, the planner report, public results and exports."""


def blueprints() -> list:
    """This feature's blueprints (imported late, so models load without the views)."""
    from consult.summaries.export_views import blueprint as exports
    from consult.summaries.open_data_views import blueprint as open_data
    from consult.summaries.planner_views import blueprint as planner_responses
    from consult.summaries.theme_edit_views import blueprint as theme_edits
    from consult.summaries.views import blueprint, manage_blueprint

    return [blueprint, manage_blueprint, planner_responses, theme_edits, exports,
            open_data]
