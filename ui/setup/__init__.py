"""The organiser's Setup screen: event details, ticket types, stations, prizes and raffle rules,
the logo, the caller PIN, the checklist."""
