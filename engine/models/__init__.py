"""Models of y given x: lines and polynomials (linear in θ) and a small tanh network."""
