"""The plot machinery a screen never mounts: braille downsampling, the canvas and its layers."""
