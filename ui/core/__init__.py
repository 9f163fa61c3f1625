"""What every screen stands on: the event context handed to it, background tasks, the scan
queue, the scan router and the desks it feeds, the event and organiser locks, the file watch,
appearance and this laptop's station settings."""
