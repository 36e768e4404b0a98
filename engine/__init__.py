"""The descent engine: data, models and a stepwise autograd descent, free of any UI library.

Importing this package loads neither torch nor a UI library: the modules that need torch
import it themselves, so data can be made (with numpy) while torch is still loading.
"""
