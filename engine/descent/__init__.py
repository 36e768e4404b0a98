"""The descent itself: the problem on its device, losses, optimizers and the stepwise loop."""
