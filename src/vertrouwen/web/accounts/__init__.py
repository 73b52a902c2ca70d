"""Accounts, roles and each role's start page."""
