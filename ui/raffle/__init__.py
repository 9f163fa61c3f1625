"""The raffle on screen: the big screen's draws and the prize table."""
