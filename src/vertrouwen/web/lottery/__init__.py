"""The lottery: draws, the allocations they make, invitations and consent, and their verification."""
