"""Everything a run writes: the export folder, atomic writes, the step history, the standalone script. No Textual."""
