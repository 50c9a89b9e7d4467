"""Task modules: the worker imports every module in this package (see celery_app.task_modules)."""
