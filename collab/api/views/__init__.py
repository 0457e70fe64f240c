"""The collaboration routes, one module per resource; base.py holds what they share."""
