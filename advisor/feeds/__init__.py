"""Atom feeds for people who follow the field: radar editions and catalog changes."""
