"""SQLModel tables: importing this package registers every table (`app.discovery` finds them)."""

from app.discovery import import_modules

import_modules("models")
