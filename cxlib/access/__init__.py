"""Who may do what: actors, per-workbook roles and sharing (roles), built-in accounts and sign-in (accounts, signin)."""
