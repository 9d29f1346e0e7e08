"""SPBE (e-government) evaluation: framework versions as data, self-assessment files, index, predicate, plan."""
