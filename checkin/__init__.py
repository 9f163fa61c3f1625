"""checkin: event-day check-in, tickets and raffle for community events. No Qt in this package."""

__version__ = "0.1.0"
