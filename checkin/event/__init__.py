"""The event itself: its details and settings, how long its personal data is kept, its logo,
flyer campaigns."""
