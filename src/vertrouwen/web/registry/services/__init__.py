"""Writes to the register. Each public function is one transaction and writes its own audit event. Dataset folders
in and out are a room of their own (web/datasets)."""
