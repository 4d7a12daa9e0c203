# The signing certificate and MEDIA_ROOT fixtures live in tests/conftest.py: every app's tests may sign PDFs
# (the demo seeding does).
