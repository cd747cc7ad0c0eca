"""The shelf's history: a row for every change made from the pages, and undoing a delete."""
