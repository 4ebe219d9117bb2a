"""Page data functions: one per page, feeding its HTML, HTMX fragment and JSON.

Each takes the firm's :class:`~cartera.web.analyses.FirmAnalysis` (and the
page's validated query) and returns a dict of plain values and the report's
view dataclasses; routes only fetch, call one of these and render.
"""
