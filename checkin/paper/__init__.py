"""Everything printed: tickets, badges and flyers as PDFs, the volunteer guide, the paper
fallback kit and its tallies."""
