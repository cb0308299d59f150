"""The web dashboard for staff, owners and grid workers (issue #15).

Pages are server-rendered Jinja2 templates over the same store and the same chat handlers:
``app`` builds the aiohttp application, ``auth`` checks the session and CSRF on every request,
``login`` issues and spends one-time links, ``actions`` runs a page's action as the chat
command it stands for, and one module per page (``overview``, ``tickets``, ``notices``).
"""
