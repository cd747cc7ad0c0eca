"""The catalogue readers browse: the authors and books tables, the reads over them, and the
HTML pages."""
