"""The Dash app: wall pages and the JSON API. It only asks the metrics layer; it never reads OPD systems."""
