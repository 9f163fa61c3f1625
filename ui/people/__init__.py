"""The organiser's people screens: the full attendee list and importing pre-registrations."""
