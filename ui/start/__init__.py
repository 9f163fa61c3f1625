"""Before the desk: the first-launch question, the start choice (demo, new, open), joining a
hosted event."""
