"""Intervention monitoring: programmes, participants, their journeys and outcomes
(docs/interventions.md)."""
