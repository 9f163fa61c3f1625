"""Who may do what: the organiser passphrase, the raffle caller's PIN, and the wait after wrong
tries."""
