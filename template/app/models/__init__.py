"""SQLModel tables: importing this package registers every table (`app.discovery` finds them)."""

from app.discovery import table_modules

table_modules()
