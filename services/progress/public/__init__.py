"""The public side of progress: what anyone may see without signing in (rules.py, pure), the selection of it from
the projections (selection.py), and the open data made of it (data.py, iati.py, feed.py, served by routes.py)."""
