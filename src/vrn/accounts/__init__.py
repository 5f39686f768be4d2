"""Users, organisations and roles."""
