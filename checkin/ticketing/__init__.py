"""Ticket types and tickets: the household allowance rules, issuing, pre-printed stock, binding,
redeeming, voiding."""
