"""Scheduled work. Each job is ``async def job(app, now) -> list[Reply]``: time is passed in."""
