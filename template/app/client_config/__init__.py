"""What the web app reads at start: its error tracking, analytics and release."""
