"""`flask seed`: the guide's sample shelf, a synthetic shelf of any size, and the bulk loader."""
