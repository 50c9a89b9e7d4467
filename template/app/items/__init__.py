"""Items: each user's to-do list, its reminder email, the nightly purge and the demo data."""
