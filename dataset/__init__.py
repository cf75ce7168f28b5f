"""The dataset as a whole: what reads across cases, treaties and sources (see apps.py)."""
