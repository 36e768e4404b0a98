"""What each part of the race's screen shows: the help (? or F1) under the keys."""

RACE_PARTS = """
## The race

Every racer descends the same points from the same start, one step each in turn, so the curves compare step for
step. A racer is an optimizer at the run's lr, or at its own: `--race manual@1e-4,adam@0.05`. One lr rarely suits
all: plain descent's step is lr·gradient and diverges above lr_max = 2/λmax (momentum's limit is 2(1+β)/λmax);
adam's step per parameter is bounded by about lr and shrinks as the gradient's sign settles, so it wants a far
larger lr.

- **Fit** (top): the points (cyan), the least-squares line (grey) and every racer's fitted line in its colour,
  with its marker every few columns; racers whose lines coincide take turns, so none hides another.
- **Loss** (below): log10 of each racer's loss by step, marked the same way.
- **Status** (bottom), also the legend: each racer's marker, colour and label, its step, loss and parameters.
  When the race ends the lines are ranked, best first, with why each racer trails in a few words.
- **Analysis** (`y`): the curvature every racer faces (λmax, λmin, κ, lr_max) and, once the race ends, the verdict
  in full: who won, and for each other racer why it trails, from the run (the error plain steps keep along the
  valley's flat direction, how far adam's ~lr steps can go, where a racer diverged).
- **Landscape** (`l`, instead of the fit; two-parameter models): the loss over (k, b), dark at the valley's floor,
  every racer's path in its colour and marker, where each is now (bold) and the optimum (✕): plain descent drops
  to the floor and crawls along it, momentum swings past it, adam heads for the optimum diagonally.
- **Command palette** (ctrl+p): every key's action by name.
"""
