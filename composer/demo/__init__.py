"""Demo data for a fresh install (`manage.py seed_demo`): it uses the services of every room below it."""
