"""Settings of a run: every option, the config file, presets and racers. Torch-free."""
