"""The workshop dashboard: a Solara page driving live partnerships (``partnersim dashboard``).

``state.py`` holds a session's partnerships and what the user does to them, with the
levers and shocks of ``levers.py`` (no Solara); ``explain.py`` words the regime badge's
reason; ``plots.py`` and ``network.py`` build the figures; ``components.py`` and
``app.py`` are the page; ``server.py`` serves it offline.
"""
