"""E-mail alerts: anyone may follow a ministry, a press conference or a search by e-mail."""
