"""Gridbot: a chat bot for community groups in an emergency."""
