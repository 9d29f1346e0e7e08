"""SPBE (e-government) evaluation: framework versions as data, self-assessment import, index, predicate, plan."""
