"""`make bench`: our build against stock Pelican on a synthetic archive."""
